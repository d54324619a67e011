"""DDXPlus adapter: the release files -> canonical condition records (statistics only).

What it derives (numbers and structure only; no sentence of the dataset is copied):

* checks that the curated vocabulary agrees with the release: every evidence and value code
  is an alias of exactly one vocabulary entry, with the same answer kind, values, default,
  parent question and history flag;
* per condition: P(value | condition) from ``train_statistics.json`` (full training split,
  1,025,602 patients), an entry for every evidence the condition lists in
  ``release_conditions.json`` (the data's floor, 1e-7, for a listed evidence never seen),
  the unlisted rule "an evidence of the DDXPlus vocabulary the condition never showed: the
  data's floor", severity, prior and training count;
* an age term per condition: log P(age band | condition) / P(age band), estimated from the
  representative validate and train patient samples (never the test sample, never the
  filtered rows) with a Dirichlet prior towards the pooled age distribution, its strength
  chosen from a grid by leave-one-out log-likelihood; kept only if it improves the held-out
  log-likelihood of the age bands over the pooled distribution;
* sex: not modelled (the representative samples are balanced by sex within each pathology
  by construction, so they carry no information on it; the reason is recorded).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

FLOOR = 1e-7
AGE_BANDS = [0, 2, 16, 60, 121]  # infants, children, adults, older adults
AGE_ALPHAS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
TYPES = {"B": "binary", "C": "categorical", "M": "multi"}
FILES = (
    "release_evidences.json",
    "release_conditions.json",
    "train_statistics.json",
    "release_validate_patients_sample.csv",
    "release_train_patients_sample.csv",
)
SOURCE = "ddxplus"
DATASET = {
    "name": "DDXPlus (Fansi Tchango et al., NeurIPS 2022 Datasets and Benchmarks)",
    "attribution": "DDXPlus dataset, Mila & Dialogue Health, CC-BY",
    "licence": "CC-BY 4.0",
    "statistics": (
        "P(evidence | pathology) and priors computed on the full DDXPlus training split "
        "(1,025,602 patients); floor 1e-7"
    ),
}


def _age_band(age: int) -> int:
    for i in range(len(AGE_BANDS) - 1):
        if AGE_BANDS[i] <= age < AGE_BANDS[i + 1]:
            return i
    raise ValueError(f"age {age} outside 0-120")


def age_model(rows: list[dict[str, str]], names: list[str], alpha: float) -> dict[str, Any]:
    n_bands = len(AGE_BANDS) - 1
    index = {n: i for i, n in enumerate(names)}
    counts = [[0.0] * n_bands for _ in names]
    for row in rows:
        counts[index[row["PATHOLOGY"]]][_age_band(int(row["AGE"]))] += 1
    total = sum(sum(c) for c in counts)
    pooled = [sum(c[b] for c in counts) / total for b in range(n_bands)]
    pooled = [(p * total + 1.0) / (total + n_bands) for p in pooled]

    def prob(row: list[float], band: int, leave_out: bool) -> float:
        n = sum(row) - (1.0 if leave_out else 0.0)
        k = row[band] - (1.0 if leave_out else 0.0)
        return (k + alpha * pooled[band]) / (n + alpha)

    ll_model = ll_pooled = 0.0
    for row in rows:
        c = index[row["PATHOLOGY"]]
        b = _age_band(int(row["AGE"]))
        ll_model += math.log(prob(counts[c], b, leave_out=True))
        ll_pooled += math.log(pooled[b])
    n = len(rows)
    return {
        "alpha": alpha,
        "patients": n,
        "heldout_mean_loglik": round(ll_model / n, 4),
        "pooled_mean_loglik": round(ll_pooled / n, 4),
        "kept": ll_model > ll_pooled,
        "log_ratio": [
            [
                round(math.log(prob(counts[c], b, leave_out=False) / pooled[b]), 6)
                for b in range(n_bands)
            ]
            for c in range(len(names))
        ],
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_vocabulary(
    release: dict[str, Any],
    evidence_id: dict[str, str],
    value_id: dict[str, str],
    vocab: dict[str, dict[str, Any]],
) -> None:
    problems = []
    for code, ev in release.items():
        eid = evidence_id.get(code)
        if eid is None:
            problems.append(f"{code}: no vocabulary entry has this DDXPlus alias")
            continue
        entry = vocab[eid]
        kind = TYPES[ev["data_type"]]
        values = [str(v) for v in ev["possible-values"]]
        scale = kind == "categorical" and values == [str(i) for i in range(11)]
        parent = (
            ev["code_question"]
            if ev["code_question"] in release and ev["code_question"] != code
            else None
        )
        want = {
            "kind": kind,
            "scale": scale,
            "history": bool(ev["is_antecedent"]),
            "parent": evidence_id.get(parent) if parent else None,
            "values": []
            if scale or kind == "binary"
            else [value_id.get(v, "?" + v) for v in values],
            "default": None
            if kind == "binary"
            else (str(ev["default_value"]) if scale else value_id.get(str(ev["default_value"]))),
        }
        for key, value in want.items():
            if entry.get(key, [] if key == "values" else None) != value:
                problems.append(
                    f"{eid} ({code}): {key} is {entry.get(key)!r}, DDXPlus says {value!r}"
                )
    if problems:
        raise SystemExit("vocabulary disagrees with DDXPlus:\n" + "\n".join(problems))


def build(data: Path, vocabulary: dict[str, Any], wanted: dict[str, str]) -> dict[str, Any]:
    """Records for the DDXPlus conditions in ``wanted`` (DDXPlus name -> condition id)."""
    release = json.loads((data / "release_evidences.json").read_text(encoding="utf-8"))
    conditions = json.loads((data / "release_conditions.json").read_text(encoding="utf-8"))
    stats = json.loads((data / "train_statistics.json").read_text(encoding="utf-8"))
    vocab = {e["id"]: e for e in vocabulary["evidences"]}
    evidence_id = {
        c: e["id"] for e in vocabulary["evidences"] for c in e["aliases"].get(SOURCE, [])
    }
    value_id = {c: v["id"] for v in vocabulary["values"] for c in v["aliases"].get(SOURCE, [])}
    _check_vocabulary(release, evidence_id, value_id, vocab)
    names = sorted(stats)
    missing = set(wanted) - set(names)
    if missing:
        raise SystemExit(f"DDXPlus has no pathology named {sorted(missing)}")

    sample_rows: list[dict[str, str]] = []
    for fname in ("release_validate_patients_sample.csv", "release_train_patients_sample.csv"):
        with (data / fname).open(encoding="utf-8", newline="") as fh:
            sample_rows.extend(csv.DictReader(fh))
    fits = [age_model(sample_rows, names, a) for a in AGE_ALPHAS]
    age = max(fits, key=lambda m: m["heldout_mean_loglik"])
    sex_counts = Counter((r["PATHOLOGY"], r["SEX"]) for r in sample_rows)
    balanced = all(abs(sex_counts[(n, "F")] - sex_counts[(n, "M")]) <= 1 for n in names)
    age_source = (
        f"{SOURCE}: age bands of the representative validate and train samples "
        f"({age['patients']} patients), Dirichlet prior alpha {age['alpha']} chosen by "
        f"leave-one-out log-likelihood ({age['heldout_mean_loglik']} vs pooled "
        f"{age['pooled_mean_loglik']})"
    )

    records: dict[str, dict[str, Any]] = {}
    for j, name in enumerate(names):
        if name not in wanted:
            continue
        st = stats[name]
        listed = list(conditions[name]["symptoms"]) + list(conditions[name]["antecedents"])
        likelihood: dict[str, Any] = {}
        for code in sorted(listed, key=lambda c: int(c.split("_")[1])):
            eid = evidence_id[code]
            value = st["evidences"].get(code)
            if vocab[eid]["kind"] == "binary":
                likelihood[eid] = {
                    "p": float(value) if value is not None else FLOOR,
                    "source": SOURCE,
                }
            else:
                dist = value or {}
                likelihood[eid] = {
                    "values": {
                        (v if vocab[eid].get("scale") else value_id[v]): float(p)
                        for v, p in dist.items()
                    },
                    "source": SOURCE,
                }
        records[wanted[name]] = {
            "source": SOURCE,
            "source_ref": name,
            "severity": int(st["severity"]),
            "prior": {"p": float(st["prior"]), "source": f"{SOURCE}: training-split share"},
            "train_count": int(st["train_count"]),
            "age": (
                {"bands": AGE_BANDS, "log_ratio": age["log_ratio"][j], "source": age_source}
                if age["kept"]
                else None
            ),
            "unlisted": [
                {
                    "scope": SOURCE,
                    "p": FLOOR,
                    "source": f"{SOURCE}: never shown by this condition in the training split",
                }
            ],
            "likelihood": likelihood,
        }
    return {
        "records": records,
        "dataset": {
            **DATASET,
            "files": {f: _sha256(data / f) for f in FILES},
            "sex_model": (
                "not estimated: the representative samples are balanced by sex within every "
                "pathology by construction, so they carry no information on sex"
                if balanced
                else "not estimated: too few patients per pathology"
            ),
        },
    }
