"""Speed and memory of symptomatic, measured like for like, with ratios side by side.

Usage::

    python tools/bench_speed.py [--csv ../shared/data/ddxplus/release_test_patients_sample.csv]
                                [--json] [--skip-process] [--skip-scaling]

Every timing is a warm-up call, then the median (and the 99th percentile where it says so)
of many calls, with any reference computed in the same run on the same input:

* **posterior**: encode a case's findings and compute the calibrated posterior (one case,
  in-process), with 8 findings and with every answer of a DDXPlus patient;
* **interview step**: one answer to the public :class:`symptomatic.Interview` and the
  next question, over simulated interviews of DDXPlus patients (median and p99);
* **knowledge load**: ``load_knowledge()`` of the packaged base, cold in a fresh process;
* **batch**: see ``symptomatic bench ddxplus`` (``symptomatic.bench.ddxplus.batch_speed``);
* **process**: ``symptomatic check --json`` with structured findings and with a short
  text, against ``python -c "import numpy"``: median wall time of 15 runs and peak RSS.
  The package's bytecode is written first, as ``pip install`` does (numpy's is); an
  editable install under ``PYTHONDONTWRITEBYTECODE`` has none and would compile ~40
  modules at every start;
* **scaling**: the posterior and one question selection on the packaged base, on its
  DDXPlus part (49 conditions) and on a simulated base of 800 conditions x 700 evidences
  (columns and rows of the real tables resampled with noise, through the same code), with
  the memory a question selection allocates (tracemalloc peak).
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
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "ddxplus" / "release_test_patients_sample.csv"

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the command line and the server do

import numpy as np  # noqa: E402

from symptomatic import Checker, Finding, Interview, InterviewPolicy  # noqa: E402
from symptomatic._runtime import tune_process  # noqa: E402
from symptomatic.bench._timing import timings  # noqa: E402
from symptomatic.bench.ddxplus import read_patients  # noqa: E402
from symptomatic.engine import compile_questions, encode, posterior  # noqa: E402
from symptomatic.engine.interview import select  # noqa: E402


def median_us(fn: Callable[[], object], repeat: int) -> float:
    return 1e6 * statistics.median(timings(fn, repeat))


_RUNNER = (
    "import resource, subprocess, sys, time\n"
    "times = []\n"
    "for _ in range(int(sys.argv[1])):\n"
    "    t = time.perf_counter()\n"
    "    subprocess.run(sys.argv[2:], check=True, stdout=subprocess.DEVNULL)\n"
    "    times.append(time.perf_counter() - t)\n"
    "times.sort()\n"
    "print(times[len(times) // 2], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def compile_bytecode() -> None:
    """Write the bytecode of the package's modules, as ``pip install`` does."""
    import compileall

    import symptomatic

    compileall.compile_dir(Path(symptomatic.__file__).parent, quiet=1)


def process(cmd: list[str], repeat: int = 15) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of ``repeat`` runs of ``cmd``, started from a
    small separate Python so that the RSS is the command's own."""
    out = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(repeat), *cmd],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def patient_findings(
    checker: Checker, csv: Path, n: int
) -> list[list[tuple[str, str, str | None]]]:
    kb = checker.kb
    out = []
    for pt in read_patients(csv, limit=n):
        found: list[tuple[str, str, str | None]] = []
        for eid, values in pt.findings(kb).items():
            found += [(eid, "present", None if v == "present" else v) for v in values]
        out.append(found)
    return out


def bench_posterior(checker: Checker, cases: list[list[Any]]) -> dict[str, float]:
    model = checker.model
    present = [[f for f in c if f[1] == "present"][:8] for c in cases]
    i = iter(range(10**9))
    j = iter(range(10**9))
    return {
        "posterior_8_findings_us": median_us(
            lambda: posterior(model, encode(model, present[next(i) % len(present)]), age=40.0),
            3000,
        ),
        "posterior_all_answers_us": median_us(
            lambda: posterior(model, encode(model, cases[next(j) % len(cases)]), age=40.0), 3000
        ),
    }


