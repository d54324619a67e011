"""The golden rule: a DDXPlus-only base from today's builder gives the first round's answers.

The references (``tests/fixtures/golden``) were computed by the code before the knowledge
moved to its canonical form: posteriors of the DDXPlus validate sample (every evidence
observed, and half of each patient's evidences one at a time), and the benchmark figures.
The base is built from ``../shared/data`` by ``tools/kb/build.py --sources ddxplus`` with
the first round's calibration; DDXPlus codes are read through the vocabulary's aliases.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from symptomatic import load_knowledge
from symptomatic.bench.ddxplus import encode_patients, read_patients, run_full
from symptomatic.bench.interactive import run_interactive
from symptomatic.engine import compile_model, encode, full_observation_scores, posterior, softmax
from symptomatic.knowledge import KnowledgeBase
from tests.conftest import FIXTURES, ROOT, SHARED, requires_shared

GOLDEN = FIXTURES / "golden"
FIGURES = json.loads((GOLDEN / "figures.json").read_text(encoding="utf-8"))
VALIDATE = SHARED / "ddxplus" / "release_validate_patients_sample.csv"
TEST = SHARED / "ddxplus" / "release_test_patients_sample.csv"

pytestmark = requires_shared


@pytest.fixture(scope="module")
def ddxplus_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    out = tmp_path_factory.mktemp("golden") / "kb"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "kb" / "build.py"),
            "--sources",
            "ddxplus",
            "--out",
            str(out),
            "--shared",
            str(SHARED),
            "--calibration",
            str(GOLDEN / "calibration_ddxplus.json"),
        ],
        check=True,
        capture_output=True,
    )
    return load_knowledge(out)


def _reference_order(kb: KnowledgeBase) -> list[int]:
    ids = [str(i) for i in np.load(GOLDEN / "ddxplus_golden.npz")["condition_ids"]]
    model_ids = [c.id for c in kb.conditions]
    return [model_ids.index(i) for i in ids]


def test_posteriors_with_every_evidence(ddxplus_kb: KnowledgeBase) -> None:
    model = compile_model(ddxplus_kb)
    patients = list(read_patients(VALIDATE))
    enc = encode_patients(ddxplus_kb, model, patients)
    probs = softmax(full_observation_scores(model, enc.matrix, enc.ages))
    expected = np.load(GOLDEN / "ddxplus_golden.npz")["full"]
    np.testing.assert_allclose(probs[:, _reference_order(ddxplus_kb)], expected, atol=1e-12)


def test_posteriors_one_answer_at_a_time_through_the_aliases(ddxplus_kb: KnowledgeBase) -> None:
    model = compile_model(ddxplus_kb)
    cases = json.loads((GOLDEN / "single_cases.json").read_text(encoding="utf-8"))
    order = _reference_order(ddxplus_kb)
    alias, value = ddxplus_kb.evidence_alias, ddxplus_kb.value_alias
    got = []
    for case in cases:
        findings = [
            (alias[e], s, None if v is None else (v if v.isdigit() else value[v]))
            for e, s, v in case["findings"]
        ]
        got.append(posterior(model, encode(model, findings), age=case["age"])[order])
    expected = np.load(GOLDEN / "ddxplus_golden.npz")["single"]
    np.testing.assert_allclose(np.array(got), expected, atol=1e-12)


def test_full_evidence_figures(ddxplus_kb: KnowledgeBase) -> None:
    # The posterior is the same computation: accuracy to the last patient. The
    # differential changed on purpose (a condition that fits the picture is listed only
    # from 0.1 %, see engine.posterior.MIN_FITTING), so DDF1 has a floor, not a value.
    for name, path in (("full_test", TEST), ("full_validate", VALIDATE)):
        out = run_full(ddxplus_kb, path)
        for metric in ("gtpa@1", "gtpa@3"):
            assert out[metric] == pytest.approx(FIGURES["ddxplus"][name][metric], abs=1e-5)
        assert out["ddf1"] >= 0.35


def test_interactive_figures(ddxplus_kb: KnowledgeBase) -> None:
    # Question choice changed on purpose (care-level gain, history after symptoms): the
    # interview must stay as accurate as the first round's, at a similar length.
    out = run_interactive(ddxplus_kb, TEST)
    want = FIGURES["ddxplus"]["interactive_test"]
    assert out["gtpa@1"] >= want["gtpa@1"] - 0.006  # the "settled" stop trades a little
    assert out["il"] <= want["il"] + 1.5


def test_language_figures_hold() -> None:
    # The project's own annotated set predates the blind sets and the open world (some of
    # its "outside the base" phrases are now conditions of the base): a floor against gross
    # regressions, not a target. The blind lay set is what BENCHMARKS.md reports.
    from symptomatic.bench.language import run_eval_set

    kb = load_knowledge()
    assert run_eval_set(kb, "heldout")["f1"] >= 0.85
    assert run_eval_set(kb, "dev")["f1"] >= 0.85
