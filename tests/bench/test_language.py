"""The language benchmark: metrics, rendering and the command line."""

from __future__ import annotations

import json

import pytest

from symptomatic.bench.language import load_eval_set, render, run_language, score
from symptomatic.cli import main
from symptomatic.knowledge import load_knowledge
from tests.conftest import SHARED, requires_shared


def test_score_counts_findings_and_negations() -> None:
    expected = [("fever", "absent", None), ("cough", "present", None)]
    found = [
        ("fever", "present", None),
        ("cough", "present", None),
        ("runny-nose", "present", None),
    ]
    out = score([(expected, found)])
    assert out["precision"] == pytest.approx(1 / 3, abs=1e-3)
    assert out["recall"] == 0.5
    assert out["negation_accuracy"] == 0.0 and out["negation_n"] == 1


def test_eval_set_shape() -> None:
    items = load_eval_set()
    assert len(items) >= 200
    assert sum(i["lang"] == "en" for i in items) >= 150
    assert sum(i["lang"] == "fr" for i in items) >= 50
    assert sum(i["split"] == "heldout" for i in items) >= 60


def test_run_language_without_patients() -> None:
    out = run_language(load_knowledge(), limit=0)
    assert set(out) == {"blind", "own_set", "parse_ms_median", "end_to_end"}
    assert 0.0 <= out["own_set"]["heldout"]["f1"] <= 1.0
    for split in ("dev", "test"):
        for lang in ("en", "fr", "all"):
            block = out["blind"][split][lang]
            assert 0.0 <= block["findings"]["f1"] <= 1.0
            assert 0.0 <= block["top3"] <= 1.0 and block["top1"] <= block["top3"]
            assert 0.0 <= block["other_when_outside"] <= 1.0


def test_lay_findings_match_places_by_site() -> None:
    from symptomatic import load_knowledge
    from symptomatic.bench.lay import located_evidences, score_findings

    sites = {"head": ["forehead", "right-temple"], "belly": ["lower-right-part-of-the-belly"]}
    gold = {("pain", "present", None), ("pain-location", "present", "head")}
    found = {
        ("pain", "present", None, (0, 4)),
        ("pain-location", "present", "right-temple", (10, 18)),
        ("pain-location", "present", "forehead", (10, 18)),  # one mention, two places
        ("pain-location", "present", "lower-right-part-of-the-belly", (30, 35)),
    }
    out = score_findings([(gold, found)], sites, located_evidences(load_knowledge()))
    assert out["recall"] == 1.0  # the site "head" is found through "right-temple"
    assert out["precision"] == pytest.approx(2 / 3, abs=1e-3)  # the belly was not said


def test_located_evidences_come_from_roles() -> None:
    """The evidences whose places match by site are those the knowledge base gives a
    location or radiation role: the packaged one's, and the tiny one's single one."""
    from symptomatic import load_knowledge
    from symptomatic.bench.lay import located_evidences
    from tests.conftest import TINY

    packaged = located_evidences(load_knowledge())
    assert {"pain-location", "pain-radiates-to"} <= packaged
    assert located_evidences(load_knowledge(TINY)) == {"chest-pain-where"}


def test_lay_set_halves_are_frozen() -> None:
    import hashlib

    from symptomatic.knowledge._io import package_dir, read_json

    data = package_dir("symptomatic.bench", "data")
    for name, key in (("lay_set", "items"), ("lay_set_findings", "items"), ("triage_set", "items")):
        items = read_json(data, f"{name}.json")[key]
        freeze = read_json(data, f"{name}.freeze.json")
        for split in ("dev", "test"):
            part = [i for i in items if i["split"] == split]
            blob = json.dumps(part, ensure_ascii=False, sort_keys=True).encode()
            assert hashlib.sha256(blob).hexdigest() == freeze[split]["sha256"], (name, split)


def test_render_reads_back() -> None:
    from symptomatic.language.parse import parse

    kb = load_knowledge()
    answers = {
        "fever": ["present"],
        "pain": ["present"],
        "pain-location": ["lower-part-of-the-chest", "upper-part-of-the-chest"],
        "pain-intensity": ["7"],
    }
    for lang in ("en", "fr"):
        text = render(kb, answers, lang, "lexicon")
        found = {(f.evidence, f.value) for f in parse(kb, text, lang=lang).findings}
        assert {
            ("fever", None),
            ("pain", None),
            ("pain-location", "lower-part-of-the-chest"),
            ("pain-intensity", "7"),
        } <= found, text


@requires_shared
def test_cli_bench_language_json(capsys: pytest.CaptureFixture[str]) -> None:
    csv = SHARED / "ddxplus" / "release_test_patients_sample.csv"
    assert main(["bench", "language", "--json", "--patients", str(csv), "--limit", "5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["end_to_end"]["patients"] == 5
    assert set(out["end_to_end"]["top3"]) >= {"structured", "en_lexicon", "fr_kb"}
