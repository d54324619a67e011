"""Typed, read-only view of the knowledge base files, and the loader.

The loader is deliberately light (``json`` and dataclasses, no validation library), so the
command line starts fast. Validation lives in :mod:`symptomatic.knowledge._validate`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from symptomatic._errors import KnowledgeError
from symptomatic._levels import CareLevel

#: The files of a knowledge base directory; the first four are required.
KB_FILES = (
    "ddxplus_model.json",
    "conditions.json",
    "evidence_text.json",
    "red_flags.json",
    "condition_info.json",
    "calibration.json",
)
OPTIONAL_FILES = ("condition_info.json", "calibration.json")
LANGS = ("en", "fr")
KB_VERSION = "2026.11-ddxplus"


@dataclass(frozen=True, slots=True)
class EvidenceText:
    """How one evidence is asked about and named, in one language."""

    question: str
    present: str
    absent: str
    scale_low: str | None = None
    scale_high: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A symptom or antecedent the model knows, with its answer type and wording."""

    code: str
    slug: str
    type: str  # "binary" | "categorical" | "multi"
    parent: str | None
    antecedent: bool
    values: tuple[str, ...]
    default: str | None
    scale: bool
    text: Mapping[str, EvidenceText]

    def value_label(self, kb: KnowledgeBase, value: str, lang: str = "en") -> str:
        """The plain-language label of one of this evidence's values."""
        if self.scale:
            return f"{value}/10"
        return kb.value_labels[value][lang]


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition the model can put in a differential."""

    id: str
    source_name: str
    name: Mapping[str, str]
    icd10: str
    severity: int
    prior: float
    care_level: CareLevel
    evidences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ConditionInfo:
    """Plain-language information about one condition, in one language."""

    what: str
    course: str
    contagious: str
    self_care: tuple[str, ...]
    seek_care: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    """One part of a red-flag rule: an evidence present, optionally with given values."""

    evidence: str
    values: tuple[str, ...] = ()
    min_value: int | None = None


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    """Findings that set a care level whatever the posterior says."""

    id: str
    level: CareLevel
    all_of: tuple[Clause, ...]
    reason: Mapping[str, str]
    source: str


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything the engine and the language layer know, loaded from one directory."""

    conditions: tuple[Condition, ...]
    evidences: tuple[Evidence, ...]
    value_labels: Mapping[str, Mapping[str, str]]
    likelihood: Mapping[str, list[Any]]
    floor: float
    age_model: Mapping[str, Any] | None
    red_flags: tuple[RedFlagRule, ...]
    triage_policy: Mapping[str, Any]
    calibration: Mapping[str, Any] | None
    info: Mapping[str, Mapping[str, ConditionInfo]]
    source: Mapping[str, Any]
    version: str
    sha256: str
    by_code: Mapping[str, Evidence] = field(repr=False)
    by_slug: Mapping[str, Evidence] = field(repr=False)
    condition_by_id: Mapping[str, Condition] = field(repr=False)

    @property
    def attribution(self) -> str:
        return str(self.source.get("attribution", ""))

    def children(self, code: str) -> tuple[Evidence, ...]:
        """The follow-up evidences asked only when ``code`` is answered yes."""
        return tuple(e for e in self.evidences if e.parent == code)


def _read(directory: Traversable, name: str) -> tuple[Any, bytes]:
    node = directory / name
    try:
        raw = node.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(name, "$", "file is missing") from None
    try:
        return json.loads(raw.decode("utf-8")), raw
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError(name, "$", f"not valid UTF-8 JSON: {exc}") from None


