"""Hand-specified conditions: ``tools/kb/expert/<id>.json`` -> canonical records.

For conditions no dataset covers well (COVID-19 in the Omicron era, cellulitis, aortic
dissection, cauda equina syndrome, ...), each number was written from a cited source
(a study, a guideline or a standard text; "expert estimate" where that is what it is) and
the citation travels with the number. Body-site distributions are spread over the site's
location values, 5 % over every location; a finding a file does not list is uncommon for
the condition: it gets the evidence's leak.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

SOURCE = "expert"
DATASET = {
    "name": "Hand-specified by the symptomatic authors from the sources cited beside each number",
    "attribution": "symptomatic authors (sources cited per number)",
    "licence": "MIT (the project's own figures); the cited works are facts, not text",
}
LOCATION_LEAK = 0.05
ODDS_FLOOR = 0.05
LOCATIONS = ("pain-location", "swelling-location", "rash-location", "pain-radiates-to")


def _source(text: str) -> str:
    return f"{SOURCE}: {text}" if not text.startswith(f"{SOURCE}:") else text


def likelihood_entry(
    cid: str,
    eid: str,
    entry: dict[str, Any],
    evidences: dict[str, Any],
    sites: dict[str, list[str]],
) -> dict[str, Any]:
    """One hand-specified figure as a record's likelihood entry (sites spread over their
    location values, 5 % over every location; choice shares normalised)."""
    if eid not in evidences:
        raise SystemExit(f"expert/{cid}: unknown evidence {eid}")
    src = _source(entry["source"])
    if "p" in entry:
        return {"p": float(entry["p"]), "source": src}
    ev = evidences[eid]
    if eid in LOCATIONS:
        values = ev["values"]
        dist = dict.fromkeys(values, LOCATION_LEAK / len(values))
        given = entry.get("sites") or entry["values"]
        total = sum(given.values())
        for site, share in given.items():
            if site not in sites:
                raise SystemExit(f"expert/{cid}: unknown site {site}")
            for v in sites[site]:
                dist[v] += (1 - LOCATION_LEAK) * (share / total) / len(sites[site])
    else:
        choices = [str(i) for i in range(11)] if ev.get("scale") else ev["values"]
        given = {str(k): float(q) for k, q in entry["values"].items()}
        for k in given:
            if k not in choices:
                raise SystemExit(f"expert/{cid}: {eid} has no value {k}")
        total = sum(given.values())
        dist = {k: given.get(k, 0.0) / total for k in choices}
    return {
        "values": {v: round(q, 6) for v, q in dist.items() if q >= 1e-6},
        "source": src,
    }


def overlay(
    records: dict[str, Any],
    path: Path,
    vocabulary: dict[str, Any],
    sites: dict[str, list[str]],
) -> int:
    """Add the hallmark findings of ``path`` (``curated/hallmarks.json``) to the records of
    conditions whose source is not DDXPlus (never mixing figures into DDXPlus's own);
    returns how many figures were set."""
    if not path.is_file():
        return 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    evidences = {e["id"]: e for e in vocabulary["evidences"]}
    n = 0
    for cid, entries in doc["conditions"].items():
        record = records.get(cid)
        if record is None or record["source"] == "ddxplus":
            continue
        for eid, entry in entries.items():
            record["likelihood"][eid] = likelihood_entry(cid, eid, entry, evidences, sites)
            n += 1
    return n


def build(
    folder: Path,
    vocabulary: dict[str, Any],
    sites: dict[str, list[str]],
    wanted: list[str],
    *,
    eras: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Records of the ``wanted`` conditions. ``eras`` picks, per condition with figures
    for several eras (COVID-19 variants), the era to build (default: the file's own)."""
    evidences = {e["id"]: e for e in vocabulary["evidences"]}
    records: dict[str, Any] = {}
    for cid in wanted:
        path = folder / f"{cid}.json"
        if not path.is_file():
            raise SystemExit(f"expert: no file for {cid} ({path})")
        doc = json.loads(path.read_text(encoding="utf-8"))
        likelihood: dict[str, Any] = {}
        # ``extra_likelihood`` holds per-option figures of choice questions (e.g. how often
        # the pain is tearing); normalised to value shares like every other choice answer.
        entries = {**doc.get("extra_likelihood", {}), **doc["likelihood"]}
        era_doc = doc.get("eras", {})
        era = (eras or {}).get(cid, era_doc.get("default"))
        if era_doc and era != era_doc.get("default"):
            if era not in era_doc:
                known = [k for k in era_doc if k not in ("default", "about")]
                raise SystemExit(f"expert/{cid}: no era {era!r}; known: {known}")
            entries.update(era_doc[era])
        for eid, entry in entries.items():
            likelihood[eid] = likelihood_entry(cid, eid, entry, evidences, sites)
        record: dict[str, Any] = {
            "source": SOURCE,
            "source_ref": cid,
            "prior": {"p": float(doc["prior"]["p"]), "source": _source(doc["prior"]["source"])},
            "unlisted": [
                {
                    "scope": "binary",
                    "p": "leak",
                    "source": f"{SOURCE}: a finding the sources do not list is uncommon",
                }
            ],
            "likelihood": likelihood,
        }
        age = doc.get("age")
        if age:
            record["age"] = {
                "bands": [float(b) for b in age["bands"]],
                "log_ratio": [round(math.log(max(float(o), ODDS_FLOOR)), 6) for o in age["odds"]],
                "source": _source(age["source"]),
            }
        sex = doc.get("sex_odds")
        if sex:
            record["sex_log_ratio"] = {
                "male": round(math.log(max(float(sex["male"]), ODDS_FLOOR)), 6),
                "female": round(math.log(max(float(sex["female"]), ODDS_FLOOR)), 6),
                "source": _source(sex["source"]),
            }
        records[cid] = record
    return {"records": records, "dataset": dict(DATASET)}
