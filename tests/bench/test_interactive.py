"""The interactive DDXPlus benchmark on a few validate patients."""

from __future__ import annotations

import pytest

from symptomatic.bench.interactive import run_interactive
from symptomatic.engine.interview import STOP_REASONS, InterviewPolicy
from symptomatic.knowledge import load_knowledge
from tests.conftest import SHARED, requires_shared

VALIDATE = SHARED / "ddxplus" / "release_validate_patients_sample.csv"


@requires_shared
def test_run_interactive_small() -> None:
    kb = load_knowledge()
    out = run_interactive(kb, VALIDATE, max_questions=30, limit=20)
    assert out["n"] == 20 and out["mode"] == "interactive"
    for key in ("gtpa@1", "gtpa@3", "gtpa@5", "ddr", "ddp", "ddf1", "per", "pep"):
        assert 0.0 <= float(out[key]) <= 1.0, key
    assert float(out["gtpa@1"]) <= float(out["gtpa@3"]) <= float(out["gtpa@5"])
    assert 0.0 < float(out["il"]) <= 30
    assert 0.0 <= float(out["severe_escalated"]) <= 1.0
    assert float(out["next_question_median_ms"]) > 0.0
    assert float(out["seconds"]) > 0.0
    assert out["stopped_red_flag"] == 0.0  # the benchmark continues past red flags
    stops = sum(float(out[f"stopped_{r}"]) for r in STOP_REASONS)
    assert stops == pytest.approx(1.0)


@requires_shared
def test_budget_and_red_flag_stop() -> None:
    kb = load_knowledge()
    short = run_interactive(kb, VALIDATE, max_questions=2, limit=20)
    assert float(short["il"]) <= 2
    strict = run_interactive(
        kb, VALIDATE, limit=20, stop_on_red_flag=True, policy=InterviewPolicy(confidence=0.99)
    )
    assert strict["stop_on_red_flag"] == "true"
    assert float(strict["stopped_red_flag"]) == pytest.approx(float(strict["red_flag_fired"]))


def test_missing_file_is_an_input_error() -> None:
    from symptomatic import InputError

    with pytest.raises(InputError):
        run_interactive(load_knowledge(), "/nonexistent/patients.csv")
