from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symptomatic import Checker, load_knowledge
from symptomatic.bench.ddxplus import encode_patients, read_patients
from symptomatic.engine import (
    compile_model,
    encode,
    explain,
    full_observation_scores,
    log_scores,
    normalise_rows,
    posterior,
)
from tests.conftest import SHARED, requires_shared


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return compile_model(load_knowledge())


def test_unknown_contributes_nothing(model) -> None:  # type: ignore[no-untyped-def]
    base = posterior(model, encode(model, []))
    with_unknown = posterior(model, encode(model, [("E_91", "unknown", None)]))
    np.testing.assert_allclose(base, with_unknown)


def test_no_findings_gives_prior(model) -> None:  # type: ignore[no-untyped-def]
    probs = posterior(model, encode(model, []))
    prior = np.exp(model.log_prior / model.temperature)
    np.testing.assert_allclose(probs, prior / prior.sum())


answers = st.lists(
    st.tuples(
        st.sampled_from(["E_91", "E_201", "E_97", "E_66", "E_53", "E_79", "E_181"]),
        st.sampled_from(["present", "absent", "unknown"]),
    ),
    max_size=7,
    unique_by=lambda t: t[0],
)


@given(answers, st.one_of(st.none(), st.integers(0, 120)))
@settings(max_examples=60, deadline=None)
def test_posterior_sums_to_one(model, found, age) -> None:  # type: ignore[no-untyped-def]
    enc = encode(model, [(c, s, None) for c, s in found])
    probs = posterior(model, enc, age=age)
    assert probs.shape == (49,)
    assert np.all(probs >= 0)
    assert abs(probs.sum() - 1.0) < 1e-9


def test_temperature_keeps_ranking() -> None:
    kb = load_knowledge()
    cold = compile_model(kb, temperature=1.0)
    warm = compile_model(kb, temperature=3.0)
    enc = encode(cold, [("E_91", "present", None), ("E_201", "present", None)])
    a, b = posterior(cold, enc), posterior(warm, enc)
    assert list(np.argsort(-a)) == list(np.argsort(-b))
    assert b.max() < a.max()  # a higher temperature is less confident


def test_multi_choice_answer_counts_once(model) -> None:  # type: ignore[no-untyped-def]
    one = encode(model, [("E_55", "present", "V_29")])
    two = encode(model, [("E_55", "present", "V_29"), ("E_55", "present", "V_101")])
    assert one[1].tolist() == [1.0]
    assert two[1].tolist() == [0.5, 0.5]


def test_absent_choice_uses_default(model) -> None:  # type: ignore[no-untyped-def]
    slots, _ = encode(model, [("E_204", "absent", None)])
    assert model.slot_value[int(slots[0])] == model.default_value["E_204"]


def test_explanation_signs(model) -> None:  # type: ignore[no-untyped-def]
    kb = load_knowledge()
    enc = encode(
        model, [("E_91", "present", None), ("E_201", "present", None), ("E_181", "present", None)]
    )
    probs = posterior(model, enc)
    flu = [c.id for c in kb.conditions].index("flu")
    weights = {c.evidence: c.weight for c in explain(model, enc, probs, flu)}
    assert weights["E_91"] > 0  # fever argues for flu
    cold = [c.id for c in kb.conditions].index("common-cold")
    absent = encode(model, [("E_181", "absent", None)])
    w = {c.evidence: c.weight for c in explain(model, absent, posterior(model, absent), cold)}
    assert w["E_181"] < 0  # no runny nose argues against a cold


@requires_shared
def test_vectorised_path_matches_single_case(model) -> None:  # type: ignore[no-untyped-def]
    kb = load_knowledge()
    patients = list(read_patients(SHARED / "release_validate_patients_sample.csv", limit=25))
    enc = encode_patients(kb, model, patients)
    batch = normalise_rows(full_observation_scores(model, enc.matrix, enc.ages))
    for i, pt in enumerate(patients):
        answers = pt.answers()
        found = []
        for code in model.binary_codes:
            found.append((code, "present" if code in answers else "absent", None))
        for code, values in answers.items():
            if kb.by_code[code].type != "binary":
                found += [(code, "present", v) for v in values]
        single = posterior(model, encode(model, found), age=pt.age)
        np.testing.assert_allclose(batch[i], single, rtol=1e-6, atol=1e-12)


