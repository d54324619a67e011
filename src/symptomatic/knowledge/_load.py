"""Load a knowledge base directory: its compiled form when present, else its records.

A knowledge base directory holds::

    vocabulary.json          evidences (symptoms, history) and values, with their wording
    conditions/<id>.json     one record per condition, every number with its source
    red_flags.json           the one red-flag rule set
    triage_policy.json       how the posterior sets the care level
    calibration.json         numbers fitted on development data (optional)
    sources.json             datasets, licences, input checksums, version
    compiled/                the records as arrays (.npy) and an index (optional, generated)

The packaged directory is loaded from ``compiled/``: the arrays are memory-mapped, and
every compiled file, and the hand-written files read beside them, are checked against
``compiled/manifest.json``, whose own sha256 is recorded in
:mod:`symptomatic.knowledge._packaged` when the package is built. A file that does not
match raises :class:`~symptomatic.ModelIntegrityError`: nothing runs on a damaged base.
A caller's directory is validated against the schema (unless ``validate=False``) and
compiled in memory when it has no ``compiled/``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from symptomatic._errors import KnowledgeError, ModelIntegrityError
from symptomatic._levels import CARE_LEVELS
from symptomatic._types import LANGS
from symptomatic.knowledge._arrays import compile_arrays, load_arrays, read_index
from symptomatic.knowledge._files import HASHED_FILES, kb_digest, list_conditions, packaged_dir
from symptomatic.knowledge._io import Node, read_bytes, read_json
from symptomatic.knowledge._model import (
    Calibration,
    Clause,
    Condition,
    ConditionInfo,
    Evidence,
    EvidenceText,
    KnowledgeArrays,
    KnowledgeBase,
    RedFlagRule,
    TriagePolicy,
    Value,
)

__all__ = ["load_knowledge", "packaged_dir"]


# -- typed view ----------------------------------------------------------------------------
def _evidence(e: Mapping[str, Any]) -> Evidence:
    return Evidence(
        id=e["id"],
        kind=e["kind"],
        scale=bool(e.get("scale", False)),
        parent=e.get("parent"),
        history=bool(e.get("history", False)),
        values=tuple(e.get("values", ())),
        default=e.get("default"),
        roles=frozenset(e.get("roles", ())),
        aliases={k: tuple(v) for k, v in e.get("aliases", {}).items()},
        text={lang: EvidenceText(**e["text"][lang]) for lang in LANGS},
    )


def _condition(c: Mapping[str, Any]) -> Condition:
    care = c["care"]
    return Condition(
        id=c["id"],
        name=dict(c["name"]),
        icd10=c["icd10"],
        group=c.get("group", ""),
        severity=int(c["severity"]),
        care_level=care["level"],
        care_rationale=care.get("rationale", ""),
        care_source=care.get("source", ""),
        sex=c.get("sex"),
        source=c.get("source", ""),
        source_ref=c.get("source_ref"),
        hallmarks=tuple(c.get("hallmarks", ())),
    )


def _clause(c: Mapping[str, Any]) -> Clause:
    return Clause(
        evidence=c.get("evidence"),
        values=tuple(c.get("values", ())),
        min_value=c.get("min_value"),
        age_below_years=c.get("age_below_years"),
        age_at_least_years=c.get("age_at_least_years"),
        min_days=c.get("min_days"),
        phrase=c.get("phrase"),
    )


def _red_flags(doc: Mapping[str, Any]) -> tuple[RedFlagRule, ...]:
    return tuple(
        RedFlagRule(
            id=r["id"],
            level=r["level"],
            all_of=tuple(tuple(_clause(c) for c in part["any_of"]) for part in r["all_of"]),
            reason=dict(r["reason"]),
            source=r["source"],
            advice=dict(r.get("advice", {})),
        )
        for r in doc["rules"]
    )


def _policy(doc: Mapping[str, Any]) -> TriagePolicy:
    return TriagePolicy(
        thresholds={k: float(v) for k, v in doc["thresholds"].items()},
        min_probability=float(doc.get("min_probability", 0.0)),
        other_level=doc["other_level"],
        no_symptoms_level=doc["no_symptoms_level"],
        self_care_reason_min=float(doc["self_care_reason_min"]),
    )


def _calibration(doc: Mapping[str, Any] | None) -> Calibration:
    if not doc:
        return Calibration()
    floor = doc.get("likelihood_floor")
    other = doc.get("other_prior")
    return Calibration(
        temperature=float(doc.get("temperature", 1.0)),
        likelihood_floor=None if floor is None else float(floor),
        differential_coverage=float(doc.get("differential_coverage", 1.0)),
        other_prior=None if other is None else float(other),
        something_else_threshold=float(doc.get("something_else_threshold", 0.5)),
        other_symptom_floor=float(doc.get("other_symptom_floor", 0.0)),
        min_fitting=float(doc.get("min_fitting", 0.0)),
        hallmark_share=float(doc.get("hallmark_share", 1.0)),
    )


def _info(entry: Mapping[str, Any] | None) -> Mapping[str, ConditionInfo] | None:
    if not entry:
        return None
    return {
        lang: ConditionInfo(
            what=entry[lang]["what"],
            course=entry[lang]["course"],
            contagious=entry[lang]["contagious"],
            self_care=tuple(entry[lang]["self_care"]),
            seek_care=tuple(entry[lang]["seek_care"]),
        )
        for lang in LANGS
        if lang in entry
    }


def _assemble(
    directory: Node,
    *,
    evidences: Sequence[Mapping[str, Any]],
    values: Sequence[Mapping[str, Any]],
    conditions: Sequence[Mapping[str, Any]],
    arrays: KnowledgeArrays,
    docs: Mapping[str, Any],
    sha256: str,
) -> KnowledgeBase:
    try:
        evs = tuple(_evidence(e) for e in evidences)
        conds = tuple(_condition(c) for c in conditions)
        vals = {
            v["id"]: Value(
                id=v["id"],
                aliases={k: tuple(a) for k, a in v.get("aliases", {}).items()},
                label=dict(v["label"]),
                sex=v.get("sex"),
            )
            for v in values
        }
        red_flags = _red_flags(docs["red_flags.json"])
        policy = _policy(docs["triage_policy.json"])
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeError(
            "knowledge base", "$", f"missing or malformed entry {exc}; run symptomatic validate"
        ) from None
    for c in conds:
        if c.care_level not in CARE_LEVELS:
            raise KnowledgeError(f"conditions/{c.id}.json", "care.level", "unknown", c.care_level)
    evidence_alias: dict[str, str] = {}
    for e in evs:
        for codes in e.aliases.values():
            for code in codes:
                evidence_alias.setdefault(code.upper(), e.id)
    value_alias: dict[str, str] = {}
    for v in vals.values():
        for codes in v.aliases.values():
            for code in codes:
                value_alias.setdefault(code.upper(), v.id)

    def read_info(condition: str) -> Mapping[str, ConditionInfo] | None:
        doc = read_json(directory / "conditions", f"{condition}.json")
        return _info(doc.get("info"))

    return KnowledgeBase(
        conditions=conds,
        evidences=evs,
        values=vals,
        red_flags=red_flags,
        policy=policy,
        calibration=_calibration(docs.get("calibration.json")),
        arrays=arrays,
        sources=docs["sources.json"],
        version=str(docs["sources.json"].get("version", "")),
        sha256=sha256,
        evidence_by_id={e.id: e for e in evs},
        condition_by_id={c.id: c for c in conds},
        evidence_alias=evidence_alias,
        value_alias=value_alias,
        _info_reader=read_info,
    )


def _small_docs(directory: Node) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    for name in HASHED_FILES:
        if name == "calibration.json" and not (directory / name).is_file():
            docs[name] = None
            continue
        docs[name] = read_json(directory, name)
    return docs


def _from_records(directory: Node) -> KnowledgeBase:
    ids = list_conditions(directory)
    vocabulary = read_json(directory, "vocabulary.json")
    conditions = [
        read_json(directory / "conditions", f"{c}.json", label=f"conditions/{c}.json") for c in ids
    ]
    try:
        arrays = compile_arrays(vocabulary, conditions)
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeError(
            "knowledge base", "$", f"missing or malformed entry {exc}; run symptomatic validate"
        ) from None
    return _assemble(
        directory,
        evidences=vocabulary["evidences"],
        values=vocabulary["values"],
        conditions=conditions,
        arrays=arrays,
        docs=_small_docs(directory),
        sha256=kb_digest(directory, ids),
    )


def check_manifest(directory: Node, *, expected: str | None) -> Mapping[str, Any]:
    """The compiled manifest, after checking it and every file it lists by sha256."""
    raw = read_bytes(directory / "compiled", "manifest.json", label="compiled/manifest.json")
    if expected is not None and hashlib.sha256(raw).hexdigest() != expected:
        raise ModelIntegrityError(
            "compiled/manifest.json",
            "sha256",
            "is not the one recorded when the package was built; reinstall symptomatic or run "
            "tools/kb/build.py --compile",
        )
    import json

    manifest: Mapping[str, Any] = json.loads(raw.decode("utf-8"))
    for name, digest in manifest["files"].items():
        node = directory
        for part in name.split("/"):
            node = node / part
        try:
            data = node.read_bytes()
        except FileNotFoundError:
            raise ModelIntegrityError(
                name, "$", "is listed in compiled/manifest.json but missing"
            ) from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise ModelIntegrityError(
                name,
                "sha256",
                "does not match compiled/manifest.json: the file was changed after the build; "
                "run tools/kb/build.py --compile (or reinstall symptomatic)",
            )
    return manifest


def _from_compiled(directory: Node, *, expected: str | None) -> KnowledgeBase:
    manifest = check_manifest(directory, expected=expected)
    compiled = directory / "compiled"
    index = read_index(compiled)
    arrays = load_arrays(
        compiled if not isinstance(directory, Path) else Path(directory) / "compiled", index
    )
    return _assemble(
        directory,
        evidences=index["evidences"],
        values=index["values"],
        conditions=index["conditions"],
        arrays=arrays,
        docs=_small_docs(directory),
        sha256=str(manifest["kb_sha256"]),
    )


_cache: dict[str, KnowledgeBase] = {}
_lock = threading.Lock()


def load_knowledge(
    directory: str | Path | None = None, *, validate: bool | None = None
) -> KnowledgeBase:
    """Load a knowledge base, once per directory (the packaged one when ``directory`` is None).

    A caller's directory is validated against the schema first unless ``validate=False``;
    the packaged one is checked against its recorded hashes (``validate=True`` also runs the
    whole schema on it). Raises :class:`~symptomatic.KnowledgeError` naming the file, the
    path and the value at fault.
    """
    key = "<package>" if directory is None else str(Path(directory).resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is not None and not validate:
            return cached
        node: Node = packaged_dir() if directory is None else Path(directory)
        if directory is not None and not Path(directory).is_dir():
            raise KnowledgeError(str(directory), "$", "is not a directory")
        if validate or (validate is None and directory is not None):
            from symptomatic.knowledge._validate import validate_knowledge

            problems = validate_knowledge(node)
            if problems:
                raise problems[0]
        if directory is None:
            from symptomatic.knowledge._packaged import MANIFEST_SHA256

            kb = _from_compiled(node, expected=MANIFEST_SHA256)
        elif (node / "compiled" / "manifest.json").is_file():
            kb = _from_compiled(node, expected=None)
        else:
            kb = _from_records(node)
        _cache[key] = kb
        return kb
