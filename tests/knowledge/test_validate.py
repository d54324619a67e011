"""The one validator: the tiny base is valid; each deliberately broken copy must fail."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from symptomatic import KnowledgeError, load_knowledge
from symptomatic.knowledge import validate_knowledge
from tests.conftest import FIXTURES, TINY

CASES = json.loads((FIXTURES / "kb_invalid.json").read_text(encoding="utf-8"))["cases"]


def test_tiny_base_is_valid() -> None:
    assert validate_knowledge(TINY) == []


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_each_broken_base_fails(
    case: dict[str, Any], broken_kb: Callable[[str, list[Any] | None, Any], Path]
) -> None:
    directory = broken_kb(case["file"], case["path"], case["value"])
    problems = validate_knowledge(directory)
    assert problems, f"{case['rule']}: no problem reported"
    messages = [str(p) for p in problems]
    assert any(case["expect"] in m for m in messages), messages
    assert any(p.file.startswith(case["file"].split("/")[0]) for p in problems), messages


def test_errors_name_file_path_and_value(
    broken_kb: Callable[[str, list[Any] | None, Any], Path],
) -> None:
    directory = broken_kb("conditions/cold.json", ["likelihood", "runny-nose", "p"], 1.5)
    (problem,) = validate_knowledge(directory)
    assert problem.file == "conditions/cold.json"
    assert problem.path == "$.likelihood.runny-nose.p"
    assert problem.value == 1.5


def test_loading_a_broken_directory_raises_the_first_problem(
    broken_kb: Callable[[str, list[Any] | None, Any], Path],
) -> None:
    directory = broken_kb("conditions/flu.json", ["icd10"], "j11")
    with pytest.raises(KnowledgeError, match="icd10"):
        load_knowledge(directory)


def test_missing_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "conditions").mkdir()
    problems = validate_knowledge(tmp_path)
    assert any(p.file == "vocabulary.json" and "missing" in p.problem for p in problems)


def test_duplicate_condition_file(tiny_kb_dir: Path) -> None:
    doc = json.loads((tiny_kb_dir / "conditions" / "flu.json").read_text(encoding="utf-8"))
    (tiny_kb_dir / "conditions" / "flu2.json").write_text(json.dumps(doc), encoding="utf-8")
    problems = validate_knowledge(tiny_kb_dir)
    assert any("must equal the file name" in str(p) for p in problems)
