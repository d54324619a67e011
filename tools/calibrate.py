"""Fit the model's calibration on development data; write calibration.json.

Usage::

    python tools/calibrate.py [--data ../shared/data/ddxplus]

Every number is chosen on development data, never on a test half:

1. **Likelihood floor** (DDXPlus validate sample, every evidence observed, closed world):
   the largest on a grid that keeps the top-1 accuracy of the data's own floor (1e-7), so
   that one unexpected answer cannot rule a condition out outright.
2. **Temperature** T: the log posterior is divided by T before normalising. It is the T
   that minimises the negative log-likelihood of the gold condition over the development
   half of the blind lay set, read from text as people wrote it: naive Bayes counts
   correlated answers as independent, and synthetic patients (DDXPlus) are independent by
   construction, so a T fitted on them (recorded too, ``temperature_ddxplus``) is too sharp
   for real people. The file records the DDXPlus expected calibration error (top-1
   confidence, 15 bins) under both.
3. **Differential coverage** (same sample): the share of a person's present symptoms a
   condition must be able to show to stay in the differential, by the best DDF1.
4. **"Something else"** (the development half of the blind lay set, read from text as a
   person wrote it): the prior of the open-world hypothesis. "Something else is likely"
   means P(other) >= 0.5, more likely than not; the prior is the one on a grid that best
   separates the descriptions of complaints outside the base from those inside it
   (Youden's J: share of outside ones flagged minus share of inside ones flagged).

Generated; do not edit by hand.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from symptomatic.bench.ddxplus import (
    differential_metrics,
    encode_patients,
    expected_calibration_error,
    presence_matrix,
    read_patients,
)
from symptomatic.engine import (
    compile_model,
    differential_members,
    encode,
    full_observation_scores,
    posterior,
    softmax,
)
from symptomatic.knowledge import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "symptomatic" / "knowledge" / "data" / "calibration.json"
SAMPLE = "release_validate_patients_sample.csv"
OTHER_PRIORS = (0.01, 0.02, 0.05, 0.1, 0.2)
OTHER_FLOORS = (0.0, 0.05, 0.1, 0.2)
SOMETHING_ELSE_THRESHOLD = 0.5


def fit_ddxplus(kb: KnowledgeBase, data: Path) -> dict[str, object]:
    patients = list(read_patients(data / SAMPLE))

    def top1(floor: float) -> float:
        m = compile_model(kb, temperature=1.0, floor=floor, other_prior=None)
        e = encode_patients(kb, m, patients)
        scores = full_observation_scores(m, e.matrix, e.ages)
        return float((scores.argmax(axis=1) == e.truth).mean())

    floors = (1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2)
    reference = top1(1e-7)
    floor = max(f for f in floors if top1(f) >= reference)
    model = compile_model(kb, temperature=1.0, floor=floor, other_prior=None)
    enc = encode_patients(kb, model, patients)
    raw = full_observation_scores(model, enc.matrix, enc.ages)
    rows = np.arange(len(patients))

    def nll(t: float) -> float:
        z = raw / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[rows, enc.truth].mean())

    grid = np.round(np.arange(0.5, 5.01, 0.05), 2)
    best = float(min(grid, key=nll))

    def ece(t: float) -> float:
        p = softmax(raw / t)
        return expected_calibration_error(p.max(axis=1), p.argmax(axis=1) == enc.truth)

    probs = softmax(raw / best)
    present = presence_matrix(kb, model, patients)
    scores: dict[float, float] = {}
    for tau in np.round(np.arange(0.3, 1.001, 0.05), 2):
        tuned = replace(model, differential_coverage=float(tau))
        members = differential_members(tuned, probs, present)
        scores[float(tau)] = differential_metrics(probs, enc.differentials, members=members)["ddf1"]
    tau_best = max(scores, key=lambda t: scores[t])
    return {
        "temperature_ddxplus": best,
        "temperature_ddxplus_fitted_on": (
            f"DDXPlus {SAMPLE}, every evidence observed, NLL over T in [0.5, 5]"
        ),
        "patients": len(patients),
        "ece_ddxplus_t1": round(ece(1.0), 5),
        "ece_ddxplus_at_temperature_ddxplus": round(ece(best), 5),
        "_ece": ece,
        "likelihood_floor": floor,
        "likelihood_floor_fitted_on": (
            f"DDXPlus {SAMPLE}: the largest floor in {list(floors)} whose top-1 accuracy "
            f"with every evidence observed equals the data's floor's ({reference:.4f})"
        ),
        "differential_coverage": tau_best,
        "differential_coverage_fitted_on": (
            f"DDXPlus {SAMPLE}, every evidence observed, best DDF1 over coverage in [0.3, 1]"
        ),
        "ddf1_validate": round(scores[tau_best], 5),
    }


def _lay_dev_cases(kb: KnowledgeBase) -> list[tuple[Any, str]]:
    """(case, gold) for the lay set's development half, read from text (no tuning on the
    test half)."""
    from symptomatic import Checker, InputError
    from symptomatic.bench.lay import load_lay_set

    items, _ = load_lay_set()
    checker = Checker(knowledge=kb)
    out = []
    for it in items:
        if it["split"] != "dev":
            continue
        try:
            a, _ = checker.assess(age=it["age"], sex=it["sex"], text=it["text"], lang=it["lang"])
        except InputError:
            continue
        if a.probs is not None:
            out.append((a.case, it["gold"]))
    return out


def fit_temperature(kb: KnowledgeBase, floor: float) -> dict[str, object]:
    """The temperature with the least NLL of the gold condition on the lay dev half."""
    from symptomatic.engine.posterior import log_scores

    model = compile_model(kb, temperature=1.0, floor=floor, other_prior=None)
    rows = []
    for case, gold in _lay_dev_cases(kb):
        if gold == "outside":
            continue
        enc = encode(model, ((f.evidence, f.status, f.value) for f in case.findings))
        rows.append(
            (log_scores(model, enc, age=case.age, sex=case.sex), model.condition_ids.index(gold))
        )

    def nll(t: float) -> float:
        total = 0.0
        for z, truth in rows:
            y = z / t
            y = y - y.max()
            total -= float(y[truth] - np.log(np.exp(y).sum()))
        return total / len(rows)

    grid = np.round(np.arange(0.5, 4.01, 0.05), 2)
    best = float(min(grid, key=nll))
    return {
        "temperature": best,
        "temperature_fitted_on": (
            f"blind lay set, development half: {len(rows)} descriptions of conditions in the "
            f"base with a symptom read from text; least NLL of the gold condition over T in "
            f"[0.5, 4] (NLL {nll(best):.4f}; at T=1: {nll(1.0):.4f})"
        ),
    }


def fit_other(kb: KnowledgeBase, temperature: float, floor: float) -> dict[str, object]:
    """The prior of "something else" on the lay set's development half (from text)."""
    cases = [(case, gold == "outside") for case, gold in _lay_dev_cases(kb)]
    table = []
    for floor_other in OTHER_FLOORS:
        cal = replace(kb.calibration, other_symptom_floor=floor_other)
        kb_f = replace(kb, calibration=cal)
        for prior in OTHER_PRIORS:
            model = compile_model(kb_f, temperature=temperature, floor=floor, other_prior=prior)
            flagged_out = flagged_in = n_out = n_in = 0
            for case, outside in cases:
                enc = encode(model, ((f.evidence, f.status, f.value) for f in case.findings))
                p_other = float(posterior(model, enc, age=case.age, sex=case.sex)[-1])
                flag = p_other >= SOMETHING_ELSE_THRESHOLD
                if outside:
                    n_out += 1
                    flagged_out += flag
                else:
                    n_in += 1
                    flagged_in += flag
            table.append(
                {
                    "other_symptom_floor": floor_other,
                    "other_prior": prior,
                    "outside_flagged": flagged_out / max(n_out, 1),
                    "inside_flagged": flagged_in / max(n_in, 1),
                }
            )
    best = max(
        table,
        key=lambda r: (
            round(r["outside_flagged"] - r["inside_flagged"], 6),
            -r["other_prior"],
            -r["other_symptom_floor"],
        ),
    )
    return {
        "other_prior": best["other_prior"],
        "other_symptom_floor": best["other_symptom_floor"],
        "something_else_threshold": SOMETHING_ELSE_THRESHOLD,
        "other_prior_fitted_on": (
            f"blind lay set, development half, {len(cases)} descriptions with a symptom read from "
            f"text: the prior in {list(OTHER_PRIORS)} and symptom floor in {list(OTHER_FLOORS)} "
            f"with the best Youden J for P(other) >= {SOMETHING_ELSE_THRESHOLD} (outside flagged "
            f"{best['outside_flagged']:.3f}, inside flagged {best['inside_flagged']:.3f})"
        ),
        "other_prior_grid": [
            {k: round(v, 4) if isinstance(v, float) else v for k, v in r.items()} for r in table
        ],
    }


