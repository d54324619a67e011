"""Shared fixtures: the tiny knowledge base (files in fixtures/kb_tiny), copies of it to
break, and the packaged checker for the few tests that know the packaged content."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "kb_tiny"
SHARED = ROOT.parent / "shared" / "data"

requires_shared = pytest.mark.skipif(
    not (SHARED / "ddxplus").is_dir(), reason="needs ../shared/data beside the checkout"
)


@pytest.fixture
def tiny_kb_dir(tmp_path: Path) -> Path:
    """A fresh copy of the tiny knowledge base (a directory of files)."""
    target = tmp_path / "kb_tiny"
    shutil.copytree(TINY, target)
    return target


def set_path(doc: Any, path: list[Any], value: Any) -> Any:
    """``doc`` with ``value`` at ``path`` ("<delete>" removes the key)."""
    if not path:
        return value
    node = doc
    for part in path[:-1]:
        node = node[part]
    if value == "<delete>":
        del node[path[-1]]
    elif isinstance(node, list) and path[-1] == len(node):
        node.append(value)
    else:
        node[path[-1]] = value
    return doc


def _nan(value: Any) -> Any:
    if value == "NaN":
        return float("nan")
    if isinstance(value, list):
        return [_nan(v) for v in value]
    if isinstance(value, dict):
        return {k: _nan(v) for k, v in value.items()}
    return value


@pytest.fixture
def broken_kb(tmp_path: Path) -> Callable[[str, list[Any] | None, Any], Path]:
    """A copy of the tiny base with one value changed (see fixtures/kb_invalid.json)."""
    counter = iter(range(10_000))

    def make(file: str, path: list[Any] | None, value: Any) -> Path:
        target = tmp_path / f"kb{next(counter)}"
        shutil.copytree(TINY, target)
        node = target / file
        doc = json.loads(node.read_text(encoding="utf-8")) if node.is_file() else {}
        doc = set_path(doc, path or [], _nan(value))
        node.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return target

    return make


@pytest.fixture(scope="session")
def checker() -> Iterator[Any]:
    """The packaged checker (for the tests that know the packaged content)."""
    from symptomatic import Checker

    yield Checker()


@pytest.fixture(scope="session")
def tiny_checker() -> Iterator[Any]:
    from symptomatic import Checker

    yield Checker(knowledge=TINY)