def _build(directory: Traversable) -> KnowledgeBase:
    digest = hashlib.sha256()
    docs: dict[str, Any] = {}
    for name in KB_FILES:
        if name in OPTIONAL_FILES and not (directory / name).is_file():
            docs[name] = {"conditions": {}} if name == "condition_info.json" else None
            continue
        docs[name], raw = _read(directory, name)
        digest.update(name.encode() + b"\0" + raw)
    model = docs["ddxplus_model.json"]
    text = docs["evidence_text.json"]

    try:
        by_source = {c["source_name"]: c for c in docs["conditions.json"]["conditions"]}
        conditions = tuple(
            Condition(
                id=by_source[c["source_name"]]["id"],
                source_name=c["source_name"],
                name=dict(by_source[c["source_name"]]["name"]),
                icd10=c["icd10"],
                severity=int(c["severity"]),
                prior=float(c["prior"]),
                care_level=by_source[c["source_name"]]["care_level"],
                evidences=tuple(c["evidences"]),
            )
            for c in model["conditions"]
        )
        evidences = tuple(
            Evidence(
                code=e["code"],
                slug=text["evidences"][e["code"]]["slug"],
                type=e["type"],
                parent=e["parent"],
                antecedent=bool(e["antecedent"]),
                values=tuple(e["values"]),
                default=e["default"],
                scale=bool(e["scale"]),
                text={lang: EvidenceText(**text["evidences"][e["code"]][lang]) for lang in LANGS},
            )
            for e in model["evidences"]
        )
        red_flags = tuple(
            RedFlagRule(
                id=r["id"],
                level=r["level"],
                all_of=tuple(
                    Clause(
                        evidence=c["evidence"],
                        values=tuple(c.get("values", ())),
                        min_value=c.get("min_value"),
                    )
                    for c in r["all_of"]
                ),
                reason=dict(r["reason"]),
                source=r["source"],
            )
            for r in docs["red_flags.json"]["rules"]
        )
        info = {
            cid: {
                lang: ConditionInfo(
                    what=entry[lang]["what"],
                    course=entry[lang]["course"],
                    contagious=entry[lang]["contagious"],
                    self_care=tuple(entry[lang]["self_care"]),
                    seek_care=tuple(entry[lang]["seek_care"]),
                )
                for lang in LANGS
            }
            for cid, entry in docs["condition_info.json"]["conditions"].items()
        }
    except (KeyError, TypeError) as exc:
        raise KnowledgeError(
            "knowledge base", "$", f"missing or malformed entry {exc}; run validation"
        ) from None

    return KnowledgeBase(
        conditions=conditions,
        evidences=evidences,
        value_labels=text["values"],
        likelihood=model["likelihood"],
        floor=float(model["floor"]),
        age_model=model.get("age_model"),
        red_flags=red_flags,
        triage_policy=docs["red_flags.json"]["policy"],
        calibration=docs["calibration.json"],
        info=info,
        source=model["source"],
        version=KB_VERSION,
        sha256=digest.hexdigest(),
        by_code={e.code: e for e in evidences},
        by_slug={e.slug: e for e in evidences},
        condition_by_id={c.id: c for c in conditions},
    )


_cache: dict[str, KnowledgeBase] = {}
_lock = threading.Lock()


def load_knowledge(
    directory: str | Path | None = None, *, validate: bool | None = None
) -> KnowledgeBase:
    """Load a knowledge base, once per directory.

    ``directory=None`` loads the packaged knowledge base. A caller's own directory is
    validated against the schema first unless ``validate=False``; the packaged one is
    validated by the project's checks and tests, and here only if ``validate=True``.
    Raises :class:`~symptomatic.KnowledgeError` naming the file, path and value at fault.
    """
    key = "<package>" if directory is None else str(Path(directory).resolve())
    with _lock:
        cached = _cache.get(key)
        if cached is not None and not validate:
            return cached
        node: Traversable = (
            resources.files("symptomatic.knowledge") / "data"
            if directory is None
            else Path(directory)
        )
        if validate or (validate is None and directory is not None):
            from symptomatic.knowledge._validate import validate_knowledge

            problems = validate_knowledge(node)
            if problems:
                raise problems[0]
        kb = _build(node)
        _cache[key] = kb
        return kb
