"""Question selection: gain never negative, follow-ups after their parent, one step."""

from __future__ import annotations

import numpy as np
import pytest

from symptomatic import InputError, InterviewPolicy, load_knowledge
from symptomatic.engine import (
    CompiledModel,
    QuestionTable,
    compile_questions,
    encode,
    expected_gains,
    posterior,
    step,
)
from symptomatic.engine.interview import askable, select, stop_reason
from tests.conftest import TINY


@pytest.fixture(scope="module")
def table(model: CompiledModel) -> QuestionTable:
    return compile_questions(load_knowledge(TINY), model)


def test_outcome_distributions_sum_to_one(table: QuestionTable) -> None:
    sums = np.add.reduceat(table.lik, table.starts[:-1], axis=0)
    assert np.allclose(sums, 1.0)


@pytest.mark.parametrize("level_weight", [0.0, 1.0, 5.0])
def test_gain_never_negative(table: QuestionTable, level_weight: float) -> None:
    rng = np.random.default_rng(0)
    for alpha in (0.05, 0.5, 5.0):
        for _ in range(30):
            probs = rng.dirichlet(np.full(table.lik.shape[1], alpha))
            gains = expected_gains(table, probs, level_weight=level_weight)
            assert gains.shape == (table.n_questions,)
            assert np.all(gains >= 0.0) and np.all(np.isfinite(gains))


def _reference_gains(table: QuestionTable, probs: np.ndarray, level_weight: float) -> np.ndarray:
    """The two mutual informations computed directly from their definitions, in float64."""
    lik = table.lik.astype(np.float64)
    out = np.zeros(table.n_questions)
    for q in range(table.n_questions):
        rows = lik[table.starts[q] : table.starts[q + 1]]
        joint = rows * probs  # P(o, h)
        p_o = joint.sum(axis=1, keepdims=True)
        info = np.sum(np.where(joint > 0, joint * np.log(rows / p_o), 0.0))
        groups = np.zeros((rows.shape[0], table.n_groups))
        for h, g in enumerate(table.group):
            groups[:, g] += joint[:, h]
        p_g = groups.sum(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(groups > 0, groups / (p_o * p_g), 1.0)
        level = np.sum(groups * np.log(ratio))
        out[q] = info + level_weight * level
    return out


@pytest.mark.parametrize("level_weight", [0.0, 1.0, 3.0])
def test_gain_matches_its_definition(table: QuestionTable, level_weight: float) -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        probs = rng.dirichlet(np.full(table.lik.shape[1], 0.7))
        fast = expected_gains(table, probs, level_weight=level_weight)
        assert np.allclose(fast, _reference_gains(table, probs, level_weight), atol=1e-5)


def test_care_level_term_only_adds(table: QuestionTable) -> None:
    probs = np.array([0.3, 0.5, 0.2])
    plain = expected_gains(table, probs, level_weight=0.0)
    aware = expected_gains(table, probs, level_weight=1.0)
    assert np.all(aware >= plain - 1e-9) and np.any(aware > plain)


def test_history_questions_come_after_symptoms(table: QuestionTable) -> None:
    probs = np.array([0.3, 0.4, 0.3])
    full = expected_gains(table, probs, history_weight=1.0)
    halved = expected_gains(table, probs, history_weight=0.5)
    assert np.allclose(halved[table.history], full[table.history] * 0.5)
    assert np.allclose(halved[~table.history], full[~table.history])


def test_no_gain_when_certain(table: QuestionTable) -> None:
    gains = expected_gains(table, np.array([0.0, 1.0, 0.0]), level_weight=1.0)  # cold
    assert np.allclose(gains, 0.0, atol=1e-6)  # float32 tables


def test_mask_zeroes_and_matches_full(table: QuestionTable) -> None:
    probs = np.array([0.3, 0.4, 0.3])
    full = expected_gains(table, probs)
    mask = np.zeros(table.n_questions, dtype=bool)
    mask[[0, 2]] = True
    masked = expected_gains(table, probs, mask)
    np.testing.assert_allclose(masked[mask], full[mask])
    assert np.all(masked[~mask] == 0.0)


def test_follow_up_only_after_parent_present(table: QuestionTable) -> None:
    answered = np.zeros(table.n_questions, dtype=bool)
    present = np.zeros(table.n_questions, dtype=bool)
    where = table.index["chest-pain-where"]
    assert not askable(table, answered, present)[where]
    present[table.index["chest-pain"]] = True
    answered[table.index["chest-pain"]] = True
    assert askable(table, answered, present)[where]


def test_step_asks_then_stops(model: CompiledModel, table: QuestionTable) -> None:
    policy = InterviewPolicy()
    answered = np.zeros(table.n_questions, dtype=bool)
    present = np.zeros(table.n_questions, dtype=bool)
    probs = posterior(model, encode(model, []))
    s = step(table, probs, answered, present, asked=0, red_flag=False, policy=policy)
    assert s.reason is None and s.selection is not None
    best = select(table, probs, answered, present, policy=policy)
    assert best is not None and s.selection.evidence == best.evidence
    assert step(table, probs, answered, present, asked=0, red_flag=True, policy=policy).reason == (
        "red_flag"
    )
    assert step(
        table, probs, answered, present, asked=30, red_flag=False, policy=policy
    ).reason == ("max_questions")


def test_confident_stop_waits_for_severe_conditions(table: QuestionTable) -> None:
    policy = InterviewPolicy(confidence=0.9, severe_risk=0.01)
    # order: clot (severe), cold, flu
    assert (
        stop_reason(table, np.array([0.01, 0.99, 0.0]), asked=1, red_flag=False, policy=policy)
        is None
    )
    assert (
        stop_reason(table, np.array([0.005, 0.99, 0.005]), asked=1, red_flag=False, policy=policy)
        == "confident"
    )


def test_the_tiny_interview_rules_out_the_dangerous_first(
    model: CompiledModel, table: QuestionTable
) -> None:
    probs = posterior(model, encode(model, [("runny-nose", "absent", None)]))
    answered = np.zeros(table.n_questions, dtype=bool)
    answered[table.index["runny-nose"]] = True
    s = step(
        table,
        probs,
        answered,
        np.zeros_like(answered),
        asked=0,
        red_flag=False,
        policy=InterviewPolicy(),
    )
    assert s.selection is not None and s.selection.evidence == "chest-pain"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_questions", -5),
        ("max_questions", True),
        ("confidence", 0.0),
        ("confidence", 1.5),
        ("severe_risk", -0.1),
        ("min_gain", -1.0),
        ("level_weight", -1.0),
        ("history_weight", 1.5),
        ("severe_max", 0),
    ],
)
def test_policy_rejects_bad_settings(name: str, value: object) -> None:
    with pytest.raises(InputError, match=name):
        InterviewPolicy(**{name: value})  # type: ignore[arg-type]
