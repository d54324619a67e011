"""Typed request and response bodies of the HTTP API (pydantic models, never ``dict``).

The diagnosis answer mirrors :meth:`symptomatic.Result.to_dict`, the JSON shape the command
line prints, plus the next question of the interview.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from symptomatic import CareLevel, Lang, QuestionKind, Status

__all__ = [
    "MAX_FINDINGS",
    "MAX_TEXT",
    "SCALE_VALUES",
    "CareOut",
    "CaseIn",
    "ChoiceOut",
    "ConditionAbout",
    "ConditionOut",
    "DiagnosisOut",
    "ErrorBody",
    "ErrorItem",
    "EvidenceOut",
    "ExplainIn",
    "ExplainOut",
    "FindingIn",
    "FindingOut",
    "HealthOut",
    "InfoOut",
    "ParseIn",
    "ParseOut",
    "QuestionOut",
    "ReasonOut",
    "SectionsOut",
    "SomethingElseOut",
    "SpanOut",
    "TriageOut",
    "ValueOut",
    "finding_schema",
]

#: Most items in ``findings``, and in ``answers``, of one request.
MAX_FINDINGS = 300
#: Longest free text accepted, in characters.
MAX_TEXT = 5000
#: The values of a 0-10 scale, exactly as the server accepts them.
SCALE_VALUES = tuple(str(n) for n in range(11))

_TEXT_RULES = (
    "Free text in English or French, at most 5,000 characters of valid Unicode (no lone "
    "surrogates); text in another language is refused (422, field lang)."
)
_LIST_RULES = (
    "At most 300 items. When two items contradict each other (the same evidence and value "
    "with two statuses, two present values of a one-choice question, a follow-up present "
    "and its parent question absent), the later one wins, as when a person changes an "
    "answer; answers come after findings."
)


class _In(BaseModel):
    # strict: a number is a JSON number, a string a JSON string (no "34" for 34), so the
    # published schema is exactly what is accepted.
    model_config = ConfigDict(extra="forbid", strict=True)


# -- requests -----------------------------------------------------------------------------
class FindingIn(_In):
    """One thing known: an evidence (its id like ``fever`` or source code like ``E_91``,
    exactly as ``/v1/evidences`` lists them), its status, and for a choice question the
    value picked (a value id or code of that evidence, or ``0``-``10`` for a scale). A
    yes/no evidence takes no value; a choice evidence given as present needs one. The
    OpenAPI schema lists, for the knowledge base served, every evidence and its values."""

    evidence: str = Field(
        min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", examples=["fever"]
    )
    status: Status = "present"
    value: str | None = Field(
        default=None,
        max_length=100,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        description="for choice questions: a value id or code, or 0-10 for a scale",
    )


class ParseIn(_In):
    text: str = Field(
        max_length=MAX_TEXT, description=_TEXT_RULES, examples=["I have a fever and a dry cough"]
    )
    lang: Lang | None = Field(default=None, description="the text's language; detected if null")


class CaseIn(_In):
    """The whole case, sent on every call (the server keeps no state)."""

    age: float = Field(
        ge=0, le=120, allow_inf_nan=False, description="age in years, 0 to 120", examples=[34]
    )
    sex: Literal["male", "female", "M", "F", "m", "f"] = Field(
        description="male or female (also M or F)"
    )
    lang: Lang | None = Field(
        default=None, description="language of the answer (and of the text); detected if null"
    )
    text: str | None = Field(default=None, max_length=MAX_TEXT, description=_TEXT_RULES)
    findings: list[FindingIn] = Field(
        default_factory=list, max_length=MAX_FINDINGS, description=_LIST_RULES
    )
    answers: list[FindingIn] = Field(
        default_factory=list,
        max_length=MAX_FINDINGS,
        description="questions answered so far; an answer wins over a finding for the same "
        "evidence. " + _LIST_RULES,
    )


class ExplainIn(CaseIn):
    condition: str = Field(
        min_length=1,
        max_length=100,
        description="a condition id from /v1/conditions; another gets 404 with the closest ids",
        examples=["influenza"],
    )


def finding_schema(
    binary: Sequence[str], choices: Sequence[tuple[Sequence[str], Sequence[str]]]
) -> dict[str, Any]:
    """The JSON schema of :class:`FindingIn` for one knowledge base, exactly as the server
    checks it: ``binary`` names every yes/no evidence (ids and codes); ``choices`` pairs the
    names of choice evidences with the values they take (ids and codes, or 0-10)."""

    def branch(names: Sequence[str], status: list[str], value: dict[str, Any]) -> dict[str, Any]:
        required = ["evidence"] if "present" in status else ["evidence", "status"]
        if "present" in status and value.get("type") == "string":
            required.append("value")
        status_schema: dict[str, Any] = {"type": "string", "enum": status}
        if "present" in status:
            status_schema["default"] = "present"
        return {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "evidence": {"type": "string", "enum": list(names)},
                "status": status_schema,
                "value": value,
            },
            "required": required,
        }

    statuses = ["present", "absent", "unknown"]
    branches = [branch(binary, statuses, {"type": "null"})] if binary else []
    for names, values in choices:
        picked = {"type": "string", "enum": list(values)}
        branches.append(branch(names, ["present"], picked))
        branches.append(branch(names, ["absent", "unknown"], {"anyOf": [picked, {"type": "null"}]}))
    return {
        "title": "FindingIn",
        "description": (FindingIn.__doc__ or "").replace("\n    ", " ").strip(),
        "anyOf": branches,
    }


# -- responses ----------------------------------------------------------------------------
class ErrorItem(BaseModel):
    field: str = Field(description="where the problem is, e.g. findings[2].evidence")
    problem: str
    value: str | int | float | bool | None = None
    suggestions: list[str] = Field(default_factory=list)


class ErrorBody(BaseModel):
    status: int
    errors: list[ErrorItem]


class HealthOut(BaseModel):
    status: Literal["ok"] = "ok"


class ReasonOut(BaseModel):
    evidence: str
    label: str
    status: str
    value: str | None
    weight: float


class ConditionAbout(BaseModel):
    """Plain-language information from the knowledge base, where it has some."""

    what: str
    course: str
    contagious: str
    self_care: list[str]
    seek_care: list[str]


class ConditionResultOut(BaseModel):
    id: str
    name: str
    icd10: str
    probability: float
    severity: int
    care_level: CareLevel
    reasons_for: list[ReasonOut]
    reasons_against: list[ReasonOut]
    about: ConditionAbout | None = None


class FindingOut(BaseModel):
    evidence: str
    label: str
    status: str
    value: str | None
    value_label: str | None
    span: list[int] | None
    text: str | None
    source: str


class TriageOut(BaseModel):
    level: CareLevel
    reasons: list[str]
    codes: list[str]
    call_emergency_number: bool


class SomethingElseOut(BaseModel):
    likely: bool
    reason: str
    probability: float | None = None


class SpanOut(BaseModel):
    start: int
    end: int
    text: str


class ChoiceOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    """The next question. Send the answer back in ``answers``: for ``binary``, choice ``yes``
    is ``{evidence: code, status: present}`` and ``no`` is ``absent``; ``dont_know`` is
    ``unknown``; any other choice is ``{evidence: code, status: present, value: choice}``
    (one item per choice picked for ``multi``; ``absent`` when none applies)."""

    evidence: str = Field(description="the evidence id to answer")
    kind: QuestionKind
    text: str
    choices: list[ChoiceOut] = Field(
        description="the answers, ``dont_know`` last; body parts of the other sex than the "
        "case's are not offered"
    )
    why: str
    number: int
    max_questions: int
    remaining: int = Field(description="the most questions that can still follow this one")
    default: str | None = Field(
        description="the choice that means none of the others (such as nowhere, or none of "
        "these): answering ``absent`` says the same; null when the question has none"
    )


class KnowledgeRef(BaseModel):
    version: str
    sha256: str


class CareOut(BaseModel):
    """The care level in words: a short title and what to do now."""

    title: str
    action: str


class SectionsOut(BaseModel):
    """``summary`` in its parts, each a list of lines, as the answer is composed:
    ``self_care`` is empty unless the care level is ``self_care``. A line that starts with
    ``- `` is an item of the list that the line before it opens."""

    acknowledgement: list[str]
    explanation: list[str]
    action: list[str]
    self_care: list[str]
    safety_net: list[str]
    disclaimer: list[str]


class DiagnosisOut(BaseModel):
    differential: list[ConditionResultOut]
    triage: TriageOut
    findings: list[FindingOut]
    not_understood: list[SpanOut]
    something_else: SomethingElseOut
    summary: str
    disclaimer: str
    lang: str
    age: float | None
    sex: str | None
    knowledge: KnowledgeRef
    care: CareOut
    next_question: QuestionOut | None
    should_stop: bool
    sections: SectionsOut


class TriageAnswerOut(BaseModel):
    triage: TriageOut
    summary: str
    disclaimer: str


class ExplainOut(BaseModel):
    id: str
    name: str
    icd10: str
    probability: float
    reasons_for: list[ReasonOut]
    reasons_against: list[ReasonOut]


class ParseOut(BaseModel):
    lang: str
    findings: list[FindingOut]
    not_understood: list[SpanOut]
    red_flags: list[str]
    age_in_text: float | None = None


class ConditionOut(BaseModel):
    id: str
    name: str
    icd10: str
    severity: int
    care_level: CareLevel
    care_source: str
    group: str = Field(description="the part of the body or kind of problem, e.g. skin, injury")


class ValueOut(BaseModel):
    value: str
    label: str


class EvidenceOut(BaseModel):
    evidence: str
    codes: list[str]
    kind: QuestionKind
    parent: str | None
    history: bool
    question: str
    values: list[ValueOut]


class InfoOut(BaseModel):
    name: str
    version: str
    knowledge_version: str
    knowledge_sha256: str
    conditions: int
    evidences: int
    attribution: str
    code_licence: str
    datasets: dict[str, str]
