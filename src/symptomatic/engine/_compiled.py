"""Numpy arrays compiled once from a knowledge base.

Every answer the model can receive is a *slot*: a binary evidence has two (present,
absent), a categorical or multi-choice evidence one per value. ``log_lik[slot, c]`` is
log P(answer | condition c). A case is then a list of slot indices, and its unnormalised
log posterior is ``log_prior + log_lik[slots].sum(axis=0)`` (plus the age term).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from symptomatic.knowledge import KnowledgeBase

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True, eq=False)
class CompiledModel:
    """Arrays for fast inference; build with :func:`compile_model`."""

    condition_ids: tuple[str, ...]
    log_prior: FloatArray  # (C,)
    log_lik: FloatArray  # (K, C)
    slot_evidence: tuple[str, ...]  # (K,) evidence code of each slot
    slot_value: tuple[str | None, ...]  # (K,) value, "present"/"absent" for binaries
    slot_index: dict[tuple[str, str], int]  # (code, value) -> slot
    evidence_slots: dict[str, IntArray]  # code -> its slots (binary: present, absent)
    severity: NDArray[np.int64]  # (C,)
    age_bands: tuple[int, ...]
    age_log_ratio: FloatArray | None  # (C, bands) or None
    temperature: float
    # Full-observation helpers (binary absent unless present):
    binary_codes: tuple[str, ...]
    absent_baseline: FloatArray  # (C,) sum of log P(absent) over every binary evidence
    binary_delta: FloatArray  # (B, C) log P(present) - log P(absent), binary_codes order
    value_slots: IntArray  # (V,) the slots of categorical and multi-choice values
    value_log_lik: FloatArray  # (V, C) log_lik rows of value_slots
    default_value: dict[str, str]  # code -> default value, non-binary evidences
    multi_codes: frozenset[str]  # multi-choice evidences
    # The full-observation path with the temperature folded in:
    full_weights: FloatArray  # (B + V, C) [binary_delta; value_log_lik] / temperature
    full_offset: FloatArray  # (C,) (log_prior + absent_baseline) / temperature
    # Which evidences each condition can show (its DDXPlus evidence list):
    evidence_codes: tuple[str, ...]  # (E,) all evidences, knowledge-base order
    evidence_column: dict[str, int]  # code -> column of ``shows``
    shows: FloatArray  # (C, E) 1.0 where the condition's list has the evidence
    symptom_column: NDArray[np.bool_]  # (E,) True for symptoms, False for history
    differential_coverage: float  # see posterior.differential_members

    @property
    def n_conditions(self) -> int:
        return len(self.condition_ids)

    def age_term(self, age: float | None) -> FloatArray | None:
        """log P(age band | c) / P(age band), or None when age is unknown or unmodelled."""
        if age is None or self.age_log_ratio is None:
            return None
        bands = self.age_bands
        for b in range(len(bands) - 1):
            if bands[b] <= age < bands[b + 1]:
                return self.age_log_ratio[:, b]
        return None


def compile_model(
    kb: KnowledgeBase, *, temperature: float | None = None, floor: float | None = None
) -> CompiledModel:
    """Compile ``kb`` into arrays. ``temperature`` and ``floor`` override the calibrated ones.

    ``floor`` is the smallest likelihood any answer gets: the data says 1e-7 for a symptom
    a condition never showed in 1.3 M simulated patients; real people answer less
    cleanly, and ``tools/calibrate.py`` picks the largest floor that costs no accuracy.
    """
    floor = float(floor) if floor is not None else _floor(kb)
    n_c = len(kb.conditions)
    rows: list[FloatArray] = []
    slot_evidence: list[str] = []
    slot_value: list[str | None] = []
    evidence_slots: dict[str, IntArray] = {}
    binary_codes: list[str] = []
    absent_baseline = np.zeros(n_c)
    for ev in kb.evidences:
        table = kb.likelihood[ev.code]
        start = len(rows)
        if ev.type == "binary":
            p = np.clip(np.asarray(table, dtype=np.float64), floor, 1.0 - floor)
            rows.append(np.log(p))
            rows.append(np.log1p(-p))
            slot_evidence += [ev.code, ev.code]
            slot_value += ["present", "absent"]
            binary_codes.append(ev.code)
            absent_baseline += np.log1p(-p)
        else:
            p = np.clip(np.asarray(table, dtype=np.float64), floor, 1.0)  # (C, V)
            for j, value in enumerate(ev.values):
                rows.append(np.log(p[:, j]))
                slot_evidence.append(ev.code)
                slot_value.append(value)
        evidence_slots[ev.code] = np.arange(start, len(rows), dtype=np.intp)
    log_lik = np.ascontiguousarray(np.vstack(rows))
    temp = float(temperature) if temperature is not None else _calibrated(kb)
    present_rows = np.array([evidence_slots[c][0] for c in binary_codes], dtype=np.intp)
    value_slots = np.array(
        [i for i, v in enumerate(slot_value) if v not in ("present", "absent")], dtype=np.intp
    )
    priors = np.array([c.prior for c in kb.conditions], dtype=np.float64)
    log_prior = np.log(priors / priors.sum())
    binary_delta = log_lik[present_rows] - log_lik[present_rows + 1]
    age = kb.age_model
    evidence_codes = tuple(e.code for e in kb.evidences)
    column = {c: i for i, c in enumerate(evidence_codes)}
    shows = np.zeros((n_c, len(evidence_codes)))
    for j, cond in enumerate(kb.conditions):
        shows[j, [column[e] for e in cond.evidences]] = 1.0
    return CompiledModel(
        condition_ids=tuple(c.id for c in kb.conditions),
        log_prior=log_prior,
        log_lik=log_lik,
        slot_evidence=tuple(slot_evidence),
        slot_value=tuple(slot_value),
        slot_index={
            (e, v): i
            for i, (e, v) in enumerate(zip(slot_evidence, slot_value, strict=True))
            if v is not None
        },
        evidence_slots=evidence_slots,
        severity=np.array([c.severity for c in kb.conditions], dtype=np.int64),
        age_bands=tuple(age["bands"]) if age else (),
        age_log_ratio=np.asarray(age["log_ratio"], dtype=np.float64) if age else None,
        temperature=temp,
        binary_codes=tuple(binary_codes),
        absent_baseline=absent_baseline,
        binary_delta=np.ascontiguousarray(binary_delta),
        value_slots=value_slots,
        value_log_lik=np.ascontiguousarray(log_lik[value_slots]),
        # "No" to a top-level choice question means its default ("no travel"); "no" to a
        # follow-up (where the pain is, the rash's colour) carries no information of its
        # own: the parent answer already says it, so it stays unknown.
        default_value={
            e.code: e.default for e in kb.evidences if e.default is not None and e.parent is None
        },
        multi_codes=frozenset(e.code for e in kb.evidences if e.type == "multi"),
        full_weights=np.ascontiguousarray(np.vstack([binary_delta, log_lik[value_slots]]) / temp),
        full_offset=(log_prior + absent_baseline) / temp,
        evidence_codes=evidence_codes,
        evidence_column=column,
        shows=shows,
        symptom_column=np.array([not e.antecedent for e in kb.evidences]),
        differential_coverage=(
            float(kb.calibration.get("differential_coverage", 1.0)) if kb.calibration else 1.0
        ),
    )


def _floor(kb: KnowledgeBase) -> float:
    """Smallest likelihood used: the calibrated floor, else the data's own (1e-7)."""
    if kb.calibration and "likelihood_floor" in kb.calibration:
        return float(kb.calibration["likelihood_floor"])
    return kb.floor


def _calibrated(kb: KnowledgeBase) -> float:
    """The calibrated temperature; 1.0 (uncalibrated) for a knowledge base without one."""
    return float(kb.calibration["temperature"]) if kb.calibration else 1.0
