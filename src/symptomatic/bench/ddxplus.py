"""Read patients in the official DDXPlus CSV format, and score the engine on them.

Columns: AGE, DIFFERENTIAL_DIAGNOSIS (python-literal list of [pathology, probability]),
SEX (M/F), PATHOLOGY, EVIDENCES (python-literal list: ``E_91`` binary present,
``E_54_@_V_179`` categorical or multi-choice value, ``E_56_@_7`` scale value),
INITIAL_EVIDENCE. The same reader takes the shared samples and the full 1.3 M-patient
release a user downloads.
"""

from __future__ import annotations

import ast
import csv
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from symptomatic._errors import InputError
from symptomatic.engine import (
    CompiledModel,
    differential_members,
    full_observation_scores,
    softmax,
)
from symptomatic.knowledge import KnowledgeBase

REQUIRED_COLUMNS = ("AGE", "SEX", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE")


@dataclass(frozen=True, slots=True)
class Patient:
    age: int
    sex: str
    pathology: str
    evidences: tuple[str, ...]  # raw tokens, e.g. "E_91", "E_54_@_V_179"
    initial: str
    differential: tuple[tuple[str, float], ...]

    def answers(self) -> dict[str, list[str]]:
        """DDXPlus evidence code -> values ("present" for a binary evidence)."""
        out: dict[str, list[str]] = {}
        for tok in self.evidences:
            code, sep, value = tok.partition("_@_")
            out.setdefault(code, []).append(value if sep else "present")
        return out

    def findings(self, kb: KnowledgeBase) -> dict[str, list[str]]:
        """Evidence id -> value ids ("present" for a binary evidence), through the aliases."""
        out: dict[str, list[str]] = {}
        for code, values in self.answers().items():
            eid = kb.evidence_alias.get(code.upper())
            if eid is None:
                raise InputError("EVIDENCES", "unknown DDXPlus evidence", code)
            out[eid] = [
                v if v == "present" or v.isdigit() else kb.value_alias.get(v.upper(), "?" + v)
                for v in values
            ]
        return out


def _parse_list(text: str) -> list[str]:
    text = text.strip()
    if not text.startswith("[") or not text.endswith("]"):
        raise ValueError(text[:40])
    inner = text[1:-1].strip()
    if not inner:
        return []
    return [t.strip().strip("'\"") for t in inner.split(",")]


def read_patients(path: str | Path, *, limit: int | None = None) -> Iterator[Patient]:
    """Patients of a DDXPlus CSV file; bad rows raise InputError naming the row."""
    p = Path(path)
    if not p.is_file():
        raise InputError("PATIENTS_CSV", "file not found", str(path))
    with p.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                "PATIENTS_CSV", f"missing DDXPlus columns {missing}", reader.fieldnames
            )
        for n, row in enumerate(reader, start=2):
            if limit is not None and n - 2 >= limit:
                return
            try:
                diff_raw = row.get("DIFFERENTIAL_DIAGNOSIS") or "[]"
                differential = tuple((str(a), float(b)) for a, b in ast.literal_eval(diff_raw))
                yield Patient(
                    age=int(row["AGE"]),
                    sex=row["SEX"],
                    pathology=row["PATHOLOGY"],
                    evidences=tuple(_parse_list(row["EVIDENCES"])),
                    initial=row["INITIAL_EVIDENCE"],
                    differential=differential,
                )
            except (ValueError, SyntaxError, TypeError) as exc:
                raise InputError(
                    f"{p.name}: row {n}", "not in the DDXPlus format", str(exc)
                ) from None


@dataclass(frozen=True, slots=True)
class Encoded:
    """Patients as arrays for the vectorised full-observation path."""

    matrix: np.ndarray  # (n, B + V): binary 0/1 columns, then value-slot weights
    n_binary: int
    ages: np.ndarray  # (n,)
    truth: np.ndarray  # (n,) condition index
    differentials: list[dict[int, float]]

    @property
    def present(self) -> np.ndarray:
        return self.matrix[:, : self.n_binary]

    @property
    def values(self) -> np.ndarray:
        return self.matrix[:, self.n_binary :]


def condition_index(kb: KnowledgeBase) -> dict[str, int]:
    """DDXPlus pathology name -> condition index, for the conditions DDXPlus gives."""
    return {
        c.source_ref: i
        for i, c in enumerate(kb.conditions)
        if c.source == "ddxplus" and c.source_ref is not None
    }


