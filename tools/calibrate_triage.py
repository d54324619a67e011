"""Choose the care-level thresholds from expected harm on the triage set's development half.

Usage::

    python tools/calibrate_triage.py [--write]

The rule (``symptomatic.engine.triage``) answers, from the most urgent level down, the first
level whose *mass* (the probability of a condition needing that level or a more urgent one)
reaches its threshold; red flags override upward. This script reads every case of the
development half of the blind triage set (never the test half) as the product does (text,
age, sex), then searches a grid of the four thresholds for the smallest total harm, with
the harm of answering level ``a`` to a case whose published level is ``g`` (levels
numbered 0 = ambulance ... 4 = self-care):

* too late (``a > g``): ``UNDER[g] * (a - g)``, where an emergency answered too late costs
  10 per level, a same-day case 3, a routine one 1: under-triage is the worst error;
* too soon (``a < g``): ``(g - a)``, plus 4 more when a non-emergency is sent to an
  emergency: the next worst error, it teaches people to ignore the tool and burdens
  emergency services.

Ties go to the rule with more exact answers, then to higher thresholds. ``--write``
stores the thresholds in ``triage_policy.json`` with a note of how they were chosen.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from symptomatic import Checker, InputError
from symptomatic._levels import CARE_LEVELS, urgency
from symptomatic.bench.triage import load_triage_set
from symptomatic.engine.triage import level_masses

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "src" / "symptomatic" / "knowledge" / "data" / "triage_policy.json"
UNDER = (10.0, 10.0, 3.0, 1.0, 0.0)
OVER_INTO_EMERGENCY = 4.0
GRID = np.round(np.concatenate([np.arange(0.02, 0.1, 0.02), np.arange(0.1, 0.95, 0.05)]), 2)


def harm_matrix() -> np.ndarray:
    n = len(CARE_LEVELS)
    out = np.zeros((n, n))
    for g in range(n):
        for a in range(n):
            if a > g:
                out[g, a] = UNDER[g] * (a - g)
            elif a < g:
                out[g, a] = (g - a) + (OVER_INTO_EMERGENCY if a <= 1 < g else 0.0)
    return out


def read_cases() -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Masses (n, 5), the red-flag floor (n,) (4 when none), the gold level (n,)."""
    checker = Checker()
    kb = checker.kb
    masses, floors, gold = [], [], []
    skipped = 0
    for it in load_triage_set():
        if it["split"] != "dev":
            continue
        try:
            a, _ = checker.assess(age=it["age"], sex=it["sex"], text=it["text"], lang=it["lang"])
        except InputError:
            skipped += 1
            continue
        floor = min([urgency(r.level) for r in a.fired], default=len(CARE_LEVELS) - 1)
        if a.reading.outside_terms:
            floor = min(floor, urgency(kb.policy.other_level))
        if a.probs is None:
            m = np.zeros(len(CARE_LEVELS))  # no symptom: nothing reaches a threshold
            floor = min(floor, urgency(kb.policy.no_symptoms_level))
        else:
            m = level_masses(kb, a.probs)
        masses.append(m)
        floors.append(floor)
        gold.append(urgency(it["gold_level"]))
    return np.array(masses), np.array(floors), np.array(gold), skipped


def answers(masses: np.ndarray, floors: np.ndarray, t: tuple[float, ...]) -> np.ndarray:
    level = np.full(len(masses), len(CARE_LEVELS) - 1)
    for k in reversed(range(len(t))):
        level = np.where(masses[:, k] >= t[k], k, level)
    out: np.ndarray = np.minimum(level, floors)
    return out


def _recompile() -> None:
    """The compiled arrays record every file's hash: compile again after writing."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "kb" / "build.py"), "--compile"], check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    masses, floors, gold, skipped = read_cases()
    harm = harm_matrix()
    best: tuple[float, int, tuple[float, ...]] | None = None
    for t in itertools.product(GRID, repeat=4):
        a = answers(masses, floors, t)
        cost = float(harm[gold, a].sum())
        exact = int((a == gold).sum())
        key = (cost, -exact, tuple(-x for x in t))
        if best is None or key < (best[0], -best[1], tuple(-x for x in best[2])):
            best = (cost, exact, tuple(float(x) for x in t))
    assert best is not None
    cost, exact, t = best
    a = answers(masses, floors, t)
    report = {
        "thresholds": dict(zip(CARE_LEVELS[:-1], t, strict=True)),
        "dev_cases": len(gold),
        "skipped": skipped,
        "harm": cost,
        "accuracy": round(exact / len(gold), 4),
        "emergencies_under_triaged": int(((gold <= 1) & (a > 1)).sum()),
        "over_triage": round(float((a < gold).mean()), 4),
    }
    print(json.dumps(report, indent=1))
    if args.write:
        doc = json.loads(POLICY.read_text(encoding="utf-8"))
        doc["thresholds"] = report["thresholds"]
        doc["chosen_on"] = (
            f"tools/calibrate_triage.py on the development half of the blind triage set "
            f"({len(gold)} cases): the grid point with the least total harm (under-triage of "
            f"an emergency 10 per level, of a same-day case 3, of a routine one 1; over-triage "
            f"1 per level, plus {OVER_INTO_EMERGENCY:g} into an emergency); dev harm {cost:g}, "
            f"dev accuracy {report['accuracy']}"
        )
        POLICY.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _recompile()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
