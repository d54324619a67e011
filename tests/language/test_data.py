"""The language data: valid as packaged, and each kind of mistake caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from symptomatic import load_knowledge
from symptomatic.language._resources import data_dir
from symptomatic.language._validate import validate_language


def test_packaged_language_data_is_valid() -> None:
    assert validate_language(load_knowledge()) == []


@pytest.fixture
def lang_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(Path(str(data_dir())), target)
    return target


def _edit(path: Path, change: object) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "expect"),
    [
        (
            "en/lexicon.json",
            lambda d: d["entries"].append({"evidence": "elbow-ache", "terms": ["x"]}),
            "no evidence has this id",
        ),
        (
            "en/lexicon.json",
            lambda d: d["entries"].append(
                {"evidence": "pain-location", "values": ["moon"], "terms": ["moon"]}
            ),
            "not a value of",
        ),
        (
            "en/lexicon.json",
            lambda d: d["entries"].append({"evidence": "cough", "terms": ["the"]}),
            "no word left",
        ),
        (
            "fr/lexicon.json",
            lambda d: d.update(
                entries=[
                    e
                    for e in d["entries"]
                    if e.get("evidence") != "cough"
                    and "cough" not in {w["evidence"] for w in e.get("with", ())}
                ]
            ),
            "no fr words for evidence",
        ),
        (
            "en/context.json",
            lambda d: d["rules"].append(
                {"cue": "nah", "category": "sarcastic", "direction": "forward"}
            ),
            "Input should be",
        ),
        ("fr/answers.json", lambda d: d.pop("disclaimer"), "missing in this language"),
        ("en/red_flag_phrases.json", lambda d: d["concepts"].pop("stroke-words"), "phrase concept"),
        ("quantities.json", lambda d: d.update(fever_from_celsius=45), "less than or equal to 39"),
        ("en/quantities.json", lambda d: d["relative_age"].pop("units"), "Field required"),
        ("quantities.json", lambda d: d.update(bare_celsius=[39, 37]), "must be whole degrees"),
        ("quantities.json", lambda d: d.update(bare_celsius=[35, 44]), "must be whole degrees"),
        ("fr/quantities.json", lambda d: d.pop("temperature_units"), "Field required"),
    ],
)
def test_mistakes_are_caught(lang_dir: Path, file: str, change: object, expect: str) -> None:
    _edit(lang_dir / file, change)
    problems = validate_language(load_knowledge(), lang_dir)
    assert any(expect in str(p) for p in problems), [str(p) for p in problems]
