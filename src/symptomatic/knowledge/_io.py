"""The one JSON reader: package data and callers' directories, with errors that name the file.

Package data is read with :mod:`importlib.resources`; a caller's directory is a
:class:`pathlib.Path`. Both are :class:`~importlib.resources.abc.Traversable`.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from symptomatic._errors import KnowledgeError

__all__ = ["Node", "package_dir", "read_bytes", "read_json"]

Node = Traversable | Path


def package_dir(package: str, *parts: str) -> Traversable:
    """A folder of package data, e.g. ``package_dir("symptomatic.knowledge", "data")``."""
    node: Traversable = resources.files(package)
    for part in parts:
        node = node / part
    return node


def read_bytes(directory: Node, name: str, *, label: str | None = None) -> bytes:
    """The bytes of ``directory / name``; :class:`KnowledgeError` when it is missing."""
    node = directory / name
    try:
        return node.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        raise KnowledgeError(label or name, "$", "file is missing") from None


def read_json(directory: Node, name: str, *, label: str | None = None) -> Any:
    """``directory / name`` parsed as UTF-8 JSON; errors name the file (``label`` if given)."""
    raw = read_bytes(directory, name, label=label)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError(label or name, "$", f"not valid UTF-8 JSON: {exc}") from None