def encode_patients(kb: KnowledgeBase, model: CompiledModel, patients: list[Patient]) -> Encoded:
    index = condition_index(kb)
    bcol = {code: j for j, code in enumerate(model.binary_evidences)}
    vcol = {
        (model.slot_evidence[s], model.slot_value[s]): j for j, s in enumerate(model.value_slots)
    }
    n = len(patients)
    nb = len(bcol)
    matrix = np.zeros((n, nb + len(vcol)))
    truth = np.empty(n, dtype=np.intp)
    diffs: list[dict[int, float]] = []
    for i, pt in enumerate(patients):
        if pt.pathology not in index:
            raise InputError("PATHOLOGY", "unknown DDXPlus pathology", pt.pathology)
        truth[i] = index[pt.pathology]
        for eid, values in pt.findings(kb).items():
            if values == ["present"]:
                j = bcol.get(eid)
                if j is None:
                    raise InputError("EVIDENCES", "unknown binary evidence", eid)
                matrix[i, j] = 1.0
                continue
            for value in values:
                j = vcol.get((eid, value))
                if j is None:
                    raise InputError("EVIDENCES", "unknown evidence value", f"{eid}={value}")
                share = 1.0 / len(values) if eid in model.multi_evidences else 1.0
                matrix[i, nb + j] += share
        diffs.append({index[name]: p for name, p in pt.differential if name in index})
    ages = np.array([pt.age for pt in patients], dtype=np.float64)
    return Encoded(matrix, nb, ages, truth, diffs)


