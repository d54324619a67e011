"""Numpy arrays compiled once from a knowledge base, ready for inference.

Every answer the model can receive is a *slot*: a binary evidence has two (present,
absent), a categorical or multi-choice evidence one per value. ``log_lik[slot, j]`` is
log P(answer | hypothesis j) after the likelihood floor. The hypotheses are the knowledge
base's conditions and, when the calibration sets a prior for it, one more column: the
open-world hypothesis "something else" (``model.other``), whose likelihood is the
background frequency of each answer. A case is a list of slot indices, and its
unnormalised log posterior is ``log_prior + log_lik[slots].sum(axis=0)`` (plus the age and
sex terms), divided by the calibrated temperature before normalising.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from symptomatic.knowledge import KnowledgeBase

__all__ = ["CompiledModel", "FloatArray", "FullArrays", "IntArray", "compile_model", "full_arrays"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class CompiledModel:
    """Arrays for fast inference; build with :func:`compile_model`."""

    condition_ids: tuple[str, ...]  # (C,) the knowledge base's conditions
    other: int | None  # column of "something else", or None (closed world)
    log_prior: FloatArray  # (H,) H = C, or C + 1 with "something else" last
    log_lik: FloatArray  # (K, H)
    slot_evidence: tuple[str, ...]  # (K,) evidence id of each slot
    slot_value: tuple[str, ...]  # (K,) value, "present"/"absent" for binaries
    slot_index: dict[tuple[str, str], int]  # (evidence, value) -> slot
    evidence_slots: dict[str, IntArray]  # evidence -> its slots (binary: present, absent)
    severity: NDArray[np.int64]  # (H,) "something else" counts as 5 (not severe)
    age_bands: tuple[float, ...]
    age_log_ratio: FloatArray | None  # (H, bands) or None
    sex_log_ratio: FloatArray | None  # (H, 2) male, female; -inf where impossible
    temperature: float
    # The full-observation layout (binary absent unless present): see full_arrays().
    binary_evidences: tuple[str, ...]
    value_slots: IntArray  # (V,) the slots of categorical and multi-choice values
    default_value: dict[str, str]  # evidence -> default value, top-level non-binary ones
    multi_evidences: frozenset[str]
    # Answers that never argue *for* a hypothesis: the absence of one of its hallmarks.
    not_for: NDArray[np.bool_]  # (K, H)
    # Which evidences each condition's source lists for it (coverage):
    evidence_ids: tuple[str, ...]  # (E,) knowledge-base order
    evidence_column: dict[str, int]
    shows: FloatArray  # (C, E)
    symptom_column: NDArray[np.bool_]  # (E,) True for symptoms, False for history
    differential_coverage: float
    min_fitting: float  # smallest probability of a condition listed for fitting the picture

    @property
    def n_conditions(self) -> int:
        """The knowledge base's conditions (not counting "something else")."""
        return len(self.condition_ids)

    @property
    def n_hypotheses(self) -> int:
        return len(self.log_prior)

    def age_term(self, age: float | None) -> FloatArray | None:
        """log P(age band | h) / P(age band), or None when age is unknown or unmodelled."""
        if age is None or self.age_log_ratio is None:
            return None
        bands = self.age_bands
        for b in range(len(bands) - 1):
            if bands[b] <= age < bands[b + 1]:
                return self.age_log_ratio[:, b]
        return None

    def sex_term(self, sex: str | None) -> FloatArray | None:
        """The sex term (-inf for a condition impossible for ``sex``), or None."""
        if sex is None or self.sex_log_ratio is None:
            return None
        return self.sex_log_ratio[:, 0 if sex == "male" else 1]


def _other_column(arrays: Any, floor: float) -> FloatArray:
    """The likelihood of "something else": the background frequency of every answer, with
    every yes/no symptom at least ``floor`` likely. A person whose complaint lies outside
    the base often has something no condition of the base explains: under the background
    alone (an average of the base's conditions) such a finding would be as unlikely as
    under every condition, and "something else" could never be the better explanation."""
    background = np.asarray(arrays.background, dtype=np.float64).copy()
    present = np.array([v == "present" for v in arrays.slot_value])
    raised = np.maximum(background[present], floor)
    background[present] = raised
    background[np.flatnonzero(present) + 1] = 1.0 - raised
    return background


def _hallmark_absences(
    kb: KnowledgeBase, log_lik: FloatArray, present_row: dict[str, int]
) -> NDArray[np.bool_]:
    """(K, H): True where slot k is the absence of a hallmark of hypothesis h, something
    its people usually show: one its knowledge lists in ``hallmarks``, or one at least
    ``calibration.hallmark_share`` of them have. Such an absence is never a reason *for*
    the condition, whatever quirk of its source makes the numbers say so (DDXPlus lists
    a sore throat for viral pharyngitis only where the patients have one, so "no sore
    throat" would otherwise argue for it)."""
    out = np.zeros(log_lik.shape, dtype=np.bool_)
    rows = np.fromiter(present_row.values(), dtype=np.intp, count=len(present_row))
    out[rows + 1] = log_lik[rows] >= np.log(kb.calibration.hallmark_share)
    for c, cond in enumerate(kb.conditions):
        for e in cond.hallmarks:
            if e in present_row:
                out[present_row[e] + 1, c] = True
    return out


