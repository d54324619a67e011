"""The one schema every knowledge base directory must satisfy.

:func:`validate_knowledge` checks each file's shape with pydantic models, then the rules
that span files (every code known, every value valid, ids unique, likelihoods shaped like
the evidence they belong to). It returns every problem found, each a
:class:`~symptomatic.KnowledgeError` naming the file, the path inside it and the value.
"""

from __future__ import annotations

import json
import math
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from symptomatic._errors import KnowledgeError
from symptomatic._levels import CARE_LEVELS, CareLevel

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Text = Annotated[str, Field(min_length=1)]
Prob = Annotated[float, Field(ge=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- ddxplus_model.json (generated) -------------------------------------------------
class ModelCondition(_Strict):
    source_name: Text
    icd10: Annotated[
        str, Field(pattern=r"^[A-Z][0-9]{2}(\.[0-9A-Z]+)?(, [A-Z][0-9]{2}(\.[0-9A-Z]+)?)*$")
    ]
    severity: Annotated[int, Field(ge=1, le=5)]
    prior: Prob
    train_count: Annotated[int, Field(ge=0)]
    evidences: list[str]


class ModelEvidence(_Strict):
    code: Annotated[str, Field(pattern=r"^E_[0-9]+$")]
    type: Literal["binary", "categorical", "multi"]
    parent: str | None
    antecedent: bool
    values: list[str]
    default: str | None
    scale: bool


class AgeModel(_Strict):
    bands: list[int]
    alpha: float
    alpha_grid: list[float]
    fitted_on: list[str]
    patients: int
    heldout_mean_loglik: float
    pooled_mean_loglik: float
    kept: bool
    log_ratio: list[list[float]]


class ModelFile(_Strict):
    generated: Text
    source: dict[str, Any]
    floor: Annotated[float, Field(gt=0.0, lt=0.01)]
    conditions: list[ModelCondition]
    evidences: list[ModelEvidence]
    likelihood: dict[str, list[Any]]
    age_model: AgeModel | None
    sex_model: None
    sex_model_reason: Text


# ---- conditions.json (hand-written) -------------------------------------------------
class LangText(_Strict):
    en: Text
    fr: Text


class ConditionEntry(_Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    source_name: Text
    name: LangText
    care_level: CareLevel


class ConditionsFile(_Strict):
    about: Text
    conditions: list[ConditionEntry]


# ---- evidence_text.json (hand-written) ----------------------------------------------
class EvidenceWording(_Strict):
    question: Text
    present: Text
    absent: Text
    scale_low: Text | None = None
    scale_high: Text | None = None


class EvidenceTextEntry(_Strict):
    slug: Annotated[str, Field(pattern=SLUG)]
    en: EvidenceWording
    fr: EvidenceWording


class EvidenceTextFile(_Strict):
    about: Text
    evidences: dict[str, EvidenceTextEntry]
    values: dict[str, LangText]


# ---- red_flags.json (hand-written, sourced) -----------------------------------------
class ClauseEntry(_Strict):
    evidence: str
    values: list[str] = []
    min_value: Annotated[int, Field(ge=0, le=10)] | None = None


class RedFlagEntry(_Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    level: CareLevel
    all_of: Annotated[list[ClauseEntry], Field(min_length=1)]
    reason: LangText
    source: Text


class TriagePolicy(_Strict):
    severe_plausible: dict[Literal["1", "2"], Prob]
    leading_min_probability: Prob
    outside_knowledge_level: CareLevel
    no_symptoms_level: CareLevel


class RedFlagsFile(_Strict):
    about: Text
    policy: TriagePolicy
    rules: list[RedFlagEntry]


# ---- condition_info.json (hand-written) ---------------------------------------------
class InfoText(_Strict):
    what: Text
    course: Text
    contagious: Text
    self_care: list[Text]
    seek_care: Annotated[list[Text], Field(min_length=1)]


class InfoEntry(_Strict):
    en: InfoText
    fr: InfoText


class InfoFile(_Strict):
    about: Text
    conditions: dict[str, InfoEntry]


# ---- calibration.json (generated) ----------------------------------------------------
class CalibrationFile(_Strict):
    generated: Text
    temperature: Annotated[float, Field(gt=0.0, le=100.0)]
    fitted_on: Text
    patients: Annotated[int, Field(ge=1)]
    ece_before: Prob
    ece_after: Prob
    likelihood_floor: Annotated[float, Field(gt=0.0, lt=0.1)]
    likelihood_floor_fitted_on: Text
    differential_coverage: Annotated[float, Field(gt=0.0, le=1.0)]
    differential_coverage_fitted_on: Text
    ddf1_validate: Prob


SCHEMAS: dict[str, type[BaseModel]] = {
    "ddxplus_model.json": ModelFile,
    "conditions.json": ConditionsFile,
    "evidence_text.json": EvidenceTextFile,
    "red_flags.json": RedFlagsFile,
    "condition_info.json": InfoFile,
    "calibration.json": CalibrationFile,
}
OPTIONAL = {"condition_info.json", "calibration.json"}


def _path(loc: tuple[int | str, ...]) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _dig(doc: Any, loc: tuple[int | str, ...]) -> Any:
    for part in loc:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def validate_knowledge(directory: str | Path | Traversable) -> list[KnowledgeError]:
    """Every problem in the knowledge base at ``directory`` (empty list: valid)."""
    node: Traversable = Path(directory) if isinstance(directory, str | Path) else directory
    problems: list[KnowledgeError] = []
    parsed: dict[str, Any] = {}
    for name, schema in SCHEMAS.items():
        child = node / name
        if not child.is_file():
            if name not in OPTIONAL:
                problems.append(KnowledgeError(name, "$", "file is missing"))
            continue
        try:
            doc = json.loads(child.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(KnowledgeError(name, "$", f"not valid UTF-8 JSON: {exc}"))
            continue
        try:
            parsed[name] = schema.model_validate(doc)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                problems.append(KnowledgeError(name, _path(loc), err["msg"], _dig(doc, loc)))
    if problems:
        return problems
    _cross_checks(parsed, problems)
    return problems


def _cross_checks(parsed: dict[str, Any], problems: list[KnowledgeError]) -> None:
    model: ModelFile = parsed["ddxplus_model.json"]
    conds: ConditionsFile = parsed["conditions.json"]
    text: EvidenceTextFile = parsed["evidence_text.json"]
    flags: RedFlagsFile = parsed["red_flags.json"]
    info: InfoFile | None = parsed.get("condition_info.json")

    def bad(file: str, path: str, problem: str, value: object = None) -> None:
        problems.append(KnowledgeError(file, path, problem, value))

    mf = "ddxplus_model.json"
    evidences = {e.code: e for e in model.evidences}
    if len(evidences) != len(model.evidences):
        bad(mf, "$.evidences", "evidence codes must be unique")
    n_cond = len(model.conditions)
    prior_sum = sum(c.prior for c in model.conditions)
    if not math.isclose(prior_sum, 1.0, abs_tol=1e-6):
        bad(mf, "$.conditions[*].prior", "priors must sum to 1", prior_sum)
    for i, e in enumerate(model.evidences):
        if e.parent is not None and e.parent not in evidences:
            bad(mf, f"$.evidences[{i}].parent", "unknown parent evidence", e.parent)
        if e.type == "binary" and (e.values or e.default is not None):
            bad(mf, f"$.evidences[{i}]", "a binary evidence has no values or default", e.code)
        if e.type != "binary" and (not e.values or e.default not in e.values):
            bad(mf, f"$.evidences[{i}].default", "default must be one of the values", e.default)
        if e.scale and e.values != [str(v) for v in range(11)]:
            bad(mf, f"$.evidences[{i}].values", "a scale takes the values 0 to 10", e.values)
    for j, c in enumerate(model.conditions):
        for code in c.evidences:
            if code not in evidences:
                bad(mf, f"$.conditions[{j}].evidences", "unknown evidence code", code)
    for code in evidences.keys() - model.likelihood.keys():
        bad(mf, f"$.likelihood.{code}", "missing likelihoods for this evidence")
    for code, rows in model.likelihood.items():
        ev = evidences.get(code)
        if ev is None:
            bad(mf, f"$.likelihood.{code}", "likelihoods for an unknown evidence", code)
            continue
        if len(rows) != n_cond:
            bad(mf, f"$.likelihood.{code}", f"needs one entry per condition ({n_cond})", len(rows))
            continue
        for j, row in enumerate(rows):
            cells = [row] if ev.type == "binary" else row
            if ev.type != "binary" and (not isinstance(row, list) or len(row) != len(ev.values)):
                bad(mf, f"$.likelihood.{code}[{j}]", f"needs {len(ev.values)} probabilities", row)
                continue
            for k, p in enumerate(cells):
                if not isinstance(p, int | float) or not 0.0 <= p <= 1.0:
                    bad(
                        mf,
                        f"$.likelihood.{code}[{j}]" + ("" if ev.type == "binary" else f"[{k}]"),
                        "a probability must be a number in [0, 1]",
                        p,
                    )
    if model.age_model is not None:
        am = model.age_model
        if len(am.log_ratio) != n_cond or any(len(r) != len(am.bands) - 1 for r in am.log_ratio):
            bad(mf, "$.age_model.log_ratio", "needs one row per condition, one cell per band")

    cf = "conditions.json"
    names = {c.source_name for c in model.conditions}
    seen_ids: set[str] = set()
    seen_src: set[str] = set()
    for i, centry in enumerate(conds.conditions):
        if centry.id in seen_ids:
            bad(cf, f"$.conditions[{i}].id", "condition ids must be unique", centry.id)
        seen_ids.add(centry.id)
        if centry.source_name not in names:
            bad(
                cf,
                f"$.conditions[{i}].source_name",
                "no such condition in the model",
                centry.source_name,
            )
        seen_src.add(centry.source_name)
    for missing in sorted(names - seen_src):
        bad(cf, "$.conditions", "condition of the model has no entry", missing)

    tf = "evidence_text.json"
    for code in sorted(evidences.keys() - text.evidences.keys()):
        bad(tf, f"$.evidences.{code}", "evidence has no wording")
    for code in sorted(text.evidences.keys() - evidences.keys()):
        bad(tf, f"$.evidences.{code}", "wording for an unknown evidence", code)
    slugs: dict[str, str] = {}
    for code, entry in text.evidences.items():
        if entry.slug in slugs:
            bad(
                tf,
                f"$.evidences.{code}.slug",
                f"slug already used by {slugs[entry.slug]}",
                entry.slug,
            )
        slugs[entry.slug] = code
        ev = evidences.get(code)
        for lang in ("en", "fr"):
            w: EvidenceWording = getattr(entry, lang)
            has_scale = w.scale_low is not None and w.scale_high is not None
            if ev is not None and ev.scale != has_scale:
                bad(
                    tf,
                    f"$.evidences.{code}.{lang}",
                    "scale_low and scale_high are required for 0-10 scales and only for them",
                )
    needed_values = {v for e in model.evidences if not e.scale for v in e.values}
    for v in sorted(needed_values - text.values.keys()):
        bad(tf, f"$.values.{v}", "value has no label")

    rf = "red_flags.json"
    rule_ids: set[str] = set()
    for i, rule in enumerate(flags.rules):
        if rule.id in rule_ids:
            bad(rf, f"$.rules[{i}].id", "rule ids must be unique", rule.id)
        rule_ids.add(rule.id)
        for k, clause in enumerate(rule.all_of):
            path = f"$.rules[{i}].all_of[{k}]"
            ev = evidences.get(clause.evidence)
            if ev is None:
                bad(rf, path + ".evidence", "unknown evidence code", clause.evidence)
                continue
            for v in clause.values:
                if v not in ev.values:
                    bad(rf, path + ".values", f"not a value of {ev.code}", v)
            if clause.min_value is not None and not ev.scale:
                bad(rf, path + ".min_value", "min_value applies to 0-10 scales only", ev.code)

    if info is not None:
        nf = "condition_info.json"
        levels = {c.id: c.care_level for c in conds.conditions}
        for cid in sorted(levels.keys() - info.conditions.keys()):
            bad(nf, f"$.conditions.{cid}", "condition has no information entry")
        for cid, ientry in info.conditions.items():
            if cid not in levels:
                bad(nf, f"$.conditions.{cid}", "information for an unknown condition", cid)
                continue
            urgent = CARE_LEVELS.index(levels[cid]) <= CARE_LEVELS.index("consultation_24")
            for lang in ("en", "fr"):
                if urgent and getattr(ientry, lang).self_care:
                    bad(
                        nf,
                        f"$.conditions.{cid}.{lang}.self_care",
                        "no self-care advice for a condition that needs prompt care",
                    )
