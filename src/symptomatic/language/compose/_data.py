"""The phrase tables of the answers, loaded once per language through the one JSON reader."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from symptomatic.knowledge._io import read_json
from symptomatic.language._resources import check_lang, data_dir, read_language_file

__all__ = ["answers", "audience_ages", "interview_words", "jargon", "ui"]


@lru_cache(maxsize=8)
def answers(lang: str) -> dict[str, Any]:
    """The sentences of the answer in ``lang`` (``data/<lang>/answers.json``)."""
    doc: dict[str, Any] = read_language_file(check_lang(lang), "answers.json")
    return doc


@lru_cache(maxsize=8)
def interview_words(lang: str) -> dict[str, Any]:
    """The interview's words in ``lang`` (``data/<lang>/interview.json``)."""
    doc: dict[str, Any] = read_language_file(check_lang(lang), "interview.json")
    return doc


@lru_cache(maxsize=8)
def ui(lang: str) -> dict[str, Any]:
    """The page's and the command line's words in ``lang`` (``data/<lang>/ui.json``)."""
    doc: dict[str, Any] = read_language_file(check_lang(lang), "ui.json")
    return doc


@lru_cache(maxsize=8)
def jargon(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(banned words, allowed everyday phrases) for ``lang``."""
    doc = read_language_file(check_lang(lang), "jargon.json")
    return tuple(doc["words"]), tuple(doc.get("allowed_phrases", ()))


@lru_cache(maxsize=1)
def audience_ages() -> tuple[float, float]:
    """(below this age the answer addresses a parent or carer, from this age an older adult)."""
    doc = read_json(data_dir(), "audience.json", label="language/audience.json")
    return float(doc["child_below_years"]), float(doc["older_from_years"])
