"""The 'interactive' DDXPlus benchmark: each patient answers the interview's questions.

Each simulated patient starts from its age, sex and INITIAL_EVIDENCE (what it first said)
and answers every question from its record, through the engine directly (no text):

- a binary evidence: present if it is in the record, absent otherwise;
- a categorical evidence (including the 0-10 scales): its value in the record; when the
  record lacks it, the evidence's default value (e.g. "no travel") if it has one, else
  *unknown*, which adds nothing (a missing answer stays unknown; it still counts as asked);
- a multi-choice evidence: all its values in the record, each weighted 1/k as the engine
  does; when the record lacks it, its default value (e.g. "nowhere"), else unknown.

Follow-up questions are askable only after their parent is answered present, as in the
product. By default the benchmark does **not** stop at a red flag: about half the DDXPlus
patients carry one (e.g. breathlessness), and the product would end the interview there
and send them to urgent care, which says nothing about the questioning. The share of
patients for whom a red flag fired is reported as ``red_flag_fired``; pass
``stop_on_red_flag=True`` to measure the product's exact behaviour.

Metrics (the DDXPlus paper's, where it has them):

- ``il``: mean number of questions asked (the initial evidence is not counted);
- ``gtpa@k``: the pathology is among the k most likely at the end;
- ``ddr``/``ddp``/``ddf1``: recall, precision and F1 of the final differential (the
  product's rule, ``engine.differential_members``: conditions above 0.01, or able to show
  most of the symptoms found) against the DDXPlus ground-truth differential;
  ``*_probability_only``: the same with only the conditions above 0.01;
- ``per``: share of the patient's positive evidences (binary present, or a non-default
  value; the initial evidence excluded) that were asked;
- ``pep``: share of asked questions answered positive;
- ``severe_escalated``: share of patients with a severity 1-2 pathology whose final care
  level (``engine.triage`` on the final posterior and findings) is at least
  ``consultation_24``;
- ``next_question_median_ms``: median time of one question selection (engine only).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from symptomatic._errors import InputError
from symptomatic._levels import urgency
from symptomatic.bench.ddxplus import (
    Patient,
    condition_index,
    differential_metrics,
    read_patients,
    top_k_accuracy,
)
from symptomatic.engine import (
    CompiledModel,
    InterviewPolicy,
    QuestionTable,
    compile_model,
    compile_questions,
    context_prior,
    differential_members,
    fired_rules,
    softmax,
    step,
    triage,
)
from symptomatic.engine.compile import FloatArray
from symptomatic.engine.interview import DEFAULT_MAX_QUESTIONS, STOP_REASONS
from symptomatic.knowledge import KnowledgeBase

__all__ = ["run_interactive", "simulate_patient"]


class _Outcome:
    """One patient's interview: final posterior, findings and counts."""

    __slots__ = (
        "asked",
        "positive",
        "present",
        "probs",
        "reason",
        "red_flag",
        "scores",
        "timings",
    )

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.positive = 0
        self.present: dict[str, list[str | None]] = {}
        self.probs: FloatArray = np.zeros(0)
        self.scores: FloatArray = np.zeros(0)  # final log scores, before temperature
        self.red_flag = False
        self.reason = ""
        self.timings: list[float] = []


def simulate_patient(
    kb: KnowledgeBase,
    model: CompiledModel,
    table: QuestionTable,
    patient: Patient,
    policy: InterviewPolicy,
) -> _Outcome:
    """Run one interview with ``patient`` answering from its record (engine only)."""
    record = patient.findings(kb)
    initial = kb.evidence_alias.get(patient.initial.upper(), patient.initial)
    scores = context_prior(model, age=patient.age).copy()
    answered = np.zeros(table.n_questions, dtype=np.bool_)
    present = np.zeros(table.n_questions, dtype=np.bool_)
    out = _Outcome()

    def answer(code: str) -> bool:
        """Apply the patient's answer to ``code``; True when it is positive."""
        nonlocal scores
        q = table.index[code]
        answered[q] = True
        ev = kb.evidence_by_id[code]
        values = record.get(code)
        if ev.kind == "binary":
            slot = model.evidence_slots[code][0 if values else 1]
            scores = scores + model.log_lik[slot]
            positive = bool(values)
            if positive:
                out.present[code] = [None]
        else:
            chosen = values if values else ([ev.default] if ev.default is not None else [])
            if chosen:
                w = 1.0 / len(chosen) if ev.kind == "multi" else 1.0
                for v in chosen:
                    scores = scores + w * model.log_lik[model.slot_index[(code, v)]]
            positive = bool(values) and values != [ev.default]
            if values:
                out.present[code] = list(values)
        present[q] = positive
        return positive

    if initial in table.index:
        answer(initial)
    out.red_flag = bool(fired_rules(kb.red_flags, out.present, age=patient.age))
    while True:
        probs = softmax(scores / model.temperature)
        t0 = time.perf_counter()
        s = step(
            table,
            probs,
            answered,
            present,
            asked=len(out.asked),
            red_flag=out.red_flag,
            policy=policy,
        )
        out.timings.append(time.perf_counter() - t0)
        if s.reason is not None or s.selection is None:
            out.reason = s.reason or "no_gain"
            out.probs = probs
            out.scores = scores
            return out
        out.asked.append(s.selection.evidence)
        if answer(s.selection.evidence):
            out.positive += 1
            if not out.red_flag:
                out.red_flag = bool(fired_rules(kb.red_flags, out.present, age=patient.age))


