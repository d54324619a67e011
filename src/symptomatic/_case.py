"""A case: who the person is and what is known about their symptoms.

A :class:`Finding` says that one evidence is present, absent or unknown (asked, but the
person does not know), with a value for categorical and multi-choice evidences and, for
findings read from text, the span of text it came from. :func:`make_case` checks
everything a caller gives and raises :class:`~symptomatic.InputError` subclasses that name
the field, the rule and the value, with the closest valid choices.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from symptomatic._errors import (
    ConflictingAnswerError,
    InputError,
    InvalidValueError,
    UnknownEvidenceError,
)
from symptomatic.knowledge import Evidence, KnowledgeBase

Status = Literal["present", "absent", "unknown"]
Sex = Literal["male", "female"]
STATUSES: tuple[Status, ...] = ("present", "absent", "unknown")
_SEXES: dict[str, Sex] = {
    "male": "male",
    "m": "male",
    "man": "male",
    "homme": "male",
    "h": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
    "femme": "female",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing known about the person: an evidence, its status, and its value if any.

    ``span`` is the ``(start, end)`` character range of the text it was read from, and
    ``source`` says where it came from: ``"answer"`` (given directly), ``"text"`` (read from
    free text) or ``"implied"`` (a follow-up answer implies its parent question is yes).
    """

    evidence: str
    status: Status = "present"
    value: str | None = None
    span: tuple[int, int] | None = None
    text: str | None = None
    source: Literal["answer", "text", "implied"] = "answer"


@dataclass(frozen=True, slots=True)
class Case:
    """Age (years), sex and findings, checked against a knowledge base."""

    age: float | None
    sex: Sex | None
    findings: tuple[Finding, ...]

    def present_codes(self) -> frozenset[str]:
        return frozenset(f.evidence for f in self.findings if f.status == "present")


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_age(age: float | None) -> float | None:
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int | float) or not 0 <= age <= 120:
        raise InputError("age", "must be a number of years from 0 to 120", age)
    return float(age)


def check_sex(sex: str | None) -> Sex | None:
    if sex is None:
        return None
    normal = _SEXES.get(str(sex).strip().lower())
    if normal is None:
        close = difflib.get_close_matches(str(sex).lower(), ["male", "female"], n=1, cutoff=0.3)
        raise InputError(
            "sex", "must be male or female (also M or F)", sex, close or ["male", "female"]
        )
    return normal


def resolve_evidence(kb: KnowledgeBase, name: str, *, field: str = "evidence") -> Evidence:
    """The evidence with code or short name ``name`` (case-insensitive)."""
    raw = name.strip()
    if raw.upper() in kb.by_code:
        return kb.by_code[raw.upper()]
    slug = _slug(raw)
    if slug in kb.by_slug:
        return kb.by_slug[slug]
    choices = list(kb.by_slug) + list(kb.by_code)
    close = difflib.get_close_matches(slug, choices, n=3, cutoff=0.5)
    if not close:
        close = [s for s in kb.by_slug if slug and slug in s][:3]
    raise UnknownEvidenceError(field, "no evidence has this code or name", name, close)


def resolve_value(kb: KnowledgeBase, ev: Evidence, raw: str, *, field: str = "value") -> str:
    """The value code of ``ev`` that ``raw`` names: a code, a 0-10 number or a label."""
    text = raw.strip()
    if ev.type == "binary":
        raise InvalidValueError(field, f"{ev.slug} is a yes/no question and takes no value", raw)
    if ev.scale:
        if text.isdigit() and 0 <= int(text) <= 10:
            return str(int(text))
        raise InvalidValueError(field, f"{ev.slug} takes a whole number from 0 to 10", raw)
    if text.upper() in ev.values:
        return text.upper()
    wanted = _slug(text)
    labels: dict[str, str] = {}
    for code in ev.values:
        for lang in ("en", "fr"):
            labels.setdefault(_slug(kb.value_labels[code][lang]), code)
    if wanted in labels:
        return labels[wanted]
    close = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.4)
    raise InvalidValueError(field, f"not a value of {ev.slug}", raw, close)


def make_case(
    kb: KnowledgeBase,
    *,
    age: float | None = None,
    sex: str | None = None,
    findings: Iterable[Finding] = (),
) -> Case:
    """Check and normalise a case; add the parent findings that answers imply."""
    checked: dict[tuple[str, str | None], Finding] = {}
    for f in findings:
        ev = resolve_evidence(kb, f.evidence)
        if f.status not in STATUSES:
            raise InputError("status", "must be present, absent or unknown", f.status, STATUSES)
        value = None if f.value is None else resolve_value(kb, ev, f.value)
        if ev.type != "binary" and value is None and f.status == "present":
            raise InvalidValueError(
                "value",
                f"{ev.slug} needs a value (name=value), one of its choices",
                f.evidence,
                [kb.value_labels[v]["en"] for v in ev.values[:3]]
                if not ev.scale
                else ["0", "5", "10"],
            )
        f = replace(f, evidence=ev.code, value=value)
        key = (ev.code, value)
        old = checked.get(key)
        if old is not None and old.status != f.status:
            raise ConflictingAnswerError(
                "findings", f"{ev.slug} is given as both {old.status} and {f.status}", ev.slug
            )
        if ev.type == "categorical" and f.status == "present":
            for (code, v), other in checked.items():
                if code == ev.code and v != value and other.status == "present":
                    raise ConflictingAnswerError(
                        "findings",
                        f"{ev.slug} takes one value, got two",
                        f"{other.value} and {value}",
                    )
        checked[key] = f
    # A present follow-up implies its parent question was answered yes.
    for (code, _), f in list(checked.items()):
        parent = kb.by_code[code].parent
        if f.status != "present" or parent is None:
            continue
        existing = checked.get((parent, None))
        if existing is None:
            checked[(parent, None)] = Finding(parent, "present", source="implied")
        elif existing.status == "absent":
            raise ConflictingAnswerError(
                "findings",
                f"{kb.by_code[code].slug} is given but {kb.by_code[parent].slug} is answered no",
                kb.by_code[parent].slug,
            )
    return Case(age=check_age(age), sex=check_sex(sex), findings=tuple(checked.values()))
