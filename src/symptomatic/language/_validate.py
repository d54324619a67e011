"""The schema the language data files must satisfy, and their cross-checks.

:func:`validate_language` checks each file's shape with pydantic models, then the rules
that need the knowledge base: every evidence and value code exists, values fit their
evidence, context categories and directions are known, red-flag levels are care levels,
and every evidence has at least one English and one French term. It returns every problem
found, each a :class:`~symptomatic.KnowledgeError` naming the file, the path and the value.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from symptomatic._errors import KnowledgeError
from symptomatic._levels import CareLevel
from symptomatic.knowledge import Evidence, KnowledgeBase
from symptomatic.knowledge._model import LANGS
from symptomatic.language._lexicon import data_dir, norm_word, read_json, words

Text = Annotated[str, Field(min_length=1)]
Code = Annotated[str, Field(pattern=r"^E_[0-9]+$")]
Category = Literal["negated", "possible", "historical", "family", "hypothetical"]
Direction = Literal["forward", "backward", "bidirectional"]
LOCATION_EVIDENCES = ("E_55", "E_133", "E_152", "E_57")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImpliedModel(_Strict):
    evidence: Code
    values: list[Text] = []


class EntryModel(_Strict):
    evidence: Code | None = None
    values: list[Text] = []
    needs: Text | None = None
    with_: list[ImpliedModel] = Field(default=[], alias="with")
    family: list[Code] = []
    family_mother: list[Code] = []
    terms: Annotated[list[Text], Field(min_length=1)]


class LocationModel(_Strict):
    values: Annotated[list[Text], Field(min_length=1)]
    terms: Annotated[list[Text], Field(min_length=1)]


class LexiconFile(_Strict):
    about: Text
    lang: Literal["en", "fr"]
    entries: list[EntryModel]
    locations: list[LocationModel]
    radiation_cues: list[Text]
    triggers: dict[str, list[Text]]


class RuleModel(_Strict):
    cue: Text
    category: Category
    direction: Direction


class ContextFile(_Strict):
    about: Text
    lang: Literal["en", "fr"]
    rules: list[RuleModel]
    relatives: dict[str, list[Text]]
    pseudo: list[Text]
    terminate: list[Text]
    or_words: list[Text]
    skip_words: list[Text]
    stop_words: list[Text]
    worry: list[Text]


class OutsideFile(_Strict):
    about: Text
    lang: Literal["en", "fr"]
    terms: list[Text]


class GroupModel(_Strict):
    en: list[Text] = []
    fr: list[Text] = []
    evidences: list[ImpliedModel] = []
    age_below_years: Annotated[float, Field(gt=0, le=18)] | None = None


class LangText(_Strict):
    en: Text
    fr: Text


class RedFlagModel(_Strict):
    id: Annotated[str, Field(pattern=r"^text-[a-z0-9]+(-[a-z0-9]+)*$")]
    level: CareLevel
    source: Text
    reason: LangText
    all_of: Annotated[list[GroupModel], Field(min_length=1)]


class RedFlagsFile(_Strict):
    about: Text
    rules: list[RedFlagModel]


class ExpectedModel(_Strict):
    evidence: Code
    status: Literal["present", "absent", "unknown"]
    value: Text | None = None


class EvalItem(_Strict):
    id: Text
    lang: Literal["en", "fr"]
    split: Literal["dev", "heldout"]
    text: str
    expected: list[ExpectedModel]


class EvalFile(_Strict):
    about: Text
    items: list[EvalItem]


Words = Annotated[list[Text], Field(min_length=1)]
Positive = Annotated[float, Field(gt=0.0)]


class QuantitiesFile(_Strict):
    about: Text
    fever_from_celsius: Annotated[float, Field(ge=37.0, le=39.0)]
    fever_source: Text
    plausible_celsius: Annotated[
        list[Annotated[float, Field(ge=30.0, le=46.0)]], Field(min_length=2, max_length=2)
    ]
    number_words: dict[str, Positive]
    unit_days: dict[str, Positive]
    duration_cues: Words
    duration_fillers: Words
    since_cues: Words
    since_when: dict[str, Positive | None]
    temperature_words: Words
    temperature_after: Words
    out_of_ten: Words
    infant_units: dict[str, Positive]
    infant_old: Words
    infant_nouns: Words
    infant_of: Words
    sides: dict[Literal["left", "right"], Words]


class OtherLanguagesFile(_Strict):
    about: Text
    words: dict[str, Words]


def _schema(
    directory: Traversable | Path, name: str, model: type[BaseModel], errors: list[KnowledgeError]
) -> Any:
    try:
        doc = read_json(directory, name)
    except KnowledgeError as exc:
        errors.append(exc)
        return None
    try:
        model.model_validate(doc)
    except ValidationError as exc:
        for err in exc.errors():
            path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
            errors.append(KnowledgeError(name, path, err["msg"], err.get("input")))
        return None
    return doc


def _value_ok(ev: Evidence, value: str) -> bool:
    if ev.scale:
        return value.isdigit() and 0 <= int(value) <= 10
    return value in ev.values


class _Checker:
    def __init__(self, kb: KnowledgeBase, errors: list[KnowledgeError]) -> None:
        self.kb = kb
        self.errors = errors

    def code(self, file: str, path: str, code: str | None) -> Evidence | None:
        if code is None:
            return None
        ev = self.kb.by_code.get(code)
        if ev is None:
            self.errors.append(KnowledgeError(file, path, "no evidence has this code", code))
        return ev

    def values(self, file: str, path: str, ev: Evidence | None, values: list[str]) -> None:
        if ev is None:
            return
        for j, v in enumerate(values):
            if not _value_ok(ev, v):
                self.errors.append(
                    KnowledgeError(file, f"{path}.values[{j}]", f"not a value of {ev.code}", v)
                )

    def term(self, file: str, path: str, term: str, skip: frozenset[str]) -> None:
        if not [w for w in words(term) if w not in skip]:
            self.errors.append(
                KnowledgeError(file, path, "term has no word left once filler words go", term)
            )


def _check_lexicon(c: _Checker, name: str, doc: dict[str, Any], skip: frozenset[str]) -> set[str]:
    covered: set[str] = set()
    triggers = set(doc["triggers"])
    for i, e in enumerate(doc["entries"]):
        path = f"$.entries[{i}]"
        ev = c.code(name, f"{path}.evidence", e.get("evidence"))
        c.values(name, path, ev, e.get("values", []))
        if ev is not None:
            covered.add(ev.code)
            if ev.type != "binary" and not e.get("values"):
                c.errors.append(
                    KnowledgeError(name, f"{path}.values", f"{ev.code} needs values", None)
                )
        need = e.get("needs")
        if need is not None and need not in triggers and need not in c.kb.by_code:
            c.errors.append(
                KnowledgeError(name, f"{path}.needs", "neither an evidence nor a trigger", need)
            )
        for j, w in enumerate(e.get("with", [])):
            wev = c.code(name, f"{path}.with[{j}].evidence", w["evidence"])
            c.values(name, f"{path}.with[{j}]", wev, w.get("values", []))
        for key in ("family", "family_mother"):
            for j, code in enumerate(e.get(key, [])):
                if c.code(name, f"{path}.{key}[{j}]", code) is not None:
                    covered.add(code)
        for j, t in enumerate(e["terms"]):
            c.term(name, f"{path}.terms[{j}]", t, skip)
    pain_location = c.kb.by_code.get("E_55")
    for i, loc in enumerate(doc["locations"]):
        for j, v in enumerate(loc["values"]):
            if pain_location is not None and v not in pain_location.values:
                c.errors.append(
                    KnowledgeError(name, f"$.locations[{i}].values[{j}]", "not a body location", v)
                )
        for j, t in enumerate(loc["terms"]):
            c.term(name, f"$.locations[{i}].terms[{j}]", t, skip)
    if doc["locations"]:
        covered.update(("E_55", "E_133", "E_152"))
        if doc["radiation_cues"]:
            covered.add("E_57")
    return covered


def validate_language(
    kb: KnowledgeBase, directory: str | Path | None = None
) -> list[KnowledgeError]:
    """Every problem in the language data files (empty when they are valid)."""
    node: Traversable | Path = data_dir() if directory is None else Path(directory)
    errors: list[KnowledgeError] = []
    c = _Checker(kb, errors)
    for lang in LANGS:
        ctx = _schema(node, f"context_{lang}.json", ContextFile, errors)
        skip = frozenset(norm_word(w) for w in ctx["skip_words"]) if ctx else frozenset()
        lex_name = f"lexicon_{lang}.json"
        lex = _schema(node, lex_name, LexiconFile, errors)
        if lex is not None:
            covered = _check_lexicon(c, lex_name, lex, skip)
            missing = [e.code for e in kb.evidences if e.code not in covered]
            for code in missing:
                errors.append(
                    KnowledgeError(lex_name, "$.entries", f"no {lang} term for evidence", code)
                )
        if ctx is not None:
            for i, r in enumerate(ctx["rules"]):
                c.term(f"context_{lang}.json", f"$.rules[{i}].cue", r["cue"], skip)
        out_name = f"outside_terms_{lang}.json"
        out = _schema(node, out_name, OutsideFile, errors)
        if out is not None:
            seen: set[str] = set()
            for i, t in enumerate(out["terms"]):
                if t in seen:
                    errors.append(KnowledgeError(out_name, f"$.terms[{i}]", "duplicate term", t))
                seen.add(t)
                c.term(out_name, f"$.terms[{i}]", t, skip)
    rf_name = "red_flags_text.json"
    rf = _schema(node, rf_name, RedFlagsFile, errors)
    if rf is not None:
        ids: set[str] = {r.id for r in kb.red_flags}
        for i, r in enumerate(rf["rules"]):
            if r["id"] in ids:
                errors.append(KnowledgeError(rf_name, f"$.rules[{i}].id", "duplicate id", r["id"]))
            ids.add(r["id"])
            for g, group in enumerate(r["all_of"]):
                path = f"$.rules[{i}].all_of[{g}]"
                if not (group.get("en") or group.get("fr") or group.get("evidences")):
                    if group.get("age_below_years") is None:
                        errors.append(KnowledgeError(rf_name, path, "empty group", group))
                elif bool(group.get("en")) != bool(group.get("fr")):
                    errors.append(
                        KnowledgeError(rf_name, path, "phrases needed in both en and fr", group)
                    )
                for j, ev in enumerate(group.get("evidences", [])):
                    found = c.code(rf_name, f"{path}.evidences[{j}].evidence", ev["evidence"])
                    c.values(rf_name, f"{path}.evidences[{j}]", found, ev.get("values", []))
    _schema(node, "quantities.json", QuantitiesFile, errors)
    _schema(node, "other_languages.json", OtherLanguagesFile, errors)
    ev_name = "eval_set.json"
    ev_doc = _schema(node, ev_name, EvalFile, errors)
    if ev_doc is not None:
        seen_ids: set[str] = set()
        for i, item in enumerate(ev_doc["items"]):
            if item["id"] in seen_ids:
                errors.append(
                    KnowledgeError(ev_name, f"$.items[{i}].id", "duplicate id", item["id"])
                )
            seen_ids.add(item["id"])
            for j, f in enumerate(item["expected"]):
                path = f"$.items[{i}].expected[{j}]"
                found = c.code(ev_name, f"{path}.evidence", f["evidence"])
                if f.get("value") is not None:
                    c.values(ev_name, path, found, [f["value"]])
    return errors
