"""The typed, read-only view of a knowledge base.

Plain frozen dataclasses, built by :mod:`symptomatic.knowledge._load` from the files (or
their compiled form) with ``json`` only, so the command line starts fast. The schema that
the files must satisfy lives in :mod:`symptomatic.knowledge._schema`, the rules across
files in :mod:`symptomatic.knowledge._validate`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from symptomatic._levels import CareLevel
from symptomatic._types import public

__all__ = [
    "Calibration",
    "Clause",
    "Condition",
    "ConditionInfo",
    "Evidence",
    "EvidenceText",
    "KnowledgeArrays",
    "KnowledgeBase",
    "RedFlagRule",
    "TriagePolicy",
    "Value",
]

EvidenceKind = Literal["binary", "categorical", "multi"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EvidenceText:
    """How one evidence is asked about and named, in one language."""

    question: str
    present: str
    absent: str
    scale_low: str | None = None
    scale_high: str | None = None


@public
@dataclass(frozen=True, slots=True)
class Evidence:
    """A symptom or a piece of history the model knows: its answer kind, values and wording.

    ``id`` is a stable slug (``"fever"``); ``aliases`` gives its codes in each source
    (``{"ddxplus": ("E_91",)}``), which every interface accepts too. ``roles`` tell the
    language layer what the evidence is for (``fever``, ``pain``, ``location``, ...), so no
    code needs a source's codes.
    """

    id: str
    kind: EvidenceKind
    scale: bool
    parent: str | None
    history: bool
    values: tuple[str, ...]
    default: str | None
    roles: frozenset[str]
    aliases: Mapping[str, tuple[str, ...]]
    text: Mapping[str, EvidenceText]

    @property
    def choices(self) -> tuple[str, ...]:
        """The values an answer can take: the value ids, or "0".."10" for a scale."""
        return tuple(str(i) for i in range(11)) if self.scale else self.values


@dataclass(frozen=True, slots=True)
class Value:
    """A choice of a categorical or multi-choice evidence (a body part, a colour, ...)."""

    id: str
    aliases: Mapping[str, tuple[str, ...]]
    label: Mapping[str, str]
    sex: str | None = None  # a body part of one sex only (not offered to the other)


@public
@dataclass(frozen=True, slots=True)
class Condition:
    """A condition the model can put in a differential.

    ``care_level`` is the level the condition warrants on its own (with its rationale and
    the guidance it follows); ``sex`` is set when it is impossible for the other sex.
    """

    id: str
    name: Mapping[str, str]
    icd10: str
    group: str
    severity: int
    care_level: CareLevel
    care_rationale: str
    care_source: str
    sex: str | None
    source: str
    source_ref: str | None = None
    hallmarks: tuple[str, ...] = ()  # findings whose absence never argues for it


@public
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
    """One way a part of a red-flag rule holds: an evidence present (with one of ``values``,
    or at least ``min_value`` on a scale), an age below ``age_below_years`` or at least
    ``age_at_least_years``, or words said
    (``phrase``: a phrase concept of the language data, found in free text)."""

    evidence: str | None = None
    values: tuple[str, ...] = ()
    min_value: int | None = None
    age_below_years: float | None = None
    age_at_least_years: float | None = None
    min_days: float | None = None  # a duration said in the text of at least this many days
    phrase: str | None = None


@public
@dataclass(frozen=True, slots=True)
class RedFlagRule:
    """Findings that set a care level whatever the posterior says.

    The rule fires when every part of ``all_of`` holds; a part holds when any of its
    clauses does.
    """

    id: str
    level: CareLevel
    all_of: tuple[tuple[Clause, ...], ...]
    reason: Mapping[str, str]
    source: str
    advice: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TriagePolicy:
    """How the posterior sets the care level (see :mod:`symptomatic.engine.triage`)."""

    thresholds: Mapping[str, float]  # care level -> threshold on its mass
    other_level: CareLevel
    no_symptoms_level: CareLevel
    min_probability: float = 0.0  # hypotheses below it do not count in a mass
    self_care_reason_min: float = 0.0  # least probability of a self-care condition named


@dataclass(frozen=True, slots=True)
class Calibration:
    """Numbers fitted on development data (``tools/calibrate.py``), with where they came from.

    ``other_prior`` is the prior of the open-world hypothesis ("something else"); None
    means the model is closed-world. The defaults are those of an uncalibrated base: no
    open world, no floor, every condition listed, only listed hallmarks.
    """

    temperature: float = 1.0
    likelihood_floor: float | None = None
    differential_coverage: float = 1.0
    other_prior: float | None = None
    other_symptom_floor: float = 0.0
    something_else_threshold: float = 0.5
    min_fitting: float = 0.0  # least probability of a condition listed for fitting the picture
    hallmark_share: float = 1.0  # a finding this share of a condition's people show is a hallmark


@dataclass(frozen=True, slots=True, eq=False)
class KnowledgeArrays:
    """The knowledge as dense arrays, one row per answer *slot*, one column per condition.

    A binary evidence has two slots (``present``, ``absent``); a categorical or
    multi-choice evidence one slot per value. ``likelihood[k, c]`` is P(slot k | c);
    ``background[k]`` is the same for a person with none of the conditions (the open-world
    hypothesis), also used where a source says nothing about an evidence. ``age_log_ratio``
    and ``sex_log_ratio`` multiply the prior; ``shows[c, e]`` marks the evidences each
    condition's source lists for it.
    """

    slot_evidence: tuple[str, ...]  # (K,)
    slot_value: tuple[str, ...]  # (K,) "present"/"absent" for binaries
    likelihood: FloatArray  # (K, C)
    background: FloatArray  # (K,)
    prior: FloatArray  # (C,) base prior, not normalised
    age_bands: tuple[float, ...]  # band edges, len B + 1
    age_log_ratio: FloatArray | None  # (C, B)
    sex_log_ratio: FloatArray | None  # (C, 2): male, female; -inf where impossible
    shows: NDArray[np.bool_]  # (C, E) in evidence order


@public
@dataclass(frozen=True, slots=True, eq=False)
class KnowledgeBase:
    """Everything the engine and the language layer know, loaded from one directory."""

    conditions: tuple[Condition, ...]
    evidences: tuple[Evidence, ...]
    values: Mapping[str, Value]
    red_flags: tuple[RedFlagRule, ...]
    policy: TriagePolicy
    calibration: Calibration
    arrays: KnowledgeArrays
    sources: Mapping[str, Any]
    version: str
    sha256: str
    evidence_by_id: Mapping[str, Evidence] = field(repr=False)
    condition_by_id: Mapping[str, Condition] = field(repr=False)
    evidence_alias: Mapping[str, str] = field(repr=False)  # upper-cased alias -> id
    value_alias: Mapping[str, str] = field(repr=False)  # upper-cased alias -> id
    _info_reader: Callable[[str], Mapping[str, ConditionInfo] | None] = field(repr=False)
    _info_cache: dict[str, Mapping[str, ConditionInfo] | None] = field(
        default_factory=dict, repr=False
    )
    _info_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def attribution(self) -> str:
        """The attributions the sources require, one per line."""
        return "; ".join(
            str(s["attribution"])
            for s in self.sources.get("datasets", {}).values()
            if isinstance(s, Mapping) and s.get("attribution")
        )

    def children(self, evidence: str) -> tuple[Evidence, ...]:
        """The follow-up evidences asked only when ``evidence`` is answered yes."""
        return tuple(e for e in self.evidences if e.parent == evidence)

    def with_role(self, role: str) -> tuple[Evidence, ...]:
        """The evidences that play ``role`` (``"fever"``, ``"pain"``, ...), in order."""
        return tuple(e for e in self.evidences if role in e.roles)

    def value_label(self, evidence: str, value: str, lang: str) -> str:
        """The plain-language label of one of ``evidence``'s values."""
        if self.evidence_by_id[evidence].scale:
            return f"{value}/10"
        return self.values[value].label[lang]

    def info(self, condition: str, lang: str) -> ConditionInfo | None:
        """The condition's information in ``lang``, read on first use and kept."""
        with self._info_lock:
            if condition not in self._info_cache:
                self._info_cache[condition] = self._info_reader(condition)
            entry = self._info_cache[condition]
        return None if entry is None else entry.get(lang)
