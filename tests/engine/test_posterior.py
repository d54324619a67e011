"""Posterior invariants: sums to one, unknown adds nothing, one observation per answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from symptomatic import load_knowledge
from symptomatic.engine import (
    CompiledModel,
    compile_model,
    encode,
    explain,
    explain_many,
    full_observation_scores,
    log_scores,
    posterior,
    softmax,
)
from tests.conftest import TINY
from tests.engine.conftest import by_id

BINARIES = ["runny-nose", "sneezing", "chest-pain", "recent-surgery", "dizzy", "fever"]
answers = st.lists(
    st.tuples(st.sampled_from(BINARIES), st.sampled_from(["present", "absent", "unknown"])),
    max_size=6,
    unique_by=lambda t: t[0],
)


def test_unknown_contributes_nothing(model: CompiledModel) -> None:
    base = posterior(model, encode(model, []))
    with_unknown = posterior(model, encode(model, [("fever", "unknown", None)]))
    np.testing.assert_allclose(base, with_unknown)


def test_no_findings_gives_prior(model: CompiledModel) -> None:
    probs = posterior(model, encode(model, []))
    prior = np.exp(model.log_prior / model.temperature)
    np.testing.assert_allclose(probs, prior / prior.sum())
    assert by_id(model, probs)["cold"] > by_id(model, probs)["clot"]


@given(answers, st.one_of(st.none(), st.integers(0, 120)), st.sampled_from([None, "male"]))
@settings(max_examples=60, deadline=None)
def test_posterior_sums_to_one(
    model: CompiledModel, found: list[tuple[str, str]], age: int | None, sex: str | None
) -> None:
    probs = posterior(model, encode(model, [(c, s, None) for c, s in found]), age=age, sex=sex)
    assert probs.shape == (3,)
    assert np.all(probs >= 0)
    assert abs(probs.sum() - 1.0) < 1e-9


@given(answers)
@settings(max_examples=40, deadline=None)
def test_open_world_sums_to_one(open_model: CompiledModel, found: list[tuple[str, str]]) -> None:
    probs = posterior(open_model, encode(open_model, [(c, s, None) for c, s in found]))
    assert probs.shape == (4,) and open_model.other == 3
    assert abs(probs.sum() - 1.0) < 1e-9


def test_something_else_wins_what_nothing_explains(open_model: CompiledModel) -> None:
    known = posterior(
        open_model,
        encode(open_model, [("runny-nose", "present", None), ("sneezing", "present", None)]),
    )
    unknown = posterior(
        open_model,
        encode(
            open_model,
            [
                ("dizzy", "present", None),
                ("runny-nose", "absent", None),
                ("chest-pain", "absent", None),
            ],
        ),
    )
    assert known[3] < 0.2 < unknown[3]
    assert int(np.argmax(unknown)) == 3


def test_temperature_keeps_ranking() -> None:
    kb = load_knowledge(TINY)
    cold, warm = compile_model(kb, temperature=1.0), compile_model(kb, temperature=3.0)
    enc = encode(cold, [("runny-nose", "present", None), ("fever", "present", None)])
    a, b = posterior(cold, enc), posterior(warm, enc)
    assert list(np.argsort(-a)) == list(np.argsort(-b))
    assert b.max() < a.max()


def test_multi_choice_answer_counts_once(model: CompiledModel) -> None:
    one = encode(model, [("chest-pain-where", "present", "middle")])
    two = encode(
        model,
        [("chest-pain-where", "present", "middle"), ("chest-pain-where", "present", "left-side")],
    )
    assert one[1].tolist() == [1.0]
    assert two[1].tolist() == [0.5, 0.5]


def test_no_to_a_follow_up_stays_unknown(model: CompiledModel) -> None:
    slots, _ = encode(model, [("chest-pain-where", "absent", None)])
    assert len(slots) == 0  # "no" to where the pain is says nothing the parent did not


def test_sex_term_rules_out_impossible_conditions(tiny_kb_dir: object) -> None:
    import json
    from pathlib import Path

    node = Path(str(tiny_kb_dir)) / "conditions" / "flu.json"
    doc = json.loads(node.read_text(encoding="utf-8"))
    doc["sex"] = "female"
    node.write_text(json.dumps(doc), encoding="utf-8")
    m = compile_model(load_knowledge(Path(str(tiny_kb_dir))))
    probs = posterior(m, encode(m, [("fever", "present", None)]), sex="male")
    assert by_id(m, probs)["flu"] == 0.0
    assert by_id(m, posterior(m, encode(m, []), sex="female"))["flu"] > 0.0


def test_explanation_signs(model: CompiledModel) -> None:
    enc = encode(model, [("runny-nose", "present", None), ("chest-pain", "present", None)])
    probs = posterior(model, enc)
    clot = model.condition_ids.index("clot")
    weights = {c.evidence: c.weight for c in explain(model, enc, probs, clot)}
    assert weights["chest-pain"] > 0 > weights["runny-nose"]


def test_explain_many_is_explain_for_each_condition(model: CompiledModel) -> None:
    enc = encode(
        model,
        [
            ("runny-nose", "present", None),
            ("fever", "absent", None),
            ("chest-pain-where", "present", "middle"),
        ],
    )
    probs = posterior(model, enc)
    many = explain_many(model, enc, probs, [0, 1, 2])
    for i in range(3):
        assert many[i] == explain(model, enc, probs, i)


def test_vectorised_path_matches_single_case(model: CompiledModel) -> None:
    nb = len(model.binary_evidences)
    matrix = np.zeros((1, nb + len(model.value_slots)))
    present = {"runny-nose", "fever"}
    for j, e in enumerate(model.binary_evidences):
        matrix[0, j] = 1.0 if e in present else 0.0
    findings = [(e, "present" if e in present else "absent", None) for e in model.binary_evidences]
    single = posterior(model, encode(model, findings), age=30)
    batch = softmax(full_observation_scores(model, matrix, np.array([30.0])))[0]
    np.testing.assert_allclose(single, batch)


def test_log_scores_add_context(model: CompiledModel) -> None:
    enc = encode(model, [("fever", "present", None)])
    np.testing.assert_allclose(log_scores(model, enc), log_scores(model, enc, age=40))


def _with(
    tmp: Path, *, calibration: dict[str, Any] | None = None, hallmarks: tuple[str, ...] = ()
) -> CompiledModel:
    target = tmp / "kb"
    shutil.copytree(TINY, target)
    if calibration is not None:
        doc = {"generated": "test", "temperature": 1.0, **calibration}
        (target / "calibration.json").write_text(json.dumps(doc), encoding="utf-8")
    if hallmarks:
        node = target / "conditions" / "flu.json"
        record = json.loads(node.read_text(encoding="utf-8"))
        record["hallmarks"] = list(hallmarks)
        node.write_text(json.dumps(record), encoding="utf-8")
    return compile_model(load_knowledge(target))


def _for_flu(
    m: CompiledModel, findings: list[tuple[str, str, str | None]]
) -> dict[tuple[str, str | None], float]:
    enc = encode(m, findings)
    flu = m.condition_ids.index("flu")
    return {(c.evidence, c.value): c.weight for c in explain(m, enc, posterior(m, enc), flu)}


def test_a_listed_hallmark_missing_is_never_a_reason_for(tmp_path: Path) -> None:
    findings = [("runny-nose", "present", None), ("sneezing", "absent", None)]
    plain = _for_flu(_with(tmp_path / "a"), findings)
    assert plain[("sneezing", "absent")] > 0  # the numbers alone make it a reason for flu
    listed = _for_flu(_with(tmp_path / "b", hallmarks=("sneezing",)), findings)
    assert ("sneezing", "absent") not in listed
    assert ("runny-nose", "present") in listed  # the other reasons stay


def test_what_most_people_with_it_show_is_a_hallmark(tmp_path: Path) -> None:
    findings = [("runny-nose", "absent", None), ("fever", "present", None)]
    plain = _for_flu(_with(tmp_path / "a", calibration={}), findings)
    assert plain[("runny-nose", "absent")] > 0  # flu 0.8 runny nose: absent argues for it
    shared = _for_flu(_with(tmp_path / "b", calibration={"hallmark_share": 0.5}), findings)
    assert ("runny-nose", "absent") not in shared
    assert shared[("fever", "present")] > 0