def bench_interview(checker: Checker, cases: list[list[Any]], n: int = 60) -> dict[str, float]:
    """Answer + next question through the public Interview, on simulated interviews: the
    patient answers yes to what they have and no to the rest."""
    steps: list[float] = []
    for case in cases[:n]:
        have = {(e, v) for e, _, v in case}
        have_ev = {e for e, _, _ in case}
        first = [Finding(e, "present", v) for e, _, v in case[:2]]
        iv = Interview(checker, age=40, sex="female", findings=first)
        q = iv.next_question()
        while q is not None:
            if q.kind == "binary":
                answer: Any = "yes" if q.evidence in have_ev else "no"
            elif q.kind == "multi":
                picked = [c.value for c in q.choices if (q.evidence, c.value) in have]
                answer = picked or "dont_know"
            else:
                picked = [c.value for c in q.choices if (q.evidence, c.value) in have]
                answer = picked[0] if picked else "dont_know"
            t = time.perf_counter()
            iv.answer(answer)
            q = iv.next_question()
            steps.append(time.perf_counter() - t)
    steps.sort()
    return {
        "interview_steps": len(steps),
        "interview_step_median_ms": 1e3 * statistics.median(steps),
        "interview_step_p99_ms": 1e3 * steps[min(len(steps) - 1, int(0.99 * len(steps)))],
    }


def scaled_model(model: Any, n_conditions: int, n_evidence_factor: float, seed: int = 0) -> Any:
    """A model with ``n_conditions`` hypotheses and more answer slots, resampled from the
    real tables with noise (same dtypes and layout, so the same code runs on it)."""
    rng = np.random.default_rng(seed)
    cols = rng.integers(0, model.n_conditions, n_conditions)
    log_lik = model.log_lik[:, cols] + rng.normal(0.0, 0.3, (model.log_lik.shape[0], n_conditions))
    reps = int(np.ceil(n_evidence_factor))
    log_lik = np.vstack([log_lik] * reps)
    log_lik = np.minimum(log_lik, 0.0)
    prior = model.log_prior[cols] + rng.normal(0.0, 0.5, n_conditions)
    return log_lik, prior


