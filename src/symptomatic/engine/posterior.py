"""Posterior over conditions, explanations, and the vectorised full-observation path.

Pure functions over a :class:`~symptomatic.engine.CompiledModel`: no I/O, no text.

The model is naive Bayes over the knowledge base's evidences, with an optional open-world
hypothesis ("something else", :attr:`CompiledModel.other`). A finding that is *unknown*
(or not asked) contributes nothing. A multi-choice answer (e.g. the places where it hurts)
is one observation: its k values each contribute log P(value | condition) / k, the log of
the geometric mean of the value shares. Summing them instead counts one answer k times; on
the DDXPlus validate sample that choice makes 8 top-1 errors in 589 patients, the geometric
mean 3. The log posterior is divided by the calibrated temperature before normalising with
log-sum-exp, which keeps the ranking and makes the probabilities honest (see
``tools/calibrate.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from symptomatic.engine.compile import CompiledModel, FloatArray, IntArray, full_arrays


def softmax(z: FloatArray) -> FloatArray:
    """exp(z) normalised along the last axis, computed stably (the one normaliser)."""
    out: FloatArray = z - z.max(axis=-1, keepdims=True)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


Encoded = tuple[IntArray, FloatArray]


def encode(model: CompiledModel, findings: Iterable[tuple[str, str, str | None]]) -> Encoded:
    """Slots and weights of ``(evidence, status, value)`` findings; unknown ones add nothing.

    Binary: present/absent slot. Categorical and multi-choice: the slot of the value when
    present; when absent with no value, the evidence's default value (e.g. "nowhere").
    Each slot of a multi-choice evidence with k values gets weight 1/k, others 1.
    """
    slots: list[int] = []
    index = model.slot_index
    for code, status, value in findings:
        if status == "unknown":
            continue
        if value is None:
            key = (code, status) if (code, status) in index else None
            if key is None and status == "absent":
                default = model.default_value.get(code)
                key = (code, default) if default is not None else None
            if key is not None:
                slots.append(index[key])
        elif status == "present":
            slots.append(index[(code, value)])
    idx = np.asarray(slots, dtype=np.intp)
    weights = np.ones(len(idx))
    if len(idx):
        evs = [model.slot_evidence[i] for i in slots]
        counts: dict[str, int] = {}
        for code in evs:
            counts[code] = counts.get(code, 0) + 1
        for j, code in enumerate(evs):
            if counts[code] > 1 and code in model.multi_evidences:
                weights[j] = 1.0 / counts[code]
    return idx, weights


def context_prior(
    model: CompiledModel, *, age: float | None = None, sex: str | None = None
) -> FloatArray:
    """log prior of every hypothesis for a person of this age and sex (before temperature)."""
    scores = model.log_prior
    term = model.age_term(age)
    if term is not None:
        scores = scores + term
    term = model.sex_term(sex)
    if term is not None:
        scores = scores + term
    return scores


def log_scores(
    model: CompiledModel, enc: Encoded, *, age: float | None = None, sex: str | None = None
) -> FloatArray:
    """Unnormalised log P(hypothesis, findings), before temperature."""
    slots, weights = enc
    return context_prior(model, age=age, sex=sex) + weights @ model.log_lik[slots]


def posterior(
    model: CompiledModel, enc: Encoded, *, age: float | None = None, sex: str | None = None
) -> FloatArray:
    """P(hypothesis | findings), calibrated; sums to 1 (the last one is "something else"
    when the model has it)."""
    return softmax(log_scores(model, enc, age=age, sex=sex) / model.temperature)


@dataclass(frozen=True, slots=True)
class Contribution:
    """How much one answer moves one condition, as a log likelihood ratio.

    ``weight > 0`` argues for the condition, ``< 0`` against it. The ratio compares the
    condition with the other conditions, weighted by their current probabilities.
    """

    slot: int
    evidence: str
    value: str | None
    weight: float


def explain(
    model: CompiledModel, enc: Encoded, probs: FloatArray, condition: int
) -> list[Contribution]:
    """The findings for and against ``condition``, strongest first: :func:`explain_many`
    for one condition."""
    return explain_many(model, enc, probs, [condition])[0]


def explain_many(
    model: CompiledModel, enc: Encoded, probs: FloatArray, conditions: Sequence[int]
) -> list[list[Contribution]]:
    """The findings for and against each of ``conditions``, strongest first, in one numpy
    pass.

    A contribution's weight compares the condition with the others, weighted by their
    current probabilities. The absence of one of a condition's hallmarks
    (``model.not_for``) is never listed as a reason for it.
    """
    slots, wts = enc
    conds = np.asarray(conditions, dtype=np.intp)
    if len(slots) == 0 or len(conds) == 0:
        return [[] for _ in range(len(conds))]
    rows = np.arange(len(conds))
    others = np.repeat(probs[None, :], len(conds), axis=0)  # (n, C)
    others[rows, conds] = 0.0
    total = others.sum(axis=1)
    empty = total <= 0.0
    if empty.any():
        others[empty] = 1.0
        others[rows[empty], conds[empty]] = 0.0
        total[empty] = others[empty].sum(axis=1)
    ll = model.log_lik[slots]  # (k, C)
    mine = ll[:, conds]  # (k, n)
    m = ll.max(axis=1, keepdims=True)
    share = others / total[:, None]  # (n, C)
    alt = np.log(np.exp(ll - m) @ share.T) + m  # (k, n)
    weights = wts[:, None] * (mine - alt) / model.temperature  # (k, n)
    dropped = (model.not_for[slots][:, conds] & (weights > 0.0)).T.tolist()  # (n, k)
    named = [(s, model.slot_evidence[s], model.slot_value[s]) for s in slots.tolist()]
    out: list[list[Contribution]] = []
    for column, drop in zip(weights.T.tolist(), dropped, strict=True):
        row = [
            Contribution(s, code, value, w)
            for (s, code, value), w, d in zip(named, column, drop, strict=True)
            if not d
        ]
        row.sort(key=lambda c: -abs(c.weight))
        out.append(row)
    return out


def full_observation_scores(
    model: CompiledModel,
    matrix: Any,
    ages: FloatArray | None = None,
    *,
    precision: str = "float64",
) -> Any:
    """Log scores for many cases with every evidence observed (the DDXPlus "full" mode).

    ``matrix`` is (n, B + V): first a 0/1 column per binary evidence in
    ``model.binary_evidences`` order (absent where 0), then a weight per value slot in
    ``model.value_slots`` order (1 for a categorical value, 1/k for each of k values of a
    multi-choice answer); a numpy array or a scipy sparse matrix (the sparse path: about 98 %
    of the entries are 0). Returns (n, H) unnormalised log scores after the temperature.
    ``precision="float32"`` computes in single precision, about twice as fast; the
    benchmark checks that it ranks every case as float64 does.
    """
    full = full_arrays(model)
    weights: Any = full.weights if precision == "float64" else full.weights32
    offset = full.offset.astype(weights.dtype, copy=False)
    if hasattr(matrix, "tocsr"):
        scores = np.asarray(matrix.astype(weights.dtype) @ weights)
    else:
        scores = np.asarray(matrix, dtype=weights.dtype) @ weights
    scores += offset
    if ages is not None and model.age_log_ratio is not None:
        bands = np.searchsorted(np.asarray(model.age_bands), ages, side="right") - 1
        bands = np.clip(bands, 0, model.age_log_ratio.shape[1] - 1)
        scores += (model.age_log_ratio.T[bands] / model.temperature).astype(weights.dtype)
    return scores


def coverage(model: CompiledModel, present: FloatArray) -> FloatArray:
    """Share of the person's present *symptoms* that each condition can show.

    ``present`` is (E,) or (n, E): 1.0 for each evidence (in ``model.evidence_codes``
    order) that is present. History and risk factors are left out. Returns (C,) or (n, C);
    0 where no symptom is present.
    """
    symptoms = present * model.symptom_column
    total = symptoms.sum(axis=-1, keepdims=True)
    if symptoms.ndim == 1:  # one person: only the columns of their symptoms
        said = np.flatnonzero(symptoms)
        one: FloatArray = (model.shows[:, said] @ symptoms[said]) / max(float(total[0]), 1.0)
        return one
    out: FloatArray = (symptoms @ model.shows.T) / np.maximum(total, 1.0)
    return out


def differential_members(
    model: CompiledModel,
    probs: FloatArray,
    present: FloatArray,
    *,
    min_probability: float = 0.01,
) -> NDArray[np.bool_]:
    """Which conditions belong in the differential: the ones still worth considering.

    A condition is in when its calibrated probability is above ``min_probability``, or
    when it can show at least ``model.differential_coverage`` of the person's present
    symptoms (its source's evidence list covers them) and keeps at least
    ``model.min_fitting``: a clinician's differential keeps conditions that fit the picture
    even when another one is far more likely. Both numbers are in ``calibration.json``.
    Works on one case or many (``probs`` over the hypotheses, "something else" included or
    not); returns (C,) or (n, C) over the knowledge base's conditions, the most likely of
    them always in.
    """
    probs = probs[..., : model.n_conditions]
    fits = (coverage(model, present) >= model.differential_coverage) & (probs >= model.min_fitting)
    members = (probs > min_probability) | fits
    top = np.argmax(probs, axis=-1)
    if members.ndim == 1:
        members[top] = True
    else:
        members[np.arange(members.shape[0]), top] = True
    return members