def compile_model(
    kb: KnowledgeBase,
    *,
    temperature: float | None = None,
    floor: float | None = None,
    other_prior: float | None = -1.0,
) -> CompiledModel:
    """Compile ``kb``. ``temperature``, ``floor`` and ``other_prior`` override the calibrated
    ones (``other_prior=None``: a closed world, without "something else").

    ``floor`` is the smallest likelihood any answer gets: DDXPlus says 1e-7 for a symptom a
    condition never showed in 1.3 M simulated patients; real people answer less cleanly,
    and ``tools/calibrate.py`` picks the largest floor that costs no accuracy.
    """
    arrays = kb.arrays
    cal = kb.calibration
    if floor is None:
        floor = cal.likelihood_floor if cal.likelihood_floor is not None else 1e-7
    temp = float(temperature) if temperature is not None else cal.temperature
    lik = np.asarray(arrays.likelihood, dtype=np.float64)
    prior = np.asarray(arrays.prior, dtype=np.float64)
    prior = prior / prior.sum()
    n_c = lik.shape[1]
    if other_prior is not None and other_prior < 0.0:
        other_prior = cal.other_prior
    open_world = other_prior is not None
    if open_world:
        other_p = float(other_prior or 0.0)
        lik = np.hstack([lik, _other_column(arrays, cal.other_symptom_floor)[:, None]])
        prior = np.append(prior * (1.0 - other_p), other_p)
    binary = np.array([v in ("present", "absent") for v in arrays.slot_value])
    # A binary answer is clipped to [floor, 1 - floor], a choice to [floor, 1].
    upper = np.where(binary, 1.0 - floor, 1.0)[:, None]
    log_lik = np.ascontiguousarray(np.log(np.clip(lik, floor, upper)))
    slot_evidence = arrays.slot_evidence
    slot_value = arrays.slot_value
    evidence_slots: dict[str, list[int]] = {}
    for k, e in enumerate(slot_evidence):
        evidence_slots.setdefault(e, []).append(k)
    slots = {e: np.array(ks, dtype=np.intp) for e, ks in evidence_slots.items()}
    binaries = tuple(e.id for e in kb.evidences if e.kind == "binary")
    present_rows = np.array([slots[e][0] for e in binaries], dtype=np.intp)
    value_slots = np.flatnonzero(~binary).astype(np.intp)
    log_prior = np.log(prior)

    def pad(a: FloatArray | None, fill: float = 0.0) -> FloatArray | None:
        if a is None:
            return None
        a = np.asarray(a, dtype=np.float64)
        if not open_world:
            return a
        return np.vstack([a, np.full((1, a.shape[1]), fill)])

    severity = np.array([c.severity for c in kb.conditions] + ([5] if open_world else []))
    evidence_ids = tuple(e.id for e in kb.evidences)
    return CompiledModel(
        condition_ids=tuple(c.id for c in kb.conditions),
        other=n_c if open_world else None,
        log_prior=log_prior,
        log_lik=log_lik,
        slot_evidence=slot_evidence,
        slot_value=slot_value,
        slot_index={
            (e, v): k for k, (e, v) in enumerate(zip(slot_evidence, slot_value, strict=True))
        },
        evidence_slots=slots,
        severity=severity.astype(np.int64),
        age_bands=arrays.age_bands,
        age_log_ratio=pad(arrays.age_log_ratio),
        sex_log_ratio=pad(arrays.sex_log_ratio),
        temperature=temp,
        binary_evidences=binaries,
        value_slots=value_slots,
        # "No" to a top-level choice question means its default ("no travel"); "no" to a
        # follow-up (where the pain is, the rash's colour) carries no information of its
        # own: the parent answer already says it, so it stays unknown.
        default_value={
            e.id: e.default for e in kb.evidences if e.default is not None and e.parent is None
        },
        multi_evidences=frozenset(e.id for e in kb.evidences if e.kind == "multi"),
        not_for=_hallmark_absences(
            kb, log_lik, {e: int(r) for e, r in zip(binaries, present_rows, strict=True)}
        ),
        evidence_ids=evidence_ids,
        evidence_column={e: i for i, e in enumerate(evidence_ids)},
        shows=np.asarray(arrays.shows, dtype=np.float64),
        symptom_column=np.array([not e.history for e in kb.evidences]),
        differential_coverage=cal.differential_coverage,
        min_fitting=cal.min_fitting,
    )


@dataclass(frozen=True, slots=True)
class FullArrays:
    """The weights of the full-observation path (:func:`full_observation_scores`)."""

    weights: FloatArray  # (B + V, H) [log P(present) - log P(absent); value log-lik] / T
    weights32: NDArray[np.float32]  # the same in single precision (the fast batch path)
    offset: FloatArray  # (H,) (log_prior + sum of every binary's log P(absent)) / T


_FULL: weakref.WeakKeyDictionary[CompiledModel, FullArrays] = weakref.WeakKeyDictionary()
_FULL_LOCK = threading.Lock()


def full_arrays(model: CompiledModel) -> FullArrays:
    """The full-observation weights of ``model``, built on first use and kept while the
    model lives: only the batch benchmarks need them, so a server worker never holds them."""
    with _FULL_LOCK:
        hit = _FULL.get(model)
        if hit is not None:
            return hit
        present_rows = np.array(
            [model.evidence_slots[e][0] for e in model.binary_evidences], dtype=np.intp
        )
        log_lik = model.log_lik
        absent = log_lik[present_rows + 1]
        weights = np.vstack([log_lik[present_rows] - absent, log_lik[model.value_slots]])
        weights = np.ascontiguousarray(weights / model.temperature)
        out = FullArrays(
            weights=weights,
            weights32=np.ascontiguousarray(weights, dtype=np.float32),
            offset=(model.log_prior + absent.sum(axis=0)) / model.temperature,
        )
        _FULL[model] = out
        return out
