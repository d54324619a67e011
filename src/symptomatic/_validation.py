"""One validator for the knowledge base and the language data together.

:func:`validate_knowledge` runs the knowledge base's schema and invariants
(:mod:`symptomatic.knowledge._validate`) and, when the base itself is sound, the language
data against it (:mod:`symptomatic.language._validate`). ``symptomatic validate`` and
``scripts/check`` call it.
"""

from __future__ import annotations

from pathlib import Path

from symptomatic._errors import KnowledgeError

__all__ = ["validate_knowledge"]


def validate_knowledge(directory: str | Path | None = None) -> list[KnowledgeError]:
    """Every problem of a knowledge base directory (the packaged one when None) and of the
    language data read with it; an empty list when everything is valid."""
    from symptomatic.knowledge import load_knowledge, packaged_dir
    from symptomatic.knowledge._validate import validate_knowledge as validate_kb
    from symptomatic.language._validate import validate_language

    node = packaged_dir() if directory is None else Path(directory)
    problems = validate_kb(node)
    if problems:
        return problems
    try:
        kb = load_knowledge(None if directory is None else directory, validate=False)
    except KnowledgeError as exc:
        return [exc]
    return validate_language(kb)
