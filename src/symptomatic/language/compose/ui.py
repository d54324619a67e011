"""The words of the interfaces: level names, headings, the web page's labels.

One table per language (``data/<lang>/ui.json``) plus the care-level names and actions of
the answers; the command line prints them and the HTTP API serves them to the page
(``GET /v1/words``), so no interface keeps wording of its own.
"""

from __future__ import annotations

from typing import Any

from symptomatic.language.compose._data import answers, interview_words, ui

__all__ = ["ui_words"]


def ui_words(lang: str) -> dict[str, Any]:
    """Every word an interface shows in ``lang``: ``ui.json``, with the care levels
    (``level_name``, ``level_now``) and the interview's command-line words (``cli``)."""
    out = dict(ui(lang))
    out.pop("about", None)
    a = answers(lang)
    out["level_name"] = dict(a["level_name"])
    out["level_now"] = dict(a["level_now"])
    out["disclaimer"] = a["disclaimer"]
    out["disclaimer_urgent"] = a["disclaimer_urgent"]
    out["cli"] = dict(interview_words(lang)["cli"])
    return out
