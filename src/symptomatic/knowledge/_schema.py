"""The shape of every knowledge file, as pydantic models (one per file kind).

Only :mod:`symptomatic.knowledge._validate` imports this module (pydantic is not needed to
load a knowledge base). The rules that span files live there.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from symptomatic._levels import CareLevel

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ICD10 = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$"
Text = Annotated[str, Field(min_length=1)]
Prob = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Slug = Annotated[str, Field(pattern=SLUG)]

#: Roles an evidence can play for the language layer and the answers.
ROLES = frozenset(
    {
        "fever",
        "pain",
        "rash",
        "swelling",
        "location",
        "radiation",
        "intensity",
        "pregnancy",
        "travel",
        "onset_speed",
    }
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LangText(Strict):
    en: Text
    fr: Text


# ---- vocabulary.json ---------------------------------------------------------------------
class EvidenceWording(Strict):
    question: Text
    present: Text
    absent: Text
    scale_low: Text | None = None
    scale_high: Text | None = None


class EvidenceWordings(Strict):
    en: EvidenceWording
    fr: EvidenceWording


class Numbered(Strict):
    """A number with its source."""

    p: Prob
    source: Text


class Likelihood(Strict):
    """A probability ``p`` (a yes/no evidence) or a distribution over ``values``, with the
    source of the numbers."""

    p: Prob | None = None
    values: dict[str, Prob] | None = None
    source: Text

    @model_validator(mode="after")
    def _one(self) -> Likelihood:
        if (self.p is None) == (self.values is None):
            raise ValueError("give either p (a yes/no evidence) or values (a choice)")
        return self


class EvidenceEntry(Strict):
    id: Slug
    kind: Literal["binary", "categorical", "multi"]
    scale: bool = False
    parent: Slug | None = None
    history: bool = False
    values: list[Slug] = []
    default: str | None = None
    roles: list[str] = []
    aliases: dict[Slug, list[Text]] = {}
    text: EvidenceWordings
    background: Likelihood
    leak: Numbered | None = None


class ValueEntry(Strict):
    id: Slug
    aliases: dict[Slug, list[Text]] = {}
    label: LangText
    sex: Literal["male", "female"] | None = None  # a body part of one sex only


class VocabularyFile(Strict):
    about: Text
    schema_version: Literal[1]
    evidences: list[EvidenceEntry]
    values: list[ValueEntry]


# ---- conditions/<id>.json ----------------------------------------------------------------
class Care(Strict):
    level: CareLevel
    rationale: Text
    source: Text


class Prior(Strict):
    p: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
    source: Text


class AgeTerm(Strict):
    bands: list[Annotated[float, Field(ge=0.0, le=121.0)]]
    log_ratio: list[Annotated[float, Field(ge=-12.0, le=12.0, allow_inf_nan=False)]]
    source: Text

    @model_validator(mode="after")
    def _shape(self) -> AgeTerm:
        if len(self.bands) != len(self.log_ratio) + 1:
            raise ValueError("bands must have one more edge than log_ratio has terms")
        if any(hi <= lo for lo, hi in zip(self.bands, self.bands[1:], strict=False)):
            raise ValueError("bands must increase")
        return self


class SexTerm(Strict):
    male: Annotated[float, Field(ge=-12.0, le=12.0, allow_inf_nan=False)]
    female: Annotated[float, Field(ge=-12.0, le=12.0, allow_inf_nan=False)]
    source: Text


class Unlisted(Strict):
    scope: Slug
    p: Prob | Literal["leak"]
    source: Text


class Info(Strict):
    what: Text
    course: Text
    contagious: Text
    self_care: list[Text]
    seek_care: list[Text] = Field(min_length=1)


class Infos(Strict):
    en: Info
    fr: Info


class ConditionFile(Strict):
    about: Text
    schema_version: Literal[1]
    id: Slug
    name: LangText
    icd10: Annotated[str, Field(pattern=ICD10)]
    group: Slug
    severity: Annotated[int, Field(ge=1, le=5)]
    care: Care
    sex: Literal["male", "female"] | None = None
    source: Slug
    source_ref: Text | None = None
    hallmarks: list[Slug] = []  # findings whose absence never argues for the condition
    prior: Prior
    age: AgeTerm | None = None
    sex_log_ratio: SexTerm | None = None
    unlisted: list[Unlisted] = []
    likelihood: dict[Slug, Likelihood]
    info: Infos


# ---- red_flags.json ----------------------------------------------------------------------
class ClauseEntry(Strict):
    evidence: Slug | None = None
    values: list[str] = []
    min_value: Annotated[int, Field(ge=0, le=10)] | None = None
    age_below_years: Annotated[float, Field(gt=0.0, le=120.0)] | None = None
    age_at_least_years: Annotated[float, Field(gt=0.0, le=120.0)] | None = None
    min_days: Annotated[float, Field(gt=0.0, le=36500.0)] | None = None
    phrase: Slug | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ClauseEntry:
        kinds = [
            self.evidence,
            self.age_below_years,
            self.age_at_least_years,
            self.min_days,
            self.phrase,
        ]
        if sum(k is not None for k in kinds) != 1:
            raise ValueError(
                "a clause names one of: an evidence, an age_below_years, an "
                "age_at_least_years, a min_days, a phrase"
            )
        if self.evidence is None and (self.values or self.min_value is not None):
            raise ValueError("values and min_value go with an evidence")
        return self


class Part(Strict):
    any_of: list[ClauseEntry] = Field(min_length=1)


class RuleEntry(Strict):
    id: Slug
    level: CareLevel
    all_of: list[Part] = Field(min_length=1)
    reason: LangText
    source: Text
    advice: LangText | None = None


class RedFlagsFile(Strict):
    about: Text
    rules: list[RuleEntry] = Field(min_length=1)


# ---- triage_policy.json ------------------------------------------------------------------
class Thresholds(Strict):
    """One threshold per care level more urgent than self-care, each in (0, 1]."""

    emergency_ambulance: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
    emergency: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
    consultation_24: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]
    consultation: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)]


class TriagePolicyFile(Strict):
    about: Text
    thresholds: Thresholds
    min_probability: Annotated[float, Field(ge=0.0, lt=0.5, allow_inf_nan=False)] = 0.0
    other_level: CareLevel
    no_symptoms_level: CareLevel
    self_care_reason_min: Annotated[float, Field(ge=0.0, lt=1.0, allow_inf_nan=False)]
    chosen_on: Text


# ---- calibration.json (generated) --------------------------------------------------------
class CalibrationFile(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    generated: Text
    temperature: Annotated[float, Field(ge=0.2, le=10.0, allow_inf_nan=False)]
    likelihood_floor: Annotated[float, Field(gt=0.0, lt=0.1, allow_inf_nan=False)] | None = None
    differential_coverage: Annotated[float, Field(ge=0.0, le=1.0)] = 1.0
    other_prior: Annotated[float, Field(gt=0.0, lt=1.0, allow_inf_nan=False)] | None = None
    something_else_threshold: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.5
    other_symptom_floor: Annotated[float, Field(ge=0.0, lt=0.5, allow_inf_nan=False)] = 0.0
    min_fitting: Annotated[float, Field(ge=0.0, lt=0.5, allow_inf_nan=False)] = 0.0
    hallmark_share: Annotated[float, Field(gt=0.0, le=1.0, allow_inf_nan=False)] = 1.0


# ---- sources.json (generated) ------------------------------------------------------------
class Dataset(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    name: Text
    attribution: Text
    licence: Text
    files: dict[str, Any] = {}


class SourcesFile(Strict):
    about: Text
    version: Text
    datasets: dict[Slug, Dataset] = Field(min_length=1)
    build: dict[str, Any] = {}


SCHEMAS: dict[str, type[BaseModel]] = {
    "vocabulary.json": VocabularyFile,
    "red_flags.json": RedFlagsFile,
    "triage_policy.json": TriagePolicyFile,
    "calibration.json": CalibrationFile,
    "sources.json": SourcesFile,
}
OPTIONAL = frozenset({"calibration.json"})
