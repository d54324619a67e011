"""A case: who the person is and what is known about their symptoms, checked.

:func:`make_case` checks everything a caller gives and raises
:class:`~symptomatic.InputError` subclasses that name the field, the rule and the value,
with the closest valid choices. :func:`merge_findings` is the one rule for combining
findings from several places: for each evidence, the findings of the most trusted layer
that mentions it win (answers to questions over given findings over text).
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from symptomatic._errors import (
    ConflictingAnswerError,
    InputError,
    InvalidValueError,
    UnknownEvidenceError,
)
from symptomatic._types import Case, Finding, Sex, Status
from symptomatic.knowledge import Evidence, KnowledgeBase

__all__ = [
    "STATUSES",
    "check_age",
    "check_sex",
    "make_case",
    "merge_findings",
    "resolve_evidence",
    "resolve_value",
    "slug",
]

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


def slug(text: str) -> str:
    """Lower case, accents removed, runs of other characters replaced by one hyphen."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_age(age: object) -> float | None:
    """Age in years as a float, or None; 0 to 120, finite, a number."""
    if age is None:
        return None
    if isinstance(age, bool) or not isinstance(age, int | float):
        raise InputError("age", "must be a number of years from 0 to 120", age)
    if not math.isfinite(age) or not 0 <= age <= 120:
        raise InputError("age", "must be a number of years from 0 to 120", age)
    return float(age)


def check_sex(sex: object) -> Sex | None:
    if sex is None:
        return None
    if not isinstance(sex, str):
        raise InputError("sex", "must be male or female (also M or F)", sex, ["male", "female"])
    normal = _SEXES.get(sex.strip().lower())
    if normal is None:
        close = difflib.get_close_matches(sex.lower(), ["male", "female"], n=1, cutoff=0.3)
        raise InputError(
            "sex", "must be male or female (also M or F)", sex, close or ["male", "female"]
        )
    return normal


def resolve_evidence(kb: KnowledgeBase, name: object, *, field: str = "evidence") -> Evidence:
    """The evidence with id or source code ``name`` (``"fever"``, ``"E_91"``), any case."""
    if not isinstance(name, str):
        raise UnknownEvidenceError(field, "must be an evidence id or code (a string)", name)
    raw = name.strip()
    found = kb.evidence_alias.get(raw.upper())
    if found is not None:
        return kb.evidence_by_id[found]
    wanted = slug(raw)
    if wanted in kb.evidence_by_id:
        return kb.evidence_by_id[wanted]
    choices = list(kb.evidence_by_id)
    close = difflib.get_close_matches(wanted, choices, n=3, cutoff=0.5)
    if not close:
        close = [s for s in choices if wanted and wanted in s][:3]
    raise UnknownEvidenceError(field, "no evidence has this id or code", name, close)


def resolve_value(kb: KnowledgeBase, ev: Evidence, raw: object, *, field: str = "value") -> str:
    """The value of ``ev`` that ``raw`` names: an id, a source code, a label or 0-10."""
    if not isinstance(raw, str):
        raise InvalidValueError(field, f"a value of {ev.id} is a string", raw)
    text = raw.strip()
    if ev.kind == "binary":
        raise InvalidValueError(field, f"{ev.id} is a yes/no question and takes no value", raw)
    if ev.scale:
        if text.isdigit() and 0 <= int(text) <= 10:
            return str(int(text))
        raise InvalidValueError(field, f"{ev.id} takes a whole number from 0 to 10", raw)
    if text in ev.values:
        return text
    alias = kb.value_alias.get(text.upper())
    if alias is not None and alias in ev.values:
        return alias
    wanted = slug(text)
    labels: dict[str, str] = {v: v for v in ev.values}
    for v in ev.values:
        for label in kb.values[v].label.values():
            labels.setdefault(slug(label), v)
    if wanted in labels:
        return labels[wanted]
    close = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.4)
    raise InvalidValueError(field, f"not a value of {ev.id}", raw, [labels[c] for c in close])


