"""The one JSON reader: package data and callers' directories, with errors that name the file.

Package data installed as files (the usual case) is read from the package's folder; a
package elsewhere (a zip) through :mod:`importlib.resources`, imported only then (it costs
several milliseconds at start). A caller's directory is a :class:`pathlib.Path`. All are
:class:`~importlib.resources.abc.Traversable`.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from symptomatic._errors import KnowledgeError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["Node", "package_dir", "read_bytes", "read_json"]

Node: TypeAlias = "Traversable | Path"


def package_dir(package: str, *parts: str) -> Node:
    """A folder of package data, e.g. ``package_dir("symptomatic.knowledge", "data")``."""
    module = sys.modules.get(package) or importlib.import_module(package)
    file = getattr(module, "__file__", None)
    node: Node
    if file is not None and Path(file).is_file():
        node = Path(file).parent
    else:
        from importlib import resources

        node = resources.files(package)
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