#: Not fitted: set by hand, written with the fitted numbers so the model reads one file.
CHOSEN_BY_HAND: dict[str, object] = {
    "min_fitting": 0.001,
    "min_fitting_chosen": "by hand: a condition that can show the person's symptoms is listed"
    " only while it keeps at least 1 in 1,000",
    "hallmark_share": 0.5,
    "hallmark_share_chosen": "by hand: a finding at least half of a condition's people show"
    " is a hallmark; its absence never argues for the condition",
}


def _recompile() -> None:
    """The compiled arrays record every file's hash: compile again after writing."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "kb" / "build.py"), "--compile"], check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ddxplus")
    args = parser.parse_args()
    kb = load_knowledge()
    doc: dict[str, object] = {
        "generated": "Generated by tools/calibrate.py; do not edit by hand, run the script again."
    }
    ddx = fit_ddxplus(kb, args.data)
    ece = ddx.pop("_ece")
    doc.update(ddx)
    floor = float(doc["likelihood_floor"])  # type: ignore[arg-type]
    doc.update(fit_temperature(kb, floor))
    temperature = float(doc["temperature"])  # type: ignore[arg-type]
    doc["ece_ddxplus_at_temperature"] = round(ece(temperature), 5)  # type: ignore[operator]
    doc.update(CHOSEN_BY_HAND)
    doc.update(fit_other(kb, temperature, floor))
    OUT.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(doc, indent=1))
    _recompile()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