def _positive(kb: KnowledgeBase, patient: Patient) -> set[str]:
    ids = set()
    for eid, values in patient.findings(kb).items():
        ev = kb.evidence_by_id[eid]
        if ev.kind == "binary" or values != [ev.default]:
            ids.add(eid)
    ids.discard(kb.evidence_alias.get(patient.initial.upper(), patient.initial))
    return ids


def run_interactive(
    kb: KnowledgeBase,
    path: str | Path,
    *,
    max_questions: int = DEFAULT_MAX_QUESTIONS,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    policy: InterviewPolicy | None = None,
    stop_on_red_flag: bool = False,
    model: CompiledModel | None = None,
) -> dict[str, float | int | str]:
    """The interactive benchmark on a DDXPlus CSV file (see the module docstring).

    ``policy`` sets the interview's thresholds (default :class:`InterviewPolicy`);
    ``max_questions`` and ``stop_on_red_flag`` override its fields of the same name.
    ``model`` overrides the compiled model (e.g. another temperature).
    """
    t0 = time.perf_counter()
    patients = list(read_patients(path, limit=limit))
    if not patients:
        raise InputError("PATIENTS_CSV", "has no patients", str(path))
    model = model if model is not None else compile_model(kb)
    policy = replace(
        policy or InterviewPolicy(),
        max_questions=max_questions,
        stop_on_red_flag=stop_on_red_flag,
    )
    table = compile_questions(kb, model)
    index = condition_index(kb)
    n = len(patients)
    probs = np.empty((n, model.n_hypotheses))
    presence = np.zeros((n, len(model.evidence_ids)))
    truth = np.empty(n, dtype=np.intp)
    diffs: list[dict[int, float]] = []
    lengths: list[int] = []
    recalls: list[float] = []
    positives = 0
    red_flags = 0
    severe_total = severe_ok = 0
    reasons: Counter[str] = Counter()
    timings: list[float] = []
    step = max(1, n // 100)
    for i, pt in enumerate(patients):
        if pt.pathology not in index:
            raise InputError("PATHOLOGY", "unknown DDXPlus pathology", pt.pathology)
        truth[i] = index[pt.pathology]
        diffs.append({index[name]: p for name, p in pt.differential if name in index})
        res = simulate_patient(kb, model, table, pt, policy)
        probs[i] = res.probs
        for code in res.present:
            presence[i, model.evidence_column[code]] = 1.0
        lengths.append(len(res.asked))
        positives += res.positive
        red_flags += res.red_flag
        reasons[res.reason] += 1
        timings.extend(res.timings)
        wanted = _positive(kb, pt)
        if wanted:
            recalls.append(len(wanted & set(res.asked)) / len(wanted))
        if kb.conditions[truth[i]].severity <= 2:
            severe_total += 1
            fired = fired_rules(kb.red_flags, res.present, age=pt.age)
            level = triage(kb, res.probs, fired).level
            severe_ok += urgency(level) <= urgency("consultation_24")
        if progress is not None and ((i + 1) % step == 0 or i + 1 == n):
            progress(i + 1, n)
    asked_total = sum(lengths)
    out: dict[str, float | int | str] = {
        "dataset": Path(path).name,
        "mode": "interactive",
        "n": n,
        "max_questions": policy.max_questions,
        "il": float(np.mean(lengths)),
        "gtpa@1": top_k_accuracy(probs, truth, 1),
        "gtpa@3": top_k_accuracy(probs, truth, 3),
        "gtpa@5": top_k_accuracy(probs, truth, 5),
    }
    probs = probs[:, : model.n_conditions]
    members = differential_members(model, probs, presence)
    out.update(differential_metrics(probs, diffs, members=members))
    out.update({f"{k}_probability_only": v for k, v in differential_metrics(probs, diffs).items()})
    out["per"] = float(np.mean(recalls)) if recalls else 0.0
    out["pep"] = positives / asked_total if asked_total else 0.0
    out["severe_escalated"] = severe_ok / severe_total if severe_total else 1.0
    out["red_flag_fired"] = red_flags / n
    out["stop_on_red_flag"] = str(policy.stop_on_red_flag).lower()
    for r in STOP_REASONS:
        out[f"stopped_{r}"] = reasons[r] / n
    out["temperature"] = model.temperature
    out["confidence"] = policy.confidence
    out["severe_risk"] = policy.severe_risk
    out["min_gain"] = policy.min_gain
    out["level_weight"] = policy.level_weight
    out["history_weight"] = policy.history_weight
    out["seconds"] = time.perf_counter() - t0
    out["next_question_median_ms"] = 1000.0 * float(np.median(timings))
    out["kb_sha256"] = kb.sha256
    return {k: round(v, 5) if isinstance(v, float) else v for k, v in out.items()}
