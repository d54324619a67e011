"""Question selection: invariants (gain never negative, posteriors sum to 1) and rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from symptomatic import Checker, InputError
from symptomatic.engine import encode, posterior
from symptomatic.engine.interview import (
    InterviewPolicy,
    QuestionTable,
    askable,
    compile_questions,
    discriminated_conditions,
    expected_gains,
    select,
    stop_reason,
)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def table(checker: Checker) -> QuestionTable:
    return compile_questions(checker.kb, checker.model)


def test_outcome_distributions_sum_to_one(table: QuestionTable) -> None:
    sums = np.add.reduceat(table.lik, table.starts[:-1], axis=0)
    assert np.allclose(sums, 1.0)
    assert table.n_questions == len(table.codes)


@pytest.mark.parametrize("severe_weight", [0.0, 1.0, 5.0])
def test_gain_never_negative(table: QuestionTable, severe_weight: float) -> None:
    rng = np.random.default_rng(0)
    n_c = table.lik.shape[1]
    for alpha in (0.05, 0.5, 5.0):
        for _ in range(20):
            probs = rng.dirichlet(np.full(n_c, alpha))
            gains = expected_gains(table, probs, severe_weight=severe_weight)
            assert gains.shape == (table.n_questions,)
            assert np.all(gains >= 0.0)
            assert np.all(np.isfinite(gains))


def test_severity_term_only_adds(table: QuestionTable) -> None:
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(table.lik.shape[1]))
    plain = expected_gains(table, probs, severe_weight=0.0)
    aware = expected_gains(table, probs, severe_weight=1.0)
    assert np.all(aware >= plain - 1e-12)
    assert np.any(aware > plain)


def test_no_gain_when_certain(table: QuestionTable) -> None:
    probs = np.zeros(table.lik.shape[1])
    probs[3] = 1.0
    assert np.allclose(expected_gains(table, probs), 0.0)


def test_mask_zeroes_and_matches_full(table: QuestionTable) -> None:
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.ones(table.lik.shape[1]))
    mask = rng.random(table.n_questions) < 0.5
    full = expected_gains(table, probs)
    masked = expected_gains(table, probs, mask)
    assert np.allclose(masked[mask], full[mask])
    assert np.all(masked[~mask] == 0.0)


def test_children_only_after_parent_present(checker: Checker, table: QuestionTable) -> None:
    kb = checker.kb
    child = next(e for e in kb.evidences if e.parent is not None)
    q, parent = table.index[child.code], table.index[child.parent or ""]
    answered = np.zeros(table.n_questions, dtype=np.bool_)
    present = np.zeros(table.n_questions, dtype=np.bool_)
    assert not askable(table, answered, present)[q]
    answered[parent] = True
    assert not askable(table, answered, present)[q]  # parent answered no
    present[parent] = True
    assert askable(table, answered, present)[q]
    answered[q] = True
    assert not askable(table, answered, present)[q]  # never re-asked


def test_select_picks_the_best_askable(checker: Checker, table: QuestionTable) -> None:
    model = checker.model
    enc = encode(model, [("E_53", "present", None)])
    probs = posterior(model, enc, age=40)
    assert probs.sum() == pytest.approx(1.0)
    answered = np.zeros(table.n_questions, dtype=np.bool_)
    present = np.zeros(table.n_questions, dtype=np.bool_)
    answered[table.index["E_53"]] = present[table.index["E_53"]] = True
    policy = InterviewPolicy()
    sel = select(table, probs, answered, present, policy=policy)
    assert sel is not None
    mask = askable(table, answered, present)
    gains = expected_gains(table, probs, mask)
    assert sel.gain == pytest.approx(gains.max())
    assert mask[sel.question] and sel.code == table.codes[sel.question]
    assert sel.conditions and all(0 <= c < len(checker.kb.conditions) for c in sel.conditions)
    assert discriminated_conditions(table, probs, sel.question) == sel.conditions


def test_select_none_when_everything_answered(table: QuestionTable) -> None:
    probs = np.full(table.lik.shape[1], 1.0 / table.lik.shape[1])
    done = np.ones(table.n_questions, dtype=np.bool_)
    assert select(table, probs, done, done, policy=InterviewPolicy()) is None


def test_stop_rule(checker: Checker, table: QuestionTable) -> None:
    kb = checker.kb
    n_c = len(kb.conditions)
    mild = next(i for i, c in enumerate(kb.conditions) if c.severity >= 4)
    severe = next(i for i, c in enumerate(kb.conditions) if c.severity <= 2)
    policy = InterviewPolicy(confidence=0.9, severe_risk=0.02, max_questions=5)
    sure = np.full(n_c, 0.001 / (n_c - 1))
    sure[mild] = 0.999
    assert stop_reason(table, sure, asked=0, red_flag=False, policy=policy) == "confident"
    risky = np.full(n_c, 0.0)
    risky[mild], risky[severe] = 0.95, 0.05
    assert stop_reason(table, risky, asked=0, red_flag=False, policy=policy) is None
    # A severe leading condition does not block the confident stop by itself.
    lead = np.zeros(n_c)
    lead[severe] = 1.0
    assert stop_reason(table, lead, asked=0, red_flag=False, policy=policy) == "confident"
    flat = np.full(n_c, 1.0 / n_c)
    assert stop_reason(table, flat, asked=5, red_flag=False, policy=policy) == "max_questions"
    assert stop_reason(table, flat, asked=0, red_flag=True, policy=policy) == "red_flag"
    no_flag_stop = InterviewPolicy(stop_on_red_flag=False)
    assert stop_reason(table, flat, asked=0, red_flag=True, policy=no_flag_stop) is None
    assert (
        stop_reason(table, flat, asked=0, red_flag=False, policy=policy, searched=True) == "no_gain"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("confidence", 0.0),
        ("confidence", 1.5),
        ("severe_risk", -0.1),
        ("min_gain", -1.0),
        ("severe_weight", -1.0),
        ("max_questions", -1),
    ],
)
def test_policy_rejects_bad_settings(name: str, value: float) -> None:
    with pytest.raises(InputError) as err:
        InterviewPolicy(**{name: value})  # type: ignore[arg-type]
    assert err.value.field == name


def test_tiny_kb_prefers_ruling_out_the_dangerous(tiny_kb_dir: Path) -> None:
    checker = Checker(knowledge=tiny_kb_dir)
    table = compile_questions(checker.kb, checker.model)
    probs = posterior(checker.model, encode(checker.model, []))
    aware = expected_gains(table, probs, severe_weight=1.0)
    plain = expected_gains(table, probs, severe_weight=0.0)
    surgery = table.index["E_5"]  # only tells about the clot (severity 1)
    assert aware[surgery] - plain[surgery] > 0.0
