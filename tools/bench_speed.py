"""Speed of the engine, side by side with what a Python developer would otherwise use.

Usage::

    python tools/bench_speed.py [--csv ../shared/data/ddxplus/release_test_patients_sample.csv]
                                [--pgmpy-cases 20] [--json]

Needs the bench extra (``pip install -e '.[bench]'``: scikit-learn, pgmpy). Measures, in
one run on the same statistics and the same patients:

* one differential in-process: encode the findings + calibrated posterior (median of many
  single-case calls), and the posterior alone on already-encoded findings;
* the vectorised full-observation path over the whole CSV (cases/s), against a plain
  vectorised numpy naive Bayes over the same statistics (dense one-hot matrix times the
  log-likelihood table);
* scikit-learn's BernoulliNB given the same log-probabilities (per-case predict_proba);
* pgmpy exact inference (variable elimination) on the same network: the condition as the
  parent of every evidence, CPDs from the same statistics (per-case query).
* the command ``symptomatic check ... --json`` as a whole process, against
  ``python -c "import numpy"``: median wall time over repeated runs and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from symptomatic import Checker
from symptomatic.bench.ddxplus import encode_patients, read_patients
from symptomatic.engine import encode, full_observation_scores, normalise_rows, posterior

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "ddxplus" / "release_test_patients_sample.csv"


def _median_seconds(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _rate(fn: Any, n: int, min_seconds: float = 1.0) -> float:
    fn()
    runs, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < min_seconds:
        fn()
        runs += 1
    return n * runs / (time.perf_counter() - t0)


_RUNNER = (
    "import os, resource, subprocess, sys, time\n"
    "times = []\n"
    "for _ in range(int(sys.argv[1])):\n"
    "    t = time.perf_counter()\n"
    "    subprocess.run(sys.argv[2:], check=True, stdout=subprocess.DEVNULL)\n"
    "    times.append(time.perf_counter() - t)\n"
    "times.sort()\n"
    "print(times[len(times) // 2], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _process(cmd: list[str], repeat: int) -> tuple[float, int]:
    """Median wall time and peak RSS (KiB) of ``repeat`` runs of ``cmd``.

    The runs are started from a small separate Python process, so the peak RSS is the
    command's own and not this (large) process's pages copied at fork time.
    """
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(repeat), *cmd],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--pgmpy-cases", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    checker = Checker()
    kb, model = checker.kb, checker.model
    patients = list(read_patients(args.csv))
    enc = encode_patients(kb, model, patients)
    n = len(patients)
    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}",
        "patients": n,
    }

    # --- single case, in-process ---------------------------------------------------
    def findings_of(pt: Any) -> list[tuple[str, str, str | None]]:
        answers = pt.answers()
        found: list[tuple[str, str, str | None]] = [
            (c, "present" if c in answers else "absent", None) for c in model.binary_codes
        ]
        for code, values in answers.items():
            if kb.by_code[code].type != "binary":
                found += [(code, "present", v) for v in values]
        return found

    sample = [findings_of(pt) for pt in patients[:200]]
    partial = [[f for f in case if f[1] == "present"][:8] for case in sample]
    encoded = [encode(model, f) for f in sample]
    i = iter(range(10**9))
    out["single_posterior_only_us"] = 1e6 * _median_seconds(
        lambda: posterior(model, encoded[next(i) % 200], age=40.0), 5000
    )
    j = iter(range(10**9))
    out["single_encode_and_posterior_full_us"] = 1e6 * _median_seconds(
        lambda: posterior(model, encode(model, sample[next(j) % 200]), age=40.0), 2000
    )
    k = iter(range(10**9))
    out["single_encode_and_posterior_8_findings_us"] = 1e6 * _median_seconds(
        lambda: posterior(model, encode(model, partial[next(k) % 200]), age=40.0), 5000
    )

    # --- vectorised full path vs plain numpy naive Bayes ---------------------------
    def ours() -> None:
        normalise_rows(full_observation_scores(model, enc.matrix, enc.ages))

    onehot = np.hstack([enc.present, 1.0 - enc.present, enc.values])
    present_rows = np.array([model.evidence_slots[c][0] for c in model.binary_codes])
    table = np.vstack(
        [model.log_lik[present_rows], model.log_lik[present_rows + 1], model.value_log_lik]
    )
    prior = model.log_prior

    def plain() -> None:
        z = onehot @ table + prior
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        e /= e.sum(axis=1, keepdims=True)

    out["vectorised_cases_per_second"] = _rate(ours, n)
    out["plain_numpy_nb_cases_per_second"] = _rate(plain, n)

    # --- scikit-learn BernoulliNB with the same statistics --------------------------
    from sklearn.naive_bayes import BernoulliNB

    features = np.hstack([enc.present, enc.values > 0]).astype(np.float64)
    p_feat = np.exp(np.vstack([model.log_lik[present_rows], model.value_log_lik])).T
    nb = BernoulliNB()
    nb.fit(features[:98], enc.truth[:98] % 2)  # shapes only; parameters set below
    nb.classes_ = np.arange(model.n_conditions)
    nb.class_log_prior_ = prior.copy()
    nb.feature_log_prob_ = np.log(np.clip(p_feat, 1e-7, 1 - 1e-7))
    nb.class_count_ = np.ones(model.n_conditions)
    nb.feature_count_ = np.ones_like(p_feat)
    m = iter(range(10**9))
    out["sklearn_bernoullinb_single_us"] = 1e6 * _median_seconds(
        lambda: nb.predict_proba(features[next(m) % n : next(m) % n + 1]), 2000
    )
    out["sklearn_bernoullinb_top1"] = float((nb.predict(features) == enc.truth).mean())

    # --- pgmpy exact inference on the same network ---------------------------------
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.inference import VariableElimination
    from pgmpy.models import DiscreteBayesianNetwork

    used = sorted({c for pt in patients[: args.pgmpy_cases] for c in pt.answers()})
    codes = [c for c in model.binary_codes] + [c for c in used if kb.by_code[c].type != "binary"]
    net = DiscreteBayesianNetwork([("C", c) for c in codes])
    cpds = [TabularCPD("C", model.n_conditions, np.exp(prior).reshape(-1, 1) / np.exp(prior).sum())]
    for code in codes:
        lik = np.exp(model.log_lik[model.evidence_slots[code]])  # (states, C)
        lik = lik / lik.sum(axis=0, keepdims=True)
        cpds.append(TabularCPD(code, lik.shape[0], lik, evidence=["C"], evidence_card=[49]))
    net.add_cpds(*cpds)
    infer = VariableElimination(net)
    queries = []
    for pt in patients[: args.pgmpy_cases]:
        answers = pt.answers()
        ev: dict[str, int] = {}
        for code in codes:
            e = kb.by_code[code]
            if e.type == "binary":
                ev[code] = 0 if code in answers else 1
            elif code in answers:
                ev[code] = list(e.values).index(answers[code][0])
        queries.append(ev)
    q = iter(range(10**9))
    out["pgmpy_variable_elimination_single_ms"] = 1e3 * _median_seconds(
        lambda: infer.query(["C"], evidence=queries[next(q) % len(queries)], show_progress=False),
        len(queries),
    )

    # --- the whole command as a process ---------------------------------------------
    exe = str(Path(sys.executable).with_name("symptomatic"))
    cmd = [
        exe,
        "check",
        "--age",
        "41",
        "--sex",
        "male",
        "--yes",
        "fever",
        "--yes",
        "cough",
        "--no",
        "sore-throat",
        "--json",
    ]
    numpy_s, _ = _process([sys.executable, "-c", "import numpy"], 15)
    check_s, peak_kib = _process(cmd, 15)
    out["process_import_numpy_ms"] = 1e3 * numpy_s
    out["process_check_json_ms"] = 1e3 * check_s
    out["process_ratio_to_import_numpy"] = check_s / numpy_s
    out["process_peak_rss_mb"] = peak_kib / 1024

    out = {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for key, value in out.items():
            print(f"{key:>44}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