def merge_findings(
    *layers: Iterable[Finding], parents: Mapping[str, str] | None = None
) -> list[Finding]:
    """Findings of several layers, least trusted first: for each evidence, the last layer
    that mentions it gives all its findings (e.g. text, then given findings, then answers).

    With ``parents`` (evidence -> its parent question), a follow-up from a less trusted
    layer is dropped when a more trusted one answers its parent with anything but "yes"
    (the text said "sharp pain in my chest", the answer to "any pain?" is "no").

    Evidences are compared as given; pass findings already resolved to ids
    (:meth:`symptomatic.Checker.case` does) when layers may name one evidence differently.
    """
    out: dict[str, list[Finding]] = {}
    layer_of: dict[str, int] = {}
    for n, layer in enumerate(layers):
        mine: dict[str, list[Finding]] = {}
        for f in layer:
            mine.setdefault(f.evidence, []).append(f)
        out.update(mine)
        layer_of.update(dict.fromkeys(mine, n))
    if parents:
        for child in list(out):
            parent = parents.get(child)
            if (
                parent in out
                and layer_of[parent] > layer_of[child]
                and not any(f.status == "present" for f in out[parent])
            ):
                del out[child]
    return [f for fs in out.values() for f in fs]


def _check_finding(kb: KnowledgeBase, f: object, i: int) -> tuple[Evidence, Finding]:
    if not isinstance(f, Finding):
        raise InputError(
            f"findings[{i}]", "must be a Finding(evidence, status, value)", type(f).__name__
        )
    ev = resolve_evidence(kb, f.evidence, field=f"findings[{i}].evidence")
    if f.status not in STATUSES:
        raise InputError(
            f"findings[{i}].status", "must be present, absent or unknown", f.status, STATUSES
        )
    value = (
        None if f.value is None else resolve_value(kb, ev, f.value, field=f"findings[{i}].value")
    )
    if ev.kind != "binary" and value is None and f.status == "present":
        raise InvalidValueError(
            f"findings[{i}].value",
            f"{ev.id} needs a value (name=value), one of its choices",
            f.evidence,
            ["0", "5", "10"] if ev.scale else [kb.values[v].label["en"] for v in ev.values[:3]],
        )
    return ev, replace(f, evidence=ev.id, value=value)


def make_case(
    kb: KnowledgeBase,
    *,
    age: object = None,
    sex: object = None,
    findings: Iterable[Finding] | None = (),
) -> Case:
    """Check and normalise a case; add the parent findings that answers imply."""
    if findings is None:
        findings = ()
    if isinstance(findings, Finding | str) or not isinstance(findings, Iterable):
        raise InputError("findings", "must be a list of Finding", type(findings).__name__)
    checked: dict[tuple[str, str | None], Finding] = {}
    for i, raw in enumerate(findings):
        ev, f = _check_finding(kb, raw, i)
        key = (ev.id, f.value)
        old = checked.get(key)
        if old is not None and old.status != f.status:
            raise ConflictingAnswerError(
                "findings", f"{ev.id} is given as both {old.status} and {f.status}", ev.id
            )
        if ev.kind == "categorical" and f.status == "present":
            for (eid, v), other in checked.items():
                if eid == ev.id and v != f.value and other.status == "present":
                    raise ConflictingAnswerError(
                        "findings",
                        f"{ev.id} takes one value, got two",
                        f"{other.value} and {f.value}",
                    )
        checked[key] = f
    # A present follow-up implies its parent question was answered yes.
    for (eid, _), f in list(checked.items()):
        parent = kb.evidence_by_id[eid].parent
        if f.status != "present" or parent is None:
            continue
        existing = checked.get((parent, None))
        if existing is None:
            checked[(parent, None)] = Finding(parent, "present", source="implied")
        elif existing.status == "absent":
            raise ConflictingAnswerError(
                "findings", f"{eid} is given but {parent} is answered no", parent
            )
    return Case(age=check_age(age), sex=check_sex(sex), findings=tuple(checked.values()))


def present_values(case: Case | Sequence[Finding]) -> dict[str, list[str | None]]:
    """Present findings as evidence id -> values (``None`` for yes/no evidences)."""
    findings = case.findings if isinstance(case, Case) else case
    out: dict[str, list[str | None]] = {}
    for f in findings:
        if f.status == "present":
            out.setdefault(f.evidence, []).append(f.value)
    return out
