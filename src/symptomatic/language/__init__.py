"""Text in (:mod:`symptomatic.language.parse`) and text out (:mod:`.compose`).

Per-language resources are data files in ``data/``. Import the submodules you need
(``from symptomatic.language.parse import parse``); nothing is loaded at package import.
"""

from __future__ import annotations
