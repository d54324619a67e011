"""Build ``src/symptomatic/knowledge/data/ddxplus_model.json`` from the DDXPlus release.

Usage::

    python tools/build_kb.py [--data ../shared/data/ddxplus] [--out src/symptomatic/knowledge/data]

What it derives (numbers and structure only; no sentence of the dataset is copied):

* the evidence structure: type (binary / categorical / multi-choice), value codes, default
  value, parent question (``code_question``), antecedent flag, whether a categorical
  evidence is a 0-10 scale;
* per condition: ICD-10 code (upper-cased), severity, prior, training count;
* likelihoods P(value | condition) from ``train_statistics.json`` (full training split),
  aligned to the value order above; an evidence a condition does not list gets the source's
  floor (1e-7);
* an age model per condition: log P(age band | condition) / P(age band), estimated from the
  representative validate and train patient samples (never the test sample, never the
  filtered rows) with a Dirichlet prior towards the pooled age distribution, its strength
  chosen from a small grid by leave-one-out log-likelihood. It is kept only if it improves
  the held-out (leave-one-out) log-likelihood of the age bands over the pooled
  distribution; the figures are written beside the numbers.
* sex: the representative samples are balanced by sex within each pathology by
  construction (6 F / 6 M per pathology in the validate sample), so they carry no
  information on sex; no sex model is written and the reason is recorded.

The output says it is generated; do not edit it by hand.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ddxplus"
DEFAULT_OUT = ROOT / "src" / "symptomatic" / "knowledge" / "data"
FLOOR = 1e-7
AGE_BANDS = [0, 2, 16, 60, 121]  # infants, children, adults, older adults
AGE_ALPHAS = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)  # prior strength, chosen by held-out fit
TYPES = {"B": "binary", "C": "categorical", "M": "multi"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _age_band(age: int) -> int:
    for i in range(len(AGE_BANDS) - 1):
        if AGE_BANDS[i] <= age < AGE_BANDS[i + 1]:
            return i
    raise ValueError(f"age {age} outside 0-120")


def _age_model(rows: list[dict[str, str]], names: list[str], alpha: float) -> dict[str, Any]:
    n_bands = len(AGE_BANDS) - 1
    index = {n: i for i, n in enumerate(names)}
    counts = [[0.0] * n_bands for _ in names]
    for row in rows:
        counts[index[row["PATHOLOGY"]]][_age_band(int(row["AGE"]))] += 1
    total = sum(sum(c) for c in counts)
    pooled = [sum(c[b] for c in counts) / total for b in range(n_bands)]
    # Smooth the pooled distribution itself so that no band has probability 0.
    pooled = [(p * total + 1.0) / (total + n_bands) for p in pooled]

    def prob(row: list[float], band: int, leave_out: bool) -> float:
        n = sum(row) - (1.0 if leave_out else 0.0)
        k = row[band] - (1.0 if leave_out else 0.0)
        return (k + alpha * pooled[band]) / (n + alpha)

    # Held-out check: leave-one-out log-likelihood of each patient's age band given its
    # pathology, against the pooled distribution.
    ll_model = 0.0
    ll_pooled = 0.0
    for row in rows:
        c = index[row["PATHOLOGY"]]
        b = _age_band(int(row["AGE"]))
        ll_model += math.log(prob(counts[c], b, leave_out=True))
        ll_pooled += math.log(pooled[b])
    n = len(rows)
    log_ratio = [
        [
            round(math.log(prob(counts[c], b, leave_out=False) / pooled[b]), 6)
            for b in range(n_bands)
        ]
        for c in range(len(names))
    ]
    return {
        "bands": AGE_BANDS,
        "alpha": alpha,
        "alpha_grid": list(AGE_ALPHAS),
        "fitted_on": [
            "release_validate_patients_sample.csv",
            "release_train_patients_sample.csv",
        ],
        "patients": n,
        "heldout_mean_loglik": round(ll_model / n, 4),
        "pooled_mean_loglik": round(ll_pooled / n, 4),
        "kept": ll_model > ll_pooled,
        "log_ratio": log_ratio,
    }


def build(data: Path, out: Path) -> dict[str, Any]:
    evidences = json.loads((data / "release_evidences.json").read_text(encoding="utf-8"))
    conditions = json.loads((data / "release_conditions.json").read_text(encoding="utf-8"))
    stats = json.loads((data / "train_statistics.json").read_text(encoding="utf-8"))
    names = sorted(stats)
    if set(names) != set(conditions):
        raise SystemExit("conditions and statistics disagree on the pathology names")

    ev_out: list[dict[str, Any]] = []
    likelihood: dict[str, Any] = {}
    for code in sorted(evidences, key=lambda c: int(c.split("_")[1])):
        ev = evidences[code]
        kind = TYPES[ev["data_type"]]
        values = [str(v) for v in ev["possible-values"]]
        is_scale = kind == "categorical" and values == [str(i) for i in range(11)]
        ev_out.append(
            {
                "code": code,
                "type": kind,
                # A few evidences name a parent question that is not itself in the release
                # (E_36, E_68, ...): those are treated as top-level questions.
                "parent": (
                    ev["code_question"]
                    if ev["code_question"] != code and ev["code_question"] in evidences
                    else None
                ),
                "antecedent": bool(ev["is_antecedent"]),
                "values": values,
                "default": None if kind == "binary" else str(ev["default_value"]),
                "scale": is_scale,
            }
        )
        rows: list[Any] = []
        for name in names:
            st = stats[name]["evidences"].get(code)
            if kind == "binary":
                rows.append(float(st) if st is not None else FLOOR)
            else:
                dist = st or {}
                rows.append([float(dist.get(v, FLOOR)) for v in values])
        likelihood[code] = rows

    cond_out = [
        {
            "source_name": name,
            "icd10": stats[name]["icd10"].upper(),
            "severity": int(stats[name]["severity"]),
            "prior": stats[name]["prior"],
            "train_count": stats[name]["train_count"],
            "evidences": sorted(
                list(conditions[name]["symptoms"]) + list(conditions[name]["antecedents"]),
                key=lambda c: int(c.split("_")[1]),
            ),
        }
        for name in names
    ]

    sample_rows: list[dict[str, str]] = []
    for fname in ("release_validate_patients_sample.csv", "release_train_patients_sample.csv"):
        with (data / fname).open(encoding="utf-8", newline="") as fh:
            sample_rows.extend(csv.DictReader(fh))
    fits = [_age_model(sample_rows, names, a) for a in AGE_ALPHAS]
    age = max(fits, key=lambda m: m["heldout_mean_loglik"])
    sex_counts = Counter((r["PATHOLOGY"], r["SEX"]) for r in sample_rows)
    balanced = all(abs(sex_counts[(n, "F")] - sex_counts[(n, "M")]) <= 1 for n in names)

    source_files = [
        "release_evidences.json",
        "release_conditions.json",
        "train_statistics.json",
        "release_validate_patients_sample.csv",
        "release_train_patients_sample.csv",
    ]
    model = {
        "generated": (
            "Generated by tools/build_kb.py from the DDXPlus release files listed in "
            "'source'; do not edit by hand, run the script again."
        ),
        "source": {
            "dataset": "DDXPlus (Fansi Tchango et al., NeurIPS 2022 Datasets and Benchmarks)",
            "attribution": "DDXPlus dataset, Mila & Dialogue Health, CC-BY",
            "licence": "CC-BY 4.0",
            "statistics": (
                "P(evidence | pathology) and priors computed on the full DDXPlus training "
                "split (1,025,602 patients); floor 1e-7"
            ),
            "files": {f: _sha256(data / f) for f in source_files},
        },
        "floor": FLOOR,
        "conditions": cond_out,
        "evidences": ev_out,
        "likelihood": likelihood,
        "age_model": age if age["kept"] else None,
        "sex_model": None,
        "sex_model_reason": (
            "not estimated: the representative samples are balanced by sex within every "
            "pathology by construction, so they carry no information on sex"
            if balanced
            else "not estimated: too few patients per pathology"
        ),
    }
    out.mkdir(parents=True, exist_ok=True)
    target = out / "ddxplus_model.json"
    target.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    model = build(args.data, args.out)
    age = model["age_model"]
    print(
        f"wrote {args.out / 'ddxplus_model.json'}: {len(model['conditions'])} conditions, "
        f"{len(model['evidences'])} evidences; age model "
        + (
            f"kept (held-out mean log-lik {age['heldout_mean_loglik']} vs pooled "
            f"{age['pooled_mean_loglik']})"
            if age
            else "dropped"
        ),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
