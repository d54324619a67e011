"""Text in (:mod:`symptomatic.language.parse`) and text out (:mod:`symptomatic.language.compose`).

Per-language resources are data files in ``data/<lang>/``. Import the submodules you need
(``from symptomatic.language.parse import parse``); nothing is loaded at package import.
"""

from __future__ import annotations
