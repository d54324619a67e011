from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from symptomatic import KnowledgeError, load_knowledge, validate_knowledge
from symptomatic.knowledge import _model
from tests.conftest import ROOT, SHARED, requires_shared

PACKAGE_DATA = ROOT / "src" / "symptomatic" / "knowledge" / "data"


def test_packaged_knowledge_base_is_valid() -> None:
    assert validate_knowledge(PACKAGE_DATA) == []


def test_packaged_knowledge_base_content() -> None:
    kb = load_knowledge()
    assert len(kb.conditions) == 49
    assert len(kb.evidences) == 223
    assert len({c.id for c in kb.conditions}) == 49
    assert all(re.fullmatch(r"[A-Z0-9., ]+", c.icd10) for c in kb.conditions)
    assert kb.condition_by_id["flu"].icd10 == "J11.1"
    assert kb.condition_by_id["common-cold"].name["en"] == "Common cold"
    assert {e.type for e in kb.evidences} == {"binary", "categorical", "multi"}
    assert sum(e.scale for e in kb.evidences) == 6
    # parent/child structure kept: pain location is a follow-up of "pain"
    assert kb.by_code["E_55"].parent == "E_53"
    assert "E_55" in {e.code for e in kb.children("E_53")}
    assert "CC-BY" in kb.attribution
    assert len(kb.sha256) == 64


def test_own_wording_differs_from_dataset() -> None:
    if not SHARED.is_dir():
        pytest.skip("needs ../shared")
    source = json.loads((SHARED / "release_evidences.json").read_text(encoding="utf-8"))
    kb = load_knowledge()
    for code, ev in source.items():
        mine = kb.by_code[code].text
        assert mine["en"].question.strip().lower() != ev["question_en"].strip().lower(), code
        assert mine["fr"].question.strip().lower() != ev["question_fr"].strip().lower(), code


def test_load_is_cached() -> None:
    assert load_knowledge() is load_knowledge()


def test_tiny_kb_loads(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    assert [c.id for c in kb.conditions] == ["cold", "flu", "clot"]
    assert kb.by_slug["chest-pain"].code == "E_3"
    assert kb.calibration is None


def _set(doc: dict[str, Any], path: list[Any], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


BROKEN = [
    # (file, path to change, new value, expected file, expected path fragment)
    (
        "ddxplus_model.json",
        ["likelihood", "E_1", 0],
        1.5,
        "ddxplus_model.json",
        "likelihood.E_1[0]",
    ),
    (
        "ddxplus_model.json",
        ["likelihood", "E_4", 1],
        [0.5],
        "ddxplus_model.json",
        "likelihood.E_4[1]",
    ),
    (
        "ddxplus_model.json",
        ["conditions", 0, "icd10"],
        "j06.9",
        "ddxplus_model.json",
        "conditions[0].icd10",
    ),
    ("ddxplus_model.json", ["conditions", 0, "prior"], 0.9, "ddxplus_model.json", "prior"),
    (
        "ddxplus_model.json",
        ["evidences", 3, "parent"],
        "E_99",
        "ddxplus_model.json",
        "evidences[3].parent",
    ),
    ("conditions.json", ["conditions", 1, "id"], "cold", "conditions.json", "conditions[1].id"),
    ("conditions.json", ["conditions", 0, "care_level"], "urgent", "conditions.json", "care_level"),
    (
        "conditions.json",
        ["conditions", 2, "source_name"],
        "Clots",
        "conditions.json",
        "source_name",
    ),
    (
        "evidence_text.json",
        ["evidences", "E_2", "slug"],
        "runny-nose",
        "evidence_text.json",
        "E_2.slug",
    ),
    (
        "evidence_text.json",
        ["evidences", "E_2", "slug"],
        "Runny Nose",
        "evidence_text.json",
        "E_2.slug",
    ),
    (
        "evidence_text.json",
        ["evidences", "E_2", "fr", "question"],
        "",
        "evidence_text.json",
        "E_2.fr.question",
    ),
    (
        "red_flags.json",
        ["rules", 0, "all_of", 0, "values"],
        ["V_9"],
        "red_flags.json",
        "all_of[0].values",
    ),
    (
        "red_flags.json",
        ["rules", 0, "all_of", 0, "evidence"],
        "E_42",
        "red_flags.json",
        "all_of[0].evidence",
    ),
    ("red_flags.json", ["rules", 0, "level"], "asap", "red_flags.json", "rules[0].level"),
]


@pytest.mark.parametrize(("file", "path", "value", "want_file", "want_path"), BROKEN)
def test_broken_fixture_fails_validation(
    tiny_docs: dict[str, Any],
    make_kb_dir: Callable[[dict[str, Any]], Path],
    file: str,
    path: list[Any],
    value: Any,
    want_file: str,
    want_path: str,
) -> None:
    _set(tiny_docs[file], path, value)
    directory = make_kb_dir(tiny_docs)
    problems = validate_knowledge(directory)
    assert problems, "a broken knowledge base must not validate"
    assert any(p.file == want_file and want_path in p.path for p in problems), [
        str(p) for p in problems
    ]
    with pytest.raises(KnowledgeError):
        load_knowledge(directory)


def test_missing_file_and_bad_json(
    tiny_docs: dict[str, Any], make_kb_dir: Callable[[dict[str, Any]], Path]
) -> None:
    del tiny_docs["red_flags.json"]
    directory = make_kb_dir(tiny_docs)
    problems = validate_knowledge(directory)
    assert [(p.file, p.problem) for p in problems] == [("red_flags.json", "file is missing")]
    (directory / "red_flags.json").write_text("{not json", encoding="utf-8")
    problems = validate_knowledge(directory)
    assert problems[0].file == "red_flags.json" and "JSON" in problems[0].problem


def test_error_message_names_file_path_value(
    tiny_docs: dict[str, Any], make_kb_dir: Callable[[dict[str, Any]], Path]
) -> None:
    tiny_docs["ddxplus_model.json"]["likelihood"]["E_2"][1] = -0.25
    message = str(validate_knowledge(make_kb_dir(tiny_docs))[0])
    assert "ddxplus_model.json" in message and "E_2" in message and "-0.25" in message


@requires_shared
def test_build_script_reproduces_packaged_model(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_kb.py"),
            "--data",
            str(SHARED),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    built = (tmp_path / "ddxplus_model.json").read_bytes()
    assert built == (PACKAGE_DATA / "ddxplus_model.json").read_bytes(), (
        "ddxplus_model.json is stale: run python tools/build_kb.py"
    )


def test_no_sex_model_and_reason_given() -> None:
    model = json.loads((PACKAGE_DATA / "ddxplus_model.json").read_text(encoding="utf-8"))
    assert model["sex_model"] is None and "balanced" in model["sex_model_reason"]
    age = model["age_model"]
    assert age is not None and age["heldout_mean_loglik"] > age["pooled_mean_loglik"]
    assert "release_test_patients_sample.csv" not in age["fitted_on"]


def test_knowledge_cache_key_is_directory(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    assert load_knowledge(tiny_kb_dir) is kb
    assert str(tiny_kb_dir.resolve()) in _model._cache