def test_log_scores_add_age_term(model) -> None:  # type: ignore[no-untyped-def]
    enc = encode(model, [("E_91", "present", None)])
    infant = log_scores(model, enc, age=0)
    adult = log_scores(model, enc, age=40)
    kb = load_knowledge()
    i = [c.id for c in kb.conditions].index("bronchiolitis")
    assert infant[i] > adult[i]


def test_checker_result_shape(tiny_kb_dir: Path) -> None:
    checker = Checker(knowledge=tiny_kb_dir)
    result = checker.check(age=30, sex="F", findings=[])
    assert result.differential == ()
    assert result.triage.level == "consultation"
    data = checker.check(findings=[]).to_dict()
    for key in (
        "differential",
        "triage",
        "findings",
        "not_understood",
        "something_else",
        "summary",
        "disclaimer",
    ):
        assert key in data


def _random_findings(kb, rng):  # type: ignore[no-untyped-def]
    found = []
    for i in rng.choice(len(kb.evidences), size=int(rng.integers(1, 14)), replace=False):
        ev = kb.evidences[int(i)]
        status = str(rng.choice(["present", "present", "absent", "unknown"]))
        if ev.type == "binary" or status != "present":
            found.append((ev.code, status, None))
        else:
            k = 1 if ev.type == "categorical" else int(rng.integers(1, 4))
            picks = rng.choice(len(ev.values), size=min(k, len(ev.values)), replace=False)
            found += [(ev.code, "present", ev.values[int(j)]) for j in picks]
    return found


def test_explain_many_is_explain_for_each_condition(model) -> None:  # type: ignore[no-untyped-def]
    from symptomatic.engine.posterior import explain_many

    kb = load_knowledge()
    rng = np.random.default_rng(5)
    everyone = list(range(model.n_conditions))
    for _ in range(40):
        enc = encode(model, _random_findings(kb, rng))
        probs = posterior(model, enc, age=float(rng.integers(0, 100)))
        conditions = [int(i) for i in rng.permutation(everyone)[: int(rng.integers(1, 12))]]
        for probs_ in (probs, np.eye(model.n_conditions)[conditions[0]]):  # incl. p = 1
            many = explain_many(model, enc, probs_, conditions)
            assert len(many) == len(conditions)
            for i, got in zip(conditions, many, strict=True):
                assert got == explain(model, enc, probs_, i)  # same floats, same order
    assert explain_many(model, encode(model, []), probs, [0, 1]) == [[], []]
    assert explain_many(model, enc, probs, []) == []


def test_interview_reuses_its_first_case_only_when_identical() -> None:
    """Before any answer the interview reuses its checked first case: it must be exactly
    what checking the findings again gives (the case its posterior is computed from)."""
    from symptomatic import Finding, InputError, Interview
    from symptomatic._case import make_case

    checker = Checker()
    kb = checker.kb
    rng = np.random.default_rng(11)
    follow_ups = [e for e in kb.evidences if e.parent is not None and e.type != "binary"]
    checked = 0
    for n in range(60):
        found = [Finding(c, s, v) for c, s, v in _random_findings(kb, rng)]  # type: ignore[arg-type]
        ev = follow_ups[n % len(follow_ups)]
        found.append(Finding(ev.code, "present", ev.values[0]))  # implies its parent
        if n % 3 == 0:
            found.append(Finding(kb.evidences[n].slug, "unknown"))
        try:
            interview = Interview(checker, age=float(n), sex="female", findings=found)
        except InputError:  # conflicting random answers
            continue
        again = make_case(kb, age=float(n), sex="female", findings=interview._initial)
        assert interview.case() == again
        checked += 1
    assert checked >= 30
    marked = [Finding(kb.evidences[0].code, "present", source="implied")]
    interview = Interview(checker, age=30, sex="male", findings=marked)
    assert interview._first_case is None
    assert interview.case() == make_case(kb, age=30, sex="male", findings=interview._initial)
