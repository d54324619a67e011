"""Text in (:func:`parse`) and text out (:mod:`compose`), per language from data files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["compose", "parse"]

if TYPE_CHECKING:
    from symptomatic.language import compose
    from symptomatic.language.parse import parse


def __getattr__(name: str) -> Any:  # lazy: keep the command line fast
    if name == "parse":
        from symptomatic.language.parse import parse

        return parse
    if name == "compose":
        import importlib

        return importlib.import_module("symptomatic.language.compose")
    raise AttributeError(name)
