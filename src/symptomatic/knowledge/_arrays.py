"""Canonical knowledge records -> dense arrays, and the compiled (binary) form on disk.

**Filling the matrix.** Each condition record lists likelihoods for the evidences its
source knows about it, each with its source. For an evidence it does not list:

1. when one of the record's ``unlisted`` rules covers the evidence, that rule's likelihood
   (DDXPlus: an evidence of the DDXPlus vocabulary the condition never showed; SymCat: a
   symptom outside the condition's top twelve, the evidence's ``leak``);
2. otherwise its source simply never asked about it, and the evidence is *neutral* for the
   condition: it gets the background likelihood (the same as the open-world hypothesis),
   so the answer neither argues for nor against it.

A rule covers an evidence when its ``scope`` is one of the evidence's alias sources, or
``"binary"`` for every yes/no evidence. An unasked evidence is never "no": that is the
engine's business (it only reads answered evidences).

**The compiled form** (``compiled/`` beside the records) holds the arrays as ``.npy`` files,
memory-mapped at load so that server workers share them, and ``index.json`` with the
metadata the loader needs; ``manifest.json`` records the sha256 of every file.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from symptomatic._errors import KnowledgeError
from symptomatic.knowledge._io import Node, read_bytes, read_json
from symptomatic.knowledge._model import FloatArray, KnowledgeArrays

__all__ = ["ARRAY_FILES", "compile_arrays", "load_arrays", "save_arrays", "slots_of"]

#: The array files of the compiled form (``.npy``), by field of :class:`KnowledgeArrays`.
ARRAY_FILES = ("likelihood", "background", "prior", "age_log_ratio", "sex_log_ratio", "shows")


def slots_of(evidences: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(evidence id, value) of every answer slot, in vocabulary order."""
    out: list[tuple[str, str]] = []
    for e in evidences:
        if e["kind"] == "binary":
            out += [(e["id"], "present"), (e["id"], "absent")]
        else:
            out += [(e["id"], v) for v in _choices(e)]
    return out


def _choices(e: Mapping[str, Any]) -> list[str]:
    return [str(i) for i in range(11)] if e.get("scale") else list(e["values"])


def _background(e: Mapping[str, Any]) -> dict[str, float]:
    """The background distribution over an evidence's slots."""
    bg = e.get("background")
    if bg is None:
        raise KnowledgeError("vocabulary.json", f"evidence {e['id']}", "has no background")
    if e["kind"] == "binary":
        p = float(bg["p"])
        return {"present": p, "absent": 1.0 - p}
    values = bg["values"]
    return {v: float(values.get(v, 0.0)) for v in _choices(e)}


