"""Choose the care-level thresholds from expected harm on the triage set's development half.

Usage::

    python tools/calibrate_triage.py [--write]

The rule (``symptomatic.engine.triage``) answers, from the most urgent level down, the first
level whose *mass* (the probability of a condition needing that level or a more urgent one,
counting only conditions of at least ``min_probability``) reaches its threshold; red flags
override upward. This script reads every case of the development half of the blind triage
set and of the extra development set ``bench/data/triage_dev2.json`` (never the test half)
as the product does (text, age, sex), then searches a grid of ``min_probability`` and the
four thresholds for the smallest total harm, with
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
MASS_FLOORS = (0.0, 0.02, 0.03, 0.05, 0.08)
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


def development_cases() -> list[dict[str, object]]:
    """The triage set's development half and the extra development set (never the test
    half)."""
    from symptomatic.knowledge._io import package_dir, read_json

    extra = read_json(package_dir("symptomatic.bench", "data"), "triage_dev2.json")["items"]
    return [it for it in load_triage_set() if it["split"] == "dev"] + list(extra)


def read_cases(min_probability: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Masses (n, 5), the red-flag floor (n,) (4 when none), the gold level (n,)."""
    from dataclasses import replace

    checker = Checker()
    kb = replace(checker.kb, policy=replace(checker.kb.policy, min_probability=min_probability))
    masses, floors, gold = [], [], []
    skipped = 0
    for it in development_cases():
        try:
            a, _ = checker.assess(
                age=it["age"],  # type: ignore[arg-type]
                sex=it["sex"],  # type: ignore[arg-type]
                text=it["text"],  # type: ignore[arg-type]
                lang=it["lang"],  # type: ignore[arg-type]
            )
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
        gold.append(urgency(str(it["gold_level"])))
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
    harm = harm_matrix()
    best: tuple[float, int, tuple[float, ...], float] | None = None
    for mass_floor in MASS_FLOORS:
        masses, floors, gold, skipped = read_cases(mass_floor)
        for t in itertools.product(GRID, repeat=4):
            a = answers(masses, floors, t)
            cost = float(harm[gold, a].sum())
            exact = int((a == gold).sum())
            key = (cost, -exact, -mass_floor, tuple(-x for x in t))
            if best is None or key < (best[0], -best[1], -best[3], tuple(-x for x in best[2])):
                best = (cost, exact, tuple(float(x) for x in t), mass_floor)
    assert best is not None
    cost, exact, t, mass_floor = best
    masses, floors, gold, skipped = read_cases(mass_floor)
    a = answers(masses, floors, t)
    report = {
        "thresholds": dict(zip(CARE_LEVELS[:-1], t, strict=True)),
        "min_probability": mass_floor,
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
        doc["min_probability"] = mass_floor
        doc["chosen_on"] = (
            f"tools/calibrate_triage.py on the development half of the blind triage set and "
            f"the extra development set ({len(gold)} cases): the grid point with the least "
            f"total harm (under-triage of an emergency 10 per level, of a same-day case 3, "
            f"of a routine one 1; over-triage 1 per level, plus {OVER_INTO_EMERGENCY:g} into an "
            f"emergency); dev harm {cost:g}, "
            f"dev accuracy {report['accuracy']}"
        )
        POLICY.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        _recompile()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
