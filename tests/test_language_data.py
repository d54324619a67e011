"""The language data files: valid as shipped, and broken copies fail naming file/path/value."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.language._lexicon import LANGS, build, load_language
from symptomatic.language._validate import validate_language

FIXTURES = Path(__file__).parent / "fixtures" / "language"
CASES = json.loads((FIXTURES / "broken_cases.json").read_text(encoding="utf-8"))["cases"]
DATA = Path(str(resources.files("symptomatic.language") / "data"))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def test_packaged_language_data_is_valid(kb: KnowledgeBase) -> None:
    assert validate_language(kb) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_evidence_has_a_term(kb: KnowledgeBase, lang: str) -> None:
    lex = load_language(lang).lexicon
    covered = {e.evidence for e in lex.entries} | {c for e in lex.entries for c in e.family}
    covered |= {"E_55", "E_57", "E_133", "E_152"} if lex.locations else set()
    assert {e.code for e in kb.evidences} <= covered


def test_loader_builds_both_languages() -> None:
    for lang in LANGS:
        data = build(DATA, lang)
        assert data.lexicon.lang == lang and data.context.lang == lang
        assert data.outside_terms and data.red_flags


def _break(directory: Path, case: dict[str, Any]) -> None:
    path = directory / case["file"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    if "drop_evidence" in case:
        doc["entries"] = [e for e in doc["entries"] if e.get("evidence") != case["drop_evidence"]]
        for e in doc["entries"]:
            e.pop("family", None) if case["drop_evidence"] in e.get("family", []) else None
    elif "find_evidence" in case:
        entry = next(e for e in doc["entries"] if e.get("evidence") == case["find_evidence"])
        entry[case["key"]] = case["value"]
    else:
        node: Any = doc
        for key in case["path"][:-1]:
            node = node[key]
        value = case["value"]
        if value == "@first":
            value = node[0]
        node[case["path"][-1]] = value
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_data_fails_naming_file_path_value(
    kb: KnowledgeBase, tmp_path: Path, case: dict[str, Any]
) -> None:
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    _break(directory, case)
    errors = validate_language(kb, directory)
    expect = case["expect"]
    if expect["value"] == "@first":
        doc = json.loads((DATA / case["file"]).read_text(encoding="utf-8"))
        expect = {**expect, "value": doc["terms"][0]}
    matching = [
        e
        for e in errors
        if e.file == expect["file"]
        and (
            e.path == expect["path"] if "path" in expect else e.path.endswith(expect["path_suffix"])
        )
        and e.value == expect["value"]
    ]
    assert matching, f"expected {expect}, got {[str(e) for e in errors]}"
    assert expect["file"] in str(matching[0])