def _rule_for(e: Mapping[str, Any], rules: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    sources = e.get("aliases", {})
    for rule in rules:
        scope = rule["scope"]
        if scope in sources or (scope == "binary" and e["kind"] == "binary"):
            return rule
    return None


def _rule_p(rule: Mapping[str, Any], e: Mapping[str, Any]) -> float:
    if rule["p"] == "leak":
        leak = e.get("leak")
        if leak is None:
            raise KnowledgeError("vocabulary.json", f"evidence {e['id']}", "has no leak")
        return float(leak["p"])
    return float(rule["p"])


def compile_arrays(
    vocabulary: Mapping[str, Any], conditions: Sequence[Mapping[str, Any]]
) -> KnowledgeArrays:
    """Dense arrays from the vocabulary document and the condition records, in order."""
    evidences = vocabulary["evidences"]
    slots = slots_of(evidences)
    row = {s: k for k, s in enumerate(slots)}
    n_c = len(conditions)
    lik = np.zeros((len(slots), n_c))
    background = np.zeros(len(slots))
    column = {e["id"]: j for j, e in enumerate(evidences)}
    shows = np.zeros((n_c, len(evidences)), dtype=np.bool_)
    for e in evidences:
        for v, p in _background(e).items():
            background[row[(e["id"], v)]] = p
    for c, cond in enumerate(conditions):
        listed = cond.get("likelihood", {})
        rules = cond.get("unlisted", [])
        for name in listed:
            if name not in column:
                raise KnowledgeError(
                    f"conditions/{cond['id']}.json", f"likelihood.{name}", "unknown evidence"
                )
            shows[c, column[name]] = True
        for e in evidences:
            eid = e["id"]
            entry = listed.get(eid)
            rule = _rule_for(e, rules)
            if e["kind"] == "binary":
                if entry is not None:
                    p = float(entry["p"])
                elif rule is not None:
                    p = _rule_p(rule, e)
                else:
                    p = _background(e)["present"]
                lik[row[(eid, "present")], c] = p
                lik[row[(eid, "absent")], c] = 1.0 - p
                continue
            if entry is not None:
                missing = _rule_p(rule, e) if rule is not None and rule["p"] != "leak" else 0.0
                dist = {v: float(entry["values"].get(v, missing)) for v in _choices(e)}
            elif rule is not None and rule["p"] != "leak":
                dist = dict.fromkeys(_choices(e), float(rule["p"]))
            else:
                dist = _background(e)
            for v, p in dist.items():
                lik[row[(eid, v)], c] = p
    prior = np.array([float(cond["prior"]["p"]) for cond in conditions])
    bands, age = _age(conditions)
    return KnowledgeArrays(
        slot_evidence=tuple(s[0] for s in slots),
        slot_value=tuple(s[1] for s in slots),
        likelihood=lik,
        background=background,
        prior=prior,
        age_bands=bands,
        age_log_ratio=age,
        sex_log_ratio=_sex(conditions),
        shows=shows,
    )


def _age(conditions: Sequence[Mapping[str, Any]]) -> tuple[tuple[float, ...], FloatArray | None]:
    """Every condition's age term on one grid: the union of their band edges."""
    models = [c.get("age") for c in conditions]
    edges = sorted({float(b) for m in models if m for b in m["bands"]})
    if len(edges) < 2:
        return (), None
    mids = [(lo + hi) / 2 for lo, hi in itertools.pairwise(edges)]
    out = np.zeros((len(conditions), len(mids)))
    for c, m in enumerate(models):
        if not m:
            continue
        own = [float(b) for b in m["bands"]]
        for j, mid in enumerate(mids):
            for b in range(len(own) - 1):
                if own[b] <= mid < own[b + 1]:
                    out[c, j] = float(m["log_ratio"][b])
                    break
    return tuple(edges), out


def _sex(conditions: Sequence[Mapping[str, Any]]) -> FloatArray | None:
    """(C, 2) log ratios for male and female; -inf for a sex the condition cannot occur in."""
    out = np.zeros((len(conditions), 2))
    used = False
    for c, cond in enumerate(conditions):
        ratio = cond.get("sex_log_ratio")
        if ratio:
            out[c] = [float(ratio["male"]), float(ratio["female"])]
            used = True
        only = cond.get("sex")
        if only is not None:
            out[c, 0 if only == "female" else 1] = -math.inf
            used = True
    return out if used else None


# -- the compiled form ----------------------------------------------------------------------
def save_arrays(arrays: KnowledgeArrays, directory: Path) -> dict[str, str]:
    """Write the arrays as ``.npy`` files; returns the file names written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in ARRAY_FILES:
        value = getattr(arrays, name)
        path = directory / f"{name}.npy"
        if value is None:
            if path.exists():
                path.unlink()
            continue
        np.save(path, np.ascontiguousarray(value), allow_pickle=False)
        written[name] = path.name
    return written


def load_arrays(
    directory: Node, index: Mapping[str, Any], *, label: str = "compiled"
) -> KnowledgeArrays:
    """The arrays of a compiled directory, memory-mapped when it is a real folder."""
    loaded: dict[str, Any] = {}
    for name in ARRAY_FILES:
        if name not in index["arrays"]:
            loaded[name] = None
            continue
        file = f"{name}.npy"
        if isinstance(directory, Path):
            try:
                loaded[name] = np.load(directory / file, mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise KnowledgeError(f"{label}/{file}", "$", f"cannot be read: {exc}") from None
        else:  # a resource that is not a plain file (e.g. in a zip): read it whole
            import io

            raw = read_bytes(directory, file, label=f"{label}/{file}")
            loaded[name] = np.load(io.BytesIO(raw), allow_pickle=False)
    slots = index["slots"]
    return KnowledgeArrays(
        slot_evidence=tuple(s[0] for s in slots),
        slot_value=tuple(s[1] for s in slots),
        likelihood=loaded["likelihood"],
        background=loaded["background"],
        prior=loaded["prior"],
        age_bands=tuple(float(b) for b in index.get("age_bands", ())),
        age_log_ratio=loaded["age_log_ratio"],
        sex_log_ratio=loaded["sex_log_ratio"],
        shows=loaded["shows"],
    )


def read_index(directory: Node, *, label: str = "compiled") -> Any:
    return read_json(directory, "index.json", label=f"{label}/index.json")


def dump_json(doc: Any) -> str:
    """The project's JSON layout for generated files: one space indent, UTF-8, newline."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
