"""Patients sampled from the knowledge base itself: recall and calibration per condition.

For every condition, :func:`run_synthetic` draws ``per_condition`` patients from the base's
own likelihoods (each yes/no symptom present with its probability for the condition; a
choice question's value drawn from its shares, follow-ups only when their parent is
present; one value for a multi-choice question) and reads each patient back through the
model, in two ways:

* ``full``: every question answered (what was not drawn is a "no"), as in DDXPlus;
* ``told``: only what is present, everything else unknown: what a person volunteers.

It reports top-1 and top-3 recall (over patients, and the mean over conditions), the
expected calibration error of the top-1 probability, how often "something else" comes
first, and the conditions recalled worst. The patients come from the model's own story,
so the figures are an upper bound: they show which conditions the base cannot tell
apart even when people answer exactly as the numbers say, and whether the probabilities
mean what they say under the model. Seeded: the same base gives the same figures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from symptomatic.bench.ddxplus import expected_calibration_error
from symptomatic.engine import compile_model, encode, posterior
from symptomatic.knowledge import KnowledgeBase

__all__ = ["run_synthetic", "sample_patients"]

Finding3 = tuple[str, str, str | None]


def sample_patients(
    kb: KnowledgeBase, condition: int, n: int, rng: np.random.Generator
) -> list[tuple[list[Finding3], list[Finding3]]]:
    """``n`` patients of ``condition``: (findings if fully asked, findings as told)."""
    arrays = kb.arrays
    lik = np.clip(np.asarray(arrays.likelihood, dtype=np.float64)[:, condition], 0.0, 1.0)
    slots: dict[str, list[int]] = {}
    for k, e in enumerate(arrays.slot_evidence):
        slots.setdefault(e, []).append(k)
    top = [e for e in kb.evidences if e.parent is None]
    out = []
    for _ in range(n):
        full: list[Finding3] = []
        told: list[Finding3] = []
        present: set[str] = set()
        for group in (top, [e for e in kb.evidences if e.parent is not None]):
            for ev in group:
                if ev.parent is not None and ev.parent not in present:
                    continue
                ks = slots[ev.id]
                if ev.kind == "binary":
                    if rng.random() < lik[ks[0]]:
                        present.add(ev.id)
                        full.append((ev.id, "present", None))
                        told.append((ev.id, "present", None))
                    else:
                        full.append((ev.id, "absent", None))
                    continue
                shares = lik[ks]
                if shares.sum() <= 0.0:
                    continue
                k = ks[int(rng.choice(len(ks), p=shares / shares.sum()))]
                value = arrays.slot_value[k]
                full.append((ev.id, "present", value))
                if value != ev.default:
                    present.add(ev.id)
                    told.append((ev.id, "present", value))
        out.append((full, told))
    return out


def run_synthetic(kb: KnowledgeBase, *, per_condition: int = 20, seed: int = 0) -> dict[str, Any]:
    """The figures of the module docstring for both ways of answering."""
    rng = np.random.default_rng(seed)
    model = compile_model(kb)
    n_c = model.n_conditions
    result: dict[str, Any] = {"conditions": n_c, "per_condition": per_condition, "seed": seed}
    samples = [sample_patients(kb, c, per_condition, rng) for c in range(n_c)]
    for mode, pick in (("full", 0), ("told", 1)):
        truth, probs = [], []
        for c in range(n_c):
            for patient in samples[c]:
                enc = encode(model, patient[pick])
                probs.append(posterior(model, enc))
                truth.append(c)
        p = np.array(probs)
        t = np.array(truth)
        order = np.argsort(-p, axis=1)
        top1 = order[:, 0] == t
        top3 = (order[:, :3] == t[:, None]).any(axis=1)
        per3 = np.array([top3[t == c].mean() for c in range(n_c)])
        worst = np.argsort(per3)[:10]
        result[mode] = {
            "patients": len(t),
            "top1": round(float(top1.mean()), 4),
            "top3": round(float(top3.mean()), 4),
            "top3_mean_over_conditions": round(float(per3.mean()), 4),
            "conditions_top3_below_half": int((per3 < 0.5).sum()),
            "ece_top1": round(expected_calibration_error(p.max(axis=1), top1), 4),
            "other_first": round(float((order[:, 0] >= n_c).mean()), 4),
            "worst_top3": {kb.conditions[int(c)].id: round(float(per3[c]), 3) for c in worst},
        }
    return result