def bench_scaling(checker: Checker) -> dict[str, Any]:
    """Posterior and one question selection at 49, the packaged size, and 800 conditions."""
    from symptomatic.engine.interview import QuestionTable

    kb, model = checker.kb, checker.model
    table = compile_questions(kb, model)
    policy = InterviewPolicy()
    out: dict[str, Any] = {}

    def measure(label: str, tab: QuestionTable, n_h: int, log_lik: Any, prior: Any) -> None:
        rng = np.random.default_rng(1)
        probs = rng.dirichlet(np.full(n_h, 0.3))
        answered = np.zeros(tab.n_questions, dtype=bool)
        answered[rng.choice(tab.n_questions, 5, replace=False)] = True
        present = answered.copy()
        slots = rng.choice(log_lik.shape[0], 8, replace=False)

        def post() -> object:
            z = prior + log_lik[slots].sum(axis=0)
            z = z - z.max()
            e = np.exp(z)
            return e / e.sum()

        def pick() -> object:
            return select(tab, probs, answered, present, policy=policy)

        tracemalloc.start()
        pick()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out[label] = {
            "hypotheses": n_h,
            "questions": tab.n_questions,
            "outcomes": int(tab.lik.shape[0]),
            "posterior_us": median_us(post, 2000),
            "select_question_ms": median_us(pick, 300) / 1e3,
            "select_question_peak_mb": peak / 2**20,
        }

    measure("packaged", table, model.n_hypotheses, model.log_lik, model.log_prior)
    ddx = [i for i, c in enumerate(kb.conditions) if c.source == "ddxplus"]
    sub = replace(
        table,
        lik=np.ascontiguousarray(table.lik[:, ddx]),
        neg_entropy=np.ascontiguousarray(table.neg_entropy[:, ddx]),
        group=table.group[ddx],
        level_onehot=table.level_onehot[ddx],
        severity=table.severity[ddx],
    )
    measure("ddxplus_49", sub, len(ddx), model.log_lik[:, ddx], model.log_prior[ddx])
    # 800 conditions, about 700 evidences: resample columns, repeat question blocks.
    rng = np.random.default_rng(2)
    n_big = 800
    factor = 700 / table.n_questions
    reps = int(np.ceil(factor))
    cols = rng.integers(0, model.n_hypotheses, n_big)
    lik = np.vstack([table.lik[:, cols]] * reps).astype(np.float32)
    noise = rng.uniform(0.7, 1.3, lik.shape).astype(np.float32)
    lik = lik * noise
    starts = np.concatenate(
        [table.starts[:-1] + r * table.lik.shape[0] for r in range(reps)]
        + [[reps * table.lik.shape[0]]]
    ).astype(np.intp)
    oq = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    sums = np.add.reduceat(lik, starts[:-1], axis=0)
    lik = np.ascontiguousarray(lik / sums[oq])
    neg = np.add.reduceat(lik * np.log(lik), starts[:-1], axis=0).astype(np.float64)
    big = replace(
        table,
        evidences=tuple(f"q{i}" for i in range(len(starts) - 1)),
        index={},
        parent=np.full(len(starts) - 1, -1, dtype=np.intp),
        starts=starts,
        outcome_question=oq,
        outcome_slot=np.arange(lik.shape[0]),
        lik=lik,
        neg_entropy=neg,
        group=table.group[cols],
        history=np.zeros(len(starts) - 1, dtype=bool),
        level_onehot=table.level_onehot[cols],
        severity=table.severity[cols],
    )
    big_lik, big_prior = scaled_model(model, n_big, factor)
    measure("simulated_800", big, n_big, big_lik, big_prior)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-process", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    tune_process()
    checker = Checker()
    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}",
        "conditions": checker.model.n_conditions,
        "evidences": len(checker.kb.evidences),
    }
    cases = patient_findings(checker, args.csv, 300)
    out.update(bench_posterior(checker, cases))
    out.update(bench_interview(checker, cases))
    if not args.skip_process:
        compile_bytecode()
        load = [
            sys.executable,
            "-c",
            "import time; t = time.perf_counter(); "
            "from symptomatic import load_knowledge; load_knowledge(); "
            "print(time.perf_counter() - t)",
        ]
        loads = [
            float(subprocess.run(load, check=True, capture_output=True, text=True).stdout)
            for _ in range(7)
        ]
        out["knowledge_load_cold_ms"] = 1e3 * statistics.median(loads)
        exe = str(Path(sys.executable).with_name("symptomatic"))
        numpy_s, _ = process([sys.executable, "-c", "import numpy"])
        structured = [exe, "check", "--age", "41", "--sex", "male", "--yes", "fever"]
        structured += ["--yes", "cough", "--no", "sore-throat", "--json"]
        text = [exe, "check", "--age", "30", "sore throat and a runny nose since Monday, no fever"]
        text += ["--json"]
        s_s, s_mb = process(structured)
        t_s, t_mb = process(text)
        out["process_import_numpy_ms"] = 1e3 * numpy_s
        out["process_check_structured_ms"] = 1e3 * s_s
        out["process_check_structured_ratio"] = s_s / numpy_s
        out["process_check_text_ms"] = 1e3 * t_s
        out["process_check_text_ratio"] = t_s / numpy_s
        out["process_peak_rss_mb"] = max(s_mb, t_mb)
    if not args.skip_scaling:
        out["scaling"] = bench_scaling(checker)

    def rounded(v: Any) -> Any:
        if isinstance(v, float):
            return round(v, 4)
        if isinstance(v, dict):
            return {k: rounded(x) for k, x in v.items()}
        return v

    out = rounded(out)
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for key, value in out.items():
            print(f"{key:>34}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
