"""The readability benchmark over every rendered answer."""

from __future__ import annotations

from symptomatic.bench.words import (
    MAX_FK_GRADE,
    MIN_KANDEL_MOLES,
    passes,
    reachable_levels,
    readability,
    run_words,
)
from symptomatic.knowledge import load_knowledge


def test_reachable_levels() -> None:
    assert reachable_levels("self_care") == (
        "emergency_ambulance",
        "emergency",
        "consultation_24",
        "consultation",
        "self_care",
    )
    assert reachable_levels("emergency_ambulance") == ("emergency_ambulance",)
    assert reachable_levels("consultation_24") == (
        "emergency_ambulance",
        "emergency",
        "consultation_24",
    )


def test_readability_scores_simple_text() -> None:
    simple_en = "The cat sat on the mat. It was a warm day. The cat was happy."
    simple_fr = "Le chat est sur le tapis. Il fait beau. Le chat est content."
    assert passes(readability(simple_en, "en"), "en")
    assert passes(readability(simple_fr, "fr"), "fr")
    hard = (
        "Notwithstanding considerable epidemiological heterogeneity, the pathophysiological "
        "characterisation of inflammatory respiratory manifestations necessitates "
        "comprehensive multidisciplinary investigation."
    )
    assert not passes(readability(hard, "en"), "en")


def test_run_words() -> None:
    kb = load_knowledge()
    out = run_words(kb)
    expected = 2 * sum(len(reachable_levels(c.care_level)) for c in kb.conditions)
    assert out["count"] == expected
    assert out["en"]["count"] == out["fr"]["count"] == expected // 2
    for key in ("min", "median", "p90", "max", "share_passing"):
        assert key in out["en"]
    for key in ("min", "median", "p10", "max", "share_passing"):
        assert key in out["fr"]
    assert out["en"]["min"] <= out["en"]["median"] <= out["en"]["p90"] <= out["en"]["max"]
    assert out["fr"]["min"] <= out["fr"]["p10"] <= out["fr"]["median"] <= out["fr"]["max"]
    assert out["en"]["max"] <= MAX_FK_GRADE
    assert out["fr"]["min"] >= MIN_KANDEL_MOLES
    assert out["share_passing"] == 1.0
