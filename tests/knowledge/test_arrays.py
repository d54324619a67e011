"""How the records become arrays: listed numbers, unlisted rules, neutral evidences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from symptomatic import load_knowledge


def _row(kb: object, evidence: str, value: str) -> np.ndarray:
    arrays = kb.arrays  # type: ignore[attr-defined]
    k = list(zip(arrays.slot_evidence, arrays.slot_value, strict=True)).index((evidence, value))
    return np.asarray(arrays.likelihood[k])


def test_listed_unlisted_and_neutral(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    order = [c.id for c in kb.conditions]  # clot, cold, flu
    runny = dict(zip(order, _row(kb, "runny-nose", "present"), strict=True))
    assert runny["cold"] == 0.9 and runny["flu"] == 0.8
    assert runny["clot"] == 1e-7  # the source covers it: its unlisted likelihood
    dizzy = _row(kb, "dizzy", "present")  # no source covers it: neutral, the background
    assert np.all(dizzy == 0.2)
    absent = _row(kb, "runny-nose", "absent")
    np.testing.assert_allclose(absent + _row(kb, "runny-nose", "present"), 1.0)


def test_unlisted_choice_gets_the_rule_for_every_value(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    cold = [c.id for c in kb.conditions].index("cold")
    for v in ("nowhere", "left-side", "middle"):
        assert _row(kb, "chest-pain-where", v)[cold] == 1e-7


def test_leak_rule(tiny_kb_dir: Path) -> None:
    vocab = json.loads((tiny_kb_dir / "vocabulary.json").read_text(encoding="utf-8"))
    for e in vocab["evidences"]:
        if e["kind"] == "binary":
            e["leak"] = {"p": 0.03, "source": "test"}
    (tiny_kb_dir / "vocabulary.json").write_text(json.dumps(vocab), encoding="utf-8")
    node = tiny_kb_dir / "conditions" / "clot.json"
    doc = json.loads(node.read_text(encoding="utf-8"))
    doc["unlisted"] = [{"scope": "binary", "p": "leak", "source": "test"}]
    node.write_text(json.dumps(doc), encoding="utf-8")
    kb = load_knowledge(tiny_kb_dir)
    clot = [c.id for c in kb.conditions].index("clot")
    assert _row(kb, "runny-nose", "present")[clot] == 0.03
    assert _row(kb, "dizzy", "present")[clot] == 0.03  # "binary" covers every yes/no evidence


def test_age_terms_on_one_grid_and_sex(tiny_kb_dir: Path) -> None:
    for cid, age, sex in (
        ("cold", {"bands": [0, 5, 121], "log_ratio": [1.0, -1.0], "source": "test"}, None),
        ("flu", {"bands": [0, 16, 121], "log_ratio": [0.5, 0.0], "source": "test"}, "female"),
    ):
        node = tiny_kb_dir / "conditions" / f"{cid}.json"
        doc = json.loads(node.read_text(encoding="utf-8"))
        doc["age"] = age
        if sex:
            doc["sex"] = sex
        node.write_text(json.dumps(doc), encoding="utf-8")
    kb = load_knowledge(tiny_kb_dir)
    arrays = kb.arrays
    assert arrays.age_bands == (0.0, 5.0, 16.0, 121.0)
    order = [c.id for c in kb.conditions]
    assert arrays.age_log_ratio is not None and arrays.sex_log_ratio is not None
    np.testing.assert_array_equal(arrays.age_log_ratio[order.index("cold")], [1.0, -1.0, -1.0])
    np.testing.assert_array_equal(arrays.age_log_ratio[order.index("flu")], [0.5, 0.5, 0.0])
    assert arrays.sex_log_ratio[order.index("flu"), 0] == -np.inf
    assert arrays.sex_log_ratio[order.index("flu"), 1] == 0.0