def presence_matrix(kb: KnowledgeBase, model: CompiledModel, patients: list[Patient]) -> np.ndarray:
    """(n, E) 1.0 for each evidence present in each patient's record."""
    out = np.zeros((len(patients), len(model.evidence_ids)))
    for i, pt in enumerate(patients):
        for eid in pt.findings(kb):
            out[i, model.evidence_column[eid]] = 1.0
    return out


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 15
) -> float:
    """ECE of the top-1 confidence, equal-width bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    n = len(confidence)
    for lo, hi in itertools.pairwise(edges):
        mask = (confidence > lo) & (confidence <= hi)
        if mask.any():
            ece += (
                mask.sum() / n * abs(float(correct[mask].mean()) - float(confidence[mask].mean()))
            )
    return float(ece)


def differential_metrics(
    probs: np.ndarray,
    truth_diffs: list[dict[int, float]],
    threshold: float = 0.01,
    members: np.ndarray | None = None,
) -> dict[str, float]:
    """DDR, DDP and DDF1 as in the DDXPlus paper (probabilities <= 0.01 dropped).

    ``members`` (n, C) booleans, when given, is the predicted differential instead of
    ``probs > threshold``.
    """
    recalls, precisions = [], []
    chosen = members if members is not None else probs > threshold
    for row, gt in zip(chosen, truth_diffs, strict=True):
        pred = set(np.flatnonzero(row).tolist())
        true = {k for k, v in gt.items() if v > threshold}
        if not true:
            continue
        inter = len(pred & true)
        recalls.append(inter / len(true))
        precisions.append(inter / len(pred) if pred else 0.0)
    ddr = float(np.mean(recalls)) if recalls else 0.0
    ddp = float(np.mean(precisions)) if precisions else 0.0
    ddf1 = 2 * ddr * ddp / (ddr + ddp) if ddr + ddp else 0.0
    return {"ddr": ddr, "ddp": ddp, "ddf1": ddf1}


def top_k_accuracy(probs: np.ndarray, truth: np.ndarray, k: int) -> float:
    top = np.argsort(-probs, axis=1)[:, :k]
    return float((top == truth[:, None]).any(axis=1).mean())


def _median_rate(fn: Callable[[], object], n: int, passes: int = 5) -> float:
    """Cases per second: one warm-up call, then the median of ``passes`` timed calls."""
    import statistics

    from symptomatic.bench._timing import timings

    return n / max(statistics.median(timings(fn, passes)), 1e-9)


def batch_speed(model: CompiledModel, enc: Encoded) -> dict[str, float | str]:
    """The batch path against a plain numpy naive Bayes on the same numbers, like for like:
    same cases, warm-up then the median of several passes, all in this run.

    The reference is what a numpy user would write: a dense matrix product of the one-hot
    answers with the log-likelihood table (present and absent columns for every yes/no
    evidence), plus the log prior, then a normalisation. Ours: float64, float32 and, when
    scipy is installed, sparse float32 (about 98 % of a DDXPlus case matrix is zeros).
    """
    n = len(enc.truth)
    present_rows = np.array([model.evidence_slots[c][0] for c in model.binary_evidences])
    table = np.vstack(
        [
            model.log_lik[present_rows],
            model.log_lik[present_rows + 1],
            model.log_lik[model.value_slots],
        ]
    )
    onehot = np.hstack([enc.present, 1.0 - enc.present, enc.values])
    prior = model.log_prior

    def reference() -> object:
        return softmax((onehot @ table + prior) / model.temperature)

    def ours(precision: str, matrix: object) -> Callable[[], object]:
        def run() -> object:
            return softmax(full_observation_scores(model, matrix, enc.ages, precision=precision))

        return run

    ref = _median_rate(reference, n)
    out: dict[str, float | str] = {"reference_numpy_cases_per_second": ref}
    variants: list[tuple[str, str, object]] = [
        ("float64", "float64", enc.matrix),
        ("float32", "float32", enc.matrix.astype(np.float32)),
    ]
    try:
        from scipy import sparse  # type: ignore[import-untyped, unused-ignore]

        variants.append(
            ("sparse_float32", "float32", sparse.csr_matrix(enc.matrix, dtype=np.float32))
        )
    except ImportError:
        out["sparse"] = "skipped: scipy is not installed"
    best = full_observation_scores(model, enc.matrix, enc.ages).argmax(axis=1)
    for name, precision, matrix in variants:
        rate = _median_rate(ours(precision, matrix), n)
        out[f"{name}_cases_per_second"] = rate
        out[f"{name}_vs_reference"] = rate / ref
        same = full_observation_scores(model, matrix, enc.ages, precision=precision)
        out[f"{name}_same_top1"] = float(np.mean(same.argmax(axis=1) == best))
    out["cases_per_second"] = max(
        float(v) for k, v in out.items() if k.endswith("_cases_per_second") and "reference" not in k
    )
    return out


def run_full(
    kb: KnowledgeBase,
    path: str | Path,
    *,
    model: CompiledModel | None = None,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, float | int | str]:
    """The 'full' benchmark: every evidence of each patient observed at once."""
    import time

    from symptomatic.engine import compile_model

    model = model if model is not None else compile_model(kb)
    t0 = time.perf_counter()
    patients = list(read_patients(path, limit=limit))
    if not patients:
        raise InputError("PATIENTS_CSV", "has no patients", str(path))
    enc = encode_patients(kb, model, patients)
    chunk = 65536
    probs = np.empty((len(patients), model.n_hypotheses))
    for start in range(0, len(patients), chunk):
        sl = slice(start, start + chunk)
        probs[sl] = softmax(full_observation_scores(model, enc.matrix[sl], enc.ages[sl]))
        if progress is not None:
            progress(min(start + chunk, len(patients)), len(patients))
    t2 = time.perf_counter()
    top1 = probs.argmax(axis=1)
    known = probs[:, : model.n_conditions]
    ddxplus_only = known[:, sorted(condition_index(kb).values())]
    out: dict[str, float | int | str] = {
        "dataset": Path(path).name,
        "mode": "full",
        "n": len(patients),
        "conditions": model.n_conditions,
        "gtpa@1": top_k_accuracy(probs, enc.truth, 1),
        "gtpa@3": top_k_accuracy(probs, enc.truth, 3),
        "gtpa@5": top_k_accuracy(probs, enc.truth, 5),
        "gtpa@1_ddxplus_only": top_k_accuracy(
            ddxplus_only, np.searchsorted(sorted(condition_index(kb).values()), enc.truth), 1
        ),
    }
    out["other_chosen"] = float(np.mean(top1 >= model.n_conditions))
    probs = known  # the differential lists conditions ("something else" is said apart)
    members = differential_members(model, probs, presence_matrix(kb, model, patients))
    out.update(differential_metrics(probs, enc.differentials, members=members))
    plain = differential_metrics(probs, enc.differentials)
    out.update({f"{k}_probability_only": v for k, v in plain.items()})
    out["ece"] = expected_calibration_error(probs.max(axis=1), top1 == enc.truth)
    out["temperature"] = model.temperature
    out.update(batch_speed(model, enc))
    out["end_to_end_cases_per_second"] = len(patients) / max(t2 - t0, 1e-9)
    out["kb_sha256"] = kb.sha256
    return {k: round(v, 5) if isinstance(v, float) else v for k, v in out.items()}


def default_progress() -> Callable[[int, int], None] | None:
    """A progress printer on a terminal's stderr; None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
