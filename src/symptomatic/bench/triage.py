"""Care levels on the blind triage set: accuracy, under- and over-triage, confusion.

The set (``bench/data/triage_set.json``) was written by people who never saw the rules,
thresholds or lexicon: short descriptions in everyday English and French, each with the
care level published guidance gives (NHS, NICE CKS, CDC, Ameli/HAS) and that guidance
cited. It was split into a development half and a test half, and frozen
(``triage_set.freeze.json``), before any tuning; only the development half is read case
by case. :func:`run_triage` answers every case from its text, age and sex alone (no
interview) and reports, per half and per language:

* ``accuracy``: the level given is the gold level;
* ``safe``: the level given is the gold level or more urgent (Gilbert 2020's "safe");
* ``over_triage``: more urgent than the gold level;
* ``under_triage_by_level``: for each gold level, the share answered less urgent;
* ``emergencies_under_triaged``: cases whose gold level is an emergency (ambulance or
  emergency department) answered with a level that is not an emergency (target 0);
* ``self_care_as_self_care``: of the gold self-care cases, the share answered self-care;
* ``red_flag_recall``: of the cases whose writer marked a red flag in the wording, the
  share for which a red-flag rule fired (target 1.0);
* ``confusion``: gold level -> level given -> count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from symptomatic._levels import CARE_LEVELS, URGENT_LEVELS, urgency
from symptomatic.knowledge import KnowledgeBase
from symptomatic.knowledge._io import package_dir, read_json

__all__ = ["answer_levels", "load_triage_set", "run_triage", "score"]


def load_triage_set() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = read_json(
        package_dir("symptomatic.bench", "data"), "triage_set.json"
    )["items"]
    return items


def answer_levels(kb: KnowledgeBase, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case with the level symptomatic gives (``None`` when the text is refused)."""
    from symptomatic import Checker, InputError

    checker = Checker(knowledge=kb)
    out = []
    for it in items:
        try:
            result = checker.check(age=it["age"], sex=it["sex"], text=it["text"], lang=it["lang"])
            level: str | None = result.triage.level
            codes = list(result.triage.codes)
        except InputError:
            level, codes = None, []
        out.append({**it, "answer": level, "codes": codes})
    return out


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The metrics of the module docstring over answered cases."""
    n = len(rows)
    if not n:
        return {"n": 0}
    refused = sum(r["answer"] is None for r in rows)
    answered = [r for r in rows if r["answer"] is not None]
    exact = sum(r["answer"] == r["gold_level"] for r in answered)
    over = sum(urgency(r["answer"]) < urgency(r["gold_level"]) for r in answered)
    under = [r for r in answered if urgency(r["answer"]) > urgency(r["gold_level"])]
    by_level: dict[str, float] = {}
    for level in CARE_LEVELS:
        of_level = [r for r in rows if r["gold_level"] == level]
        if of_level:
            missed = sum(
                r["answer"] is None or urgency(r["answer"]) > urgency(level) for r in of_level
            )
            by_level[level] = round(missed / len(of_level), 4)
    emergencies = [r for r in rows if r["gold_level"] in URGENT_LEVELS]
    missed_emergencies = [r for r in emergencies if r["answer"] not in URGENT_LEVELS]
    self_care = [r for r in rows if r["gold_level"] == "self_care"]
    flagged = [r for r in rows if r.get("red_flag")]
    caught = sum(any(c.startswith("red_flag:") for c in r["codes"]) for r in flagged)
    confusion: dict[str, dict[str, int]] = {}
    for gold in CARE_LEVELS:
        counts = Counter(str(r["answer"]) for r in rows if r["gold_level"] == gold)
        if counts:
            confusion[gold] = {k: counts[k] for k in (*CARE_LEVELS, "None") if counts[k]}
    return {
        "n": n,
        "refused": refused,
        "accuracy": round(exact / n, 4),
        "safe": round((exact + over) / n, 4),
        "over_triage": round(over / n, 4),
        "under_triage": round(len(under) / n, 4),
        "under_triage_by_level": by_level,
        "emergencies": len(emergencies),
        "emergencies_under_triaged": len(missed_emergencies),
        "self_care_as_self_care": round(
            sum(r["answer"] == "self_care" for r in self_care) / len(self_care), 4
        )
        if self_care
        else None,
        "red_flag_cases": len(flagged),
        "red_flag_recall": round(caught / len(flagged), 4) if flagged else None,
        "confusion": confusion,
    }


def run_triage(kb: KnowledgeBase) -> dict[str, Any]:
    """Every metric, for the development and test halves, overall and per language."""
    rows = answer_levels(kb, load_triage_set())
    out: dict[str, Any] = {}
    for split in ("dev", "test"):
        part = [r for r in rows if r["split"] == split]
        block = score(part)
        block["by_lang"] = {
            lang: {
                k: v
                for k, v in score([r for r in part if r["lang"] == lang]).items()
                if k != "confusion"
            }
            for lang in sorted({r["lang"] for r in part})
        }
        out[split] = block
    return out
