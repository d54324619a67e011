"""The data types every layer shares: what goes into a check and what comes out.

They sit below the language layer, the engine and the orchestration, and hold data only:
no I/O, no wording, no arithmetic. A :class:`Finding` names an evidence by its id (a slug
such as ``"fever"``) or, on the way in, by any alias a source gives it (``"E_91"``);
:func:`symptomatic.Checker.case` turns aliases into ids. Every public class reports
``symptomatic`` as its module, as the package exports it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal, TypeVar

from symptomatic._levels import CareLevel

__all__ = [
    "LANGS",
    "CareLevel",
    "Case",
    "Choice",
    "ConditionResult",
    "Finding",
    "FindingResult",
    "FindingSource",
    "Lang",
    "Question",
    "QuestionKind",
    "Reason",
    "Result",
    "Sex",
    "SomethingElse",
    "Span",
    "Status",
    "TriageResult",
    "public",
]

T = TypeVar("T")

#: The languages symptomatic reads and writes (the one definition).
LANGS: Final[tuple[str, ...]] = ("en", "fr")
Lang = Literal["en", "fr"]
Status = Literal["present", "absent", "unknown"]
Sex = Literal["male", "female"]
QuestionKind = Literal["binary", "categorical", "multi", "scale"]
FindingSource = Literal["answer", "text", "implied"]


def public(obj: T) -> T:
    """Report ``symptomatic`` as the module of a class the package exports."""
    obj.__module__ = "symptomatic"
    return obj


@public
@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the text read, by character offsets (``text[start:end]``)."""

    start: int
    end: int
    text: str


@public
@dataclass(frozen=True, slots=True)
class Finding:
    """One thing known about the person: an evidence, its status and its value if any.

    ``evidence`` is an evidence id (``"fever"``) or one of its source codes (``"E_91"``).
    ``status`` is ``present``, ``absent`` or ``unknown`` (asked, but not known); ``value``
    names a choice of a categorical or multi-choice evidence, or a whole number 0-10 for a
    scale. ``span`` and ``text`` say where in free text it was read, and ``source`` where
    it came from: ``"answer"`` (given directly), ``"text"`` (read from free text) or
    ``"implied"`` (a follow-up answer implies its parent question is yes).
    """

    evidence: str
    status: Status = "present"
    value: str | None = None
    span: tuple[int, int] | None = None
    text: str | None = None
    source: FindingSource = "answer"


@public
@dataclass(frozen=True, slots=True)
class Case:
    """Age (years), sex and findings, checked against a knowledge base: every evidence and
    value is an id, every follow-up answer has its parent."""

    age: float | None
    sex: Sex | None
    findings: tuple[Finding, ...]


@public
@dataclass(frozen=True, slots=True)
class Reason:
    """A finding that argues for (``weight > 0``) or against (``weight < 0``) a condition."""

    evidence: str
    label: str
    status: str
    value: str | None
    weight: float


@public
@dataclass(frozen=True, slots=True)
class ConditionResult:
    """One condition of the differential, with its calibrated probability and reasons."""

    id: str
    name: str
    icd10: str
    probability: float
    severity: int
    care_level: CareLevel
    reasons_for: tuple[Reason, ...] = ()
    reasons_against: tuple[Reason, ...] = ()


@public
@dataclass(frozen=True, slots=True)
class FindingResult:
    """A finding as it is reported back: its id, its label in the answer's language."""

    evidence: str
    label: str
    status: str
    value: str | None
    value_label: str | None
    span: tuple[int, int] | None
    text: str | None
    source: str


@public
@dataclass(frozen=True, slots=True)
class TriageResult:
    """The care level, the reasons for it in words, and their machine-readable codes."""

    level: CareLevel
    reasons: tuple[str, ...]
    codes: tuple[str, ...]
    call_emergency_number: bool


@public
@dataclass(frozen=True, slots=True)
class SomethingElse:
    """Whether the complaint likely lies outside what the knowledge base covers, and why.

    ``probability`` is the posterior of the open-world hypothesis ("something else"), or
    None when the knowledge base has none or no symptom was given.
    """

    likely: bool
    reason: str
    probability: float | None = None


@public
@dataclass(frozen=True, slots=True)
class Result:
    """Everything one check returns; :meth:`to_dict` gives the JSON shape shared with the
    command line and the HTTP API."""

    differential: tuple[ConditionResult, ...]
    triage: TriageResult
    findings: tuple[FindingResult, ...]
    not_understood: tuple[Span, ...]
    something_else: SomethingElse
    summary: str
    disclaimer: str
    lang: str
    age: float | None
    sex: str | None
    knowledge: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for f in out["findings"]:
            f["span"] = list(f["span"]) if f["span"] is not None else None
        return out


@public
@dataclass(frozen=True, slots=True)
class Choice:
    """One possible answer: the ``value`` to pass to :meth:`Interview.answer`, its label."""

    value: str
    label: str


@public
@dataclass(frozen=True, slots=True)
class Question:
    """A question to ask, in the interview's language.

    ``kind`` is ``binary`` (yes/no), ``categorical`` (one choice), ``multi`` (one or more
    choices) or ``scale`` (a whole number 0-10). ``choices`` lists the answers (always
    including "don't know"); ``why`` says in plain words why it is asked, and
    ``conditions`` holds the ids of the conditions it helps tell apart. ``number`` is its
    rank in the interview and ``remaining`` the most questions still to come after it.
    """

    evidence: str
    kind: QuestionKind
    text: str
    choices: tuple[Choice, ...]
    why: str
    number: int
    max_questions: int
    remaining: int
    gain: float
    conditions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "evidence": self.evidence,
            "kind": self.kind,
            "text": self.text,
            "choices": [{"value": c.value, "label": c.label} for c in self.choices],
            "why": self.why,
            "number": self.number,
            "max_questions": self.max_questions,
            "remaining": self.remaining,
            "gain": round(self.gain, 5),
            "conditions": list(self.conditions),
        }
