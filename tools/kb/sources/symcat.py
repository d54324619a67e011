"""SymCat adapter: SymCat's two tables -> canonical condition records (numbers only).

SymCat (symcat.com, built on US visit surveys) gives, for 801 conditions, the share of
visits with each of its 12 most common symptoms, P(symptom | condition) in percent, and age,
sex and race odds; for 474 symptoms, the share of visits with each of its 8 most common
conditions, P(condition | symptom). No sentence of SymCat is used.

What it derives:

* **Visit shares (the prior).** For a (condition, symptom) pair present in both tables,
  Bayes gives P(c|s) / P(s|c) = N_c / N_s, the ratio of their visit counts. A least-squares
  fit of log N_c - log N_s over every such pair in the largest connected set of conditions
  and symptoms recovers every N_c up to one constant; shares are N_c over their sum. A
  condition never among a symptom's top causes gets an upper bound, N_c <= min over its
  symptoms of (smallest listed P(c'|s)) N_s / P(s|c); its prior is half that bound.
* **Small-sample rows.** A condition whose symptoms share one probability (five or more
  tied at the same value, or three distinct values or fewer among eight or more) comes from
  few visits: its numbers are shrunk four times harder toward the background.
* **Likelihoods.** Each SymCat symptom maps through ``tools/kb/crosswalk/symcat_symptoms.tsv``
  to an evidence, or to pain, swelling or a skin problem at a body site
  (``crosswalk/sites.json``). Several symptoms on one evidence: the largest (they nest:
  "back pain", "low back pain"). Pain at several sites: P(pain) = 1 - prod(1 - p_i), at most
  0.95, and the location shares in proportion to the p_i, 5 % spread over every location.
  Each probability is then shrunk toward the evidence's background frequency b:
  p' = (p + m b) / (1 + m), m = 0.2 (0.8 for small-sample rows and bound-only priors).
  A symptom outside a condition's top twelve is not "never": it gets the evidence's leak.
* **Age and sex.** Odds against the visit mix for 8 age bands and for sex, as log ratios
  (an odds of 0 floored at 0.05); P(c | age, sex) is proportional to prior x odds.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

SOURCE = "symcat"
FILES = ("symcat_801_conditions_parsed.json", "symcat_474_symptoms_parsed.json")
DATASET = {
    "name": "SymCat (symcat.com), condition and symptom statistics from US visit surveys",
    "attribution": "SymCat symptom-condition statistics (symcat.com, Monsen and Do)",
    "licence": "not stated; figures used as statistics with attribution, no text reused",
}
AGE_BANDS = [0, 1, 5, 15, 30, 45, 60, 75, 121]
AGE_KEYS = (
    "age-1-years",
    "age-1-4-years",
    "age-5-14-years",
    "age-15-29-years",
    "age-30-44-years",
    "age-45-59-years",
    "age-60-74-years",
    "age-75-years",
)
PAIN_CAP = 0.95
LOCATION_LEAK = 0.05
SHRINK = 0.2
SHRINK_WEAK = 0.8
ODDS_FLOOR = 0.05
KINDS = {
    "pain": ("pain", "pain-location"),
    "swelling": ("swelling", "swelling-location"),
    "skin": ("skin-rash", "rash-location"),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_crosswalk(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            slug, target = line.split("\t")
            out[slug] = target
    return out


def visit_shares(
    conditions: dict[str, Any], symptoms: dict[str, Any]
) -> tuple[dict[str, tuple[float, str]], dict[str, float], dict[str, Any]]:
    """(condition -> (share, "estimated" | "upper-bound"), symptom -> share, fit figures)."""
    pairs = []
    for s, sv in symptoms.items():
        for cause in sv["common_causes"].values():
            c = cause["slug"].removeprefix("cause-")
            if c in conditions and s in conditions[c]["symptoms"]:
                p_sc = conditions[c]["symptoms"][s]["probability"]
                pairs.append((c, s, float(cause["probability"]), float(p_sc)))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for c, s, _, _ in pairs:
        parent[find("s:" + s)] = find("c:" + c)
    roots: dict[str, int] = defaultdict(int)
    for x in list(parent):
        roots[find(x)] += 1
    big = max(roots, key=lambda r: roots[r])
    conds = sorted(x[2:] for x in parent if x.startswith("c:") and find(x) == big)
    syms = sorted(x[2:] for x in parent if x.startswith("s:") and find(x) == big)
    ci = {c: i for i, c in enumerate(conds)}
    si = {s: i for i, s in enumerate(syms)}
    rows = [p for p in pairs if p[0] in ci]
    a = np.zeros((len(rows) + 1, len(conds) + len(syms)))
    y = np.zeros(len(rows) + 1)
    for r, (c, s, p_cs, p_sc) in enumerate(rows):
        a[r, ci[c]] = 1.0
        a[r, len(conds) + si[s]] = -1.0
        y[r] = math.log(p_cs / p_sc)
    a[-1, : len(conds)] = 1.0 / len(conds)  # fix the free constant
    x = np.linalg.lstsq(a, y, rcond=None)[0]
    resid = a[:-1] @ x - y[:-1]
    log_n = {c: float(x[ci[c]]) for c in conds}
    log_s = {s: float(x[len(conds) + si[s]]) for s in syms}
    z = math.log(sum(math.exp(v) for v in log_n.values()))
    out: dict[str, tuple[float, str]] = {
        c: (math.exp(v - z), "estimated") for c, v in log_n.items()
    }
    smallest = {
        s: min(cv["probability"] for cv in sv["common_causes"].values())
        for s, sv in symptoms.items()
        if sv["common_causes"]
    }
    for c, cv in conditions.items():
        if c in out:
            continue
        bounds = [
            math.log(smallest[s]) + log_s[s] - math.log(p["probability"])
            for s, p in cv["symptoms"].items()
            if s in log_s and s in smallest
        ]
        if bounds:
            out[c] = (math.exp(min(bounds) - z), "upper-bound")
    figures = {
        "pairs": len(rows),
        "conditions_estimated": len(conds),
        "residual_sd": round(float(resid.std()), 3),
        "pairs_off_by_2x": int((abs(resid) > math.log(2)).sum()),
    }
    return out, {s: math.exp(v - z) for s, v in log_s.items()}, figures


def small_sample(condition: dict[str, Any]) -> bool:
    values = [round(float(v["probability"]), 3) for v in condition["symptoms"].values()]
    if not values:
        return True
    most = max(values.count(v) for v in set(values))
    tied = most >= 5 and max(set(values), key=values.count) >= 5
    return tied or (len(values) >= 8 and len(set(values)) <= 3)


def _odds_log(value: float) -> float:
    return round(math.log(max(float(value), ODDS_FLOOR)), 6)


def build(
    data: Path,
    vocabulary: dict[str, Any],
    crosswalk_dir: Path,
    wanted: dict[str, list[str]],
) -> dict[str, Any]:
    """Raw records for ``wanted`` (condition id -> SymCat slugs it merges), before shrinkage.

    Returns the records, the evidence aliases the crosswalk gives, the visit shares of the
    SymCat conditions (for the priors of conditions other sources give), and the dataset.
    """
    conditions = json.loads((data / FILES[0]).read_text(encoding="utf-8"))
    symptoms = json.loads((data / FILES[1]).read_text(encoding="utf-8"))
    crosswalk = read_crosswalk(crosswalk_dir / "symcat_symptoms.tsv")
    sites = json.loads((crosswalk_dir / "sites.json").read_text(encoding="utf-8"))["sites"]
    shares, symptom_shares, figures = visit_shares(conditions, symptoms)
    evidences = {e["id"]: e for e in vocabulary["evidences"]}
    aliases: dict[str, list[str]] = defaultdict(list)
    for slug, target in sorted(crosswalk.items()):
        if target == "skip":
            continue
        if ":" in target:
            kind, _ = target.split(":")
            aliases[KINDS[kind][0]].append(slug)  # the located evidence (pain, swelling, rash)
        else:
            if target not in evidences:
                raise SystemExit(f"crosswalk: {slug} -> {target}, no such evidence")
            aliases[target].append(slug)
    records: dict[str, dict[str, Any]] = {}
    for cid, slugs in wanted.items():
        missing = [s for s in slugs if s not in conditions]
        if missing:
            raise SystemExit(f"{cid}: SymCat has no condition {missing}")
        weights = [shares.get(s, (0.0, "none"))[0] for s in slugs]
        total = sum(weights)
        if total <= 0.0:
            raise SystemExit(f"{cid}: no visit share for {slugs}")
        w = [x / total for x in weights]
        kinds = {shares[s][1] for s in slugs if s in shares}
        weak = any(small_sample(conditions[s]) for s in slugs) or kinds == {"upper-bound"}
        binary: dict[str, float] = defaultdict(float)
        located: dict[str, dict[str, float]] = {k: defaultdict(float) for k in KINDS}
        for s, ws in zip(slugs, w, strict=True):
            mine: dict[str, float] = {}
            mine_sites: dict[str, dict[str, float]] = {k: {} for k in KINDS}
            for sym, entry in conditions[s]["symptoms"].items():
                target = crosswalk.get(sym)
                if target is None:
                    raise SystemExit(f"crosswalk: no row for SymCat symptom {sym}")
                p = float(entry["probability"]) / 100.0
                if target == "skip":
                    continue
                if ":" in target:
                    kind, site = target.split(":")
                    key = site or "*"
                    mine_sites[kind][key] = max(mine_sites[kind].get(key, 0.0), p)
                else:
                    mine[target] = max(mine.get(target, 0.0), p)
            for eid, p in mine.items():
                binary[eid] += ws * p
            for kind in KINDS:
                for site, p in mine_sites[kind].items():
                    located[kind][site] += ws * p
        likelihood: dict[str, Any] = {}
        for eid, p in binary.items():
            likelihood[eid] = {"p": round(min(p, 0.98), 6), "source": SOURCE}
        for kind, (present_id, location_id) in KINDS.items():
            per_site = located[kind]
            if not per_site:
                continue
            p_any = 1.0 - math.prod(1.0 - p for p in per_site.values())
            p_any = max(p_any, likelihood.get(present_id, {"p": 0.0})["p"])
            likelihood[present_id] = {"p": round(min(p_any, PAIN_CAP), 6), "source": SOURCE}
            located_sites = {s: p for s, p in per_site.items() if s != "*"}
            if not located_sites:
                continue
            values = evidences[location_id]["values"]
            dist = dict.fromkeys(values, LOCATION_LEAK / len(values))
            mass = sum(located_sites.values())
            for site, p in located_sites.items():
                for v in sites[site]:
                    dist[v] += (1.0 - LOCATION_LEAK) * (p / mass) / len(sites[site])
            likelihood[location_id] = {
                "values": {v: round(q, 6) for v, q in dist.items() if q >= 1e-6},
                "source": SOURCE,
            }
        age = [
            _odds_log(
                sum(
                    wi * float(conditions[s]["age"][k]["odds"])
                    for s, wi in zip(slugs, w, strict=True)
                )
            )
            for k in AGE_KEYS
        ]
        male = sum(
            wi * float(conditions[s]["sex"]["sex-male"]["odds"])
            for s, wi in zip(slugs, w, strict=True)
        )
        female = sum(
            wi * float(conditions[s]["sex"]["sex-female"]["odds"])
            for s, wi in zip(slugs, w, strict=True)
        )
        prior_p = sum(
            shares[s][0] * (0.5 if shares[s][1] == "upper-bound" else 1.0)
            for s in slugs
            if s in shares
        )
        how = (
            "visit share recovered from the two SymCat tables"
            if "estimated" in kinds
            else ("half the upper bound on its visit share (never among a symptom's top causes)")
        )
        records[cid] = {
            "source": SOURCE,
            "source_ref": "+".join(slugs),
            "weak": weak,
            "prior": {"p": round(prior_p, 8), "source": f"{SOURCE}: {how}"},
            "age": {
                "bands": AGE_BANDS,
                "log_ratio": age,
                "source": f"{SOURCE}: age odds against the visit mix",
            },
            "sex_log_ratio": {
                "male": _odds_log(male),
                "female": _odds_log(female),
                "source": f"{SOURCE}: sex odds against the visit mix",
            },
            "unlisted": [
                {
                    "scope": SOURCE,
                    "p": "leak",
                    "source": f"{SOURCE}: not among the condition's twelve most common symptoms",
                }
            ],
            "likelihood": likelihood,
        }
    return {
        "records": records,
        "aliases": dict(aliases),
        "shares": shares,
        "symptom_shares": symptom_shares,
        "dataset": {
            **DATASET,
            "files": {f: _sha256(data / f) for f in FILES},
            "visit_share_fit": figures,
        },
    }


def shrink(record: dict[str, Any], background: dict[str, Any]) -> None:
    """Pull each yes/no likelihood toward the evidence's background frequency."""
    m = SHRINK_WEAK if record.pop("weak", False) else SHRINK
    for eid, entry in record["likelihood"].items():
        if "p" in entry and eid in background and "p" in background[eid]:
            b = float(background[eid]["p"])
            entry["p"] = round((float(entry["p"]) + m * b) / (1.0 + m), 6)
            entry["source"] = f"{SOURCE}: shrunk toward the background (m={m})"
