"""The schema the language data must satisfy, and its checks against the knowledge base.

:func:`validate_language` checks each file's shape with pydantic models, then the rules
that need the knowledge base: every evidence and value exists and fits its evidence, every
evidence can be reached by an everyday word in every language, every phrase concept a
red-flag rule names has phrases in every language, and every language has the same
sentences (answers, interview, interface words); for the packaged data, the phrase index
was built from it. It returns every problem found, each a
:class:`~symptomatic.KnowledgeError` naming the file, the path and the value.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from symptomatic._errors import KnowledgeError
from symptomatic._types import LANGS
from symptomatic.knowledge import Evidence, KnowledgeBase
from symptomatic.knowledge._io import Node, read_json
from symptomatic.language._resources import data_dir
from symptomatic.language.text import index
from symptomatic.language.text.tokens import norm_word, words

__all__ = ["validate_language"]

Text = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Category = Literal["negated", "possible", "historical", "family", "hypothetical", "question"]
Direction = Literal["forward", "backward", "backward_near", "bidirectional"]
Words = Annotated[list[Text], Field(min_length=1)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ImpliedModel(_Strict):
    evidence: Slug
    values: list[Text] = []


class EntryModel(_Strict):
    evidence: Slug | None = None
    values: list[Text] = []
    needs: Text | None = None
    with_: list[ImpliedModel] = Field(default=[], alias="with")
    family: list[Slug] = []
    family_mother: list[Slug] = []
    terms: Words


class LocationModel(_Strict):
    values: Words
    terms: Words


class LexiconFile(_Strict):
    about: Text
    lang: Text
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
    lang: Text
    rules: list[RuleModel]
    relatives: dict[str, list[Text]]
    pseudo: list[Text]
    terminate: list[Text]
    or_words: list[Text]
    skip_words: list[Text]
    stop_words: list[Text]
    worry: list[Text]
    fine_words: list[Text] = []
    question_cues: list[Text] = []
    split_words: dict[Text, Annotated[list[Text], Field(min_length=2)]] = {}


class OutsideFile(_Strict):
    about: Text
    lang: Text
    terms: list[Text]


class PhrasesFile(_Strict):
    about: Text
    lang: Text
    concepts: dict[Slug, Words]


class RelativeAgeModel(_Strict):
    about: Text
    between: list[Text]
    numbers: list[Text]
    units: Words
    not_after: list[Text]
    onset: list[Text]


class TemperatureUnits(_Strict):
    degrees: Words
    celsius: Words
    fahrenheit: Words


class QuantitiesFile(_Strict):
    about: Text
    lang: Text
    number_words: dict[str, Positive]
    unit_days: dict[str, Positive]
    duration_cues: Words
    duration_fillers: list[Text]
    since_cues: list[Text]
    since_when: dict[str, Positive | None]
    temperature_words: Words
    temperature_after: list[Text]
    temperature_units: TemperatureUnits
    out_of_ten: Words
    infant_units: dict[str, Positive]
    infant_old: list[Text]
    infant_nouns: list[Text]
    infant_of: list[Text]
    age_words: dict[str, Annotated[float, Field(ge=0.0, le=120.0)]] = {}
    relative_age: RelativeAgeModel | None = None
    sides: dict[Literal["left", "right"], Words]
    pill_words: list[Text] = []
    not_a_count: list[Text] = []


class PillCount(_Strict):
    evidence: Slug
    at_least: Annotated[int, Field(ge=2, le=100)]
    source: Text


class CarerHistory(_Strict):
    about: Text
    evidences: list[Slug]


class CommonQuantitiesFile(_Strict):
    about: Text
    fever_from_celsius: Annotated[float, Field(ge=37.0, le=39.0)]
    fever_source: Text
    plausible_celsius: Annotated[
        list[Annotated[float, Field(ge=30.0, le=46.0)]], Field(min_length=2, max_length=2)
    ]
    bare_celsius: Annotated[
        list[Annotated[int, Field(ge=30, le=46)]], Field(min_length=2, max_length=2)
    ]
    pill_count: PillCount | None = None
    carer_history: CarerHistory | None = None


class AudienceFile(_Strict):
    about: Text
    child_below_years: Annotated[float, Field(gt=0.0, le=18.0)]
    older_from_years: Annotated[float, Field(ge=50.0, le=120.0)]
    note: Text | None = None


class OtherLanguagesFile(_Strict):
    about: Text
    words: dict[str, Words]


class JargonFile(_Strict):
    about: Text
    words: Words
    allowed_phrases: list[Text] = []


class Loose(BaseModel):
    """A sentence table: checked for the same keys in every language."""

    model_config = ConfigDict(extra="allow", frozen=True)
    about: Text


_PER_LANGUAGE: dict[str, type[BaseModel]] = {
    "lexicon.json": LexiconFile,
    "context.json": ContextFile,
    "outside_terms.json": OutsideFile,
    "red_flag_phrases.json": PhrasesFile,
    "quantities.json": QuantitiesFile,
    "jargon.json": JargonFile,
    "answers.json": Loose,
    "interview.json": Loose,
    "ui.json": Loose,
}
_SHARED: dict[str, type[BaseModel]] = {
    "quantities.json": CommonQuantitiesFile,
    "audience.json": AudienceFile,
    "other_languages.json": OtherLanguagesFile,
}
_SAME_KEYS = ("answers.json", "interview.json", "ui.json")


def _load(
    node: Node, name: str, label: str, model: type[BaseModel], errors: list[KnowledgeError]
) -> Any:
    try:
        doc = read_json(node, name, label=label)
    except KnowledgeError as exc:
        errors.append(exc)
        return None
    try:
        model.model_validate(doc)
    except ValidationError as exc:
        for err in exc.errors():
            path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
            value = err.get("input")
            shown = value if isinstance(value, str | int | float | bool) else None
            errors.append(KnowledgeError(label, path, err["msg"], shown))
        return None
    return doc


def _keys(doc: Any, prefix: str = "") -> set[str]:
    out: set[str] = set()
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k in ("about", "lang"):
                continue
            out.add(prefix + k)
            if isinstance(v, dict):
                out |= _keys(v, prefix + k + ".")
    return out


class _Checker:
    def __init__(self, kb: KnowledgeBase, errors: list[KnowledgeError]) -> None:
        self.kb = kb
        self.errors = errors

    def bad(self, file: str, path: str, problem: str, value: object = None) -> None:
        self.errors.append(KnowledgeError(file, path, problem, value))

    def evidence(self, file: str, path: str, eid: str | None) -> Evidence | None:
        if eid is None:
            return None
        ev = self.kb.evidence_by_id.get(eid)
        if ev is None:
            self.bad(file, path, "no evidence has this id", eid)
        return ev

    def values(self, file: str, path: str, ev: Evidence | None, values: list[str]) -> None:
        if ev is None:
            return
        for j, v in enumerate(values):
            if v not in ev.choices:
                self.bad(file, f"{path}.values[{j}]", f"not a value of {ev.id}", v)

    def term(self, file: str, path: str, term: str, skip: frozenset[str]) -> None:
        if not [w for w in words(term) if w not in skip]:
            self.bad(file, path, "term has no word left once filler words go", term)


def _check_lexicon(c: _Checker, file: str, doc: dict[str, Any], skip: frozenset[str]) -> set[str]:
    kb = c.kb
    covered: set[str] = set()
    triggers = set(doc["triggers"])
    for i, e in enumerate(doc["entries"]):
        path = f"$.entries[{i}]"
        ev = c.evidence(file, f"{path}.evidence", e.get("evidence"))
        c.values(file, path, ev, e.get("values", []))
        if ev is not None:
            covered.add(ev.id)
            if ev.kind != "binary" and not e.get("values"):
                c.bad(file, f"{path}.values", f"{ev.id} needs values", None)
        need = e.get("needs")
        if need is not None and need not in triggers and need not in kb.evidence_by_id:
            c.bad(file, f"{path}.needs", "neither an evidence nor a trigger", need)
        for j, w in enumerate(e.get("with", [])):
            wev = c.evidence(file, f"{path}.with[{j}].evidence", w["evidence"])
            c.values(file, f"{path}.with[{j}]", wev, w.get("values", []))
            if wev is not None:
                covered.add(wev.id)
        for key in ("family", "family_mother"):
            for j, eid in enumerate(e.get(key, [])):
                if c.evidence(file, f"{path}.{key}[{j}]", eid) is not None:
                    covered.add(eid)
        for j, t in enumerate(e["terms"]):
            c.term(file, f"{path}.terms[{j}]", t, skip)
    located = [e for e in kb.evidences if "location" in e.roles or "radiation" in e.roles]
    places = set().union(*(set(e.values) for e in located)) if located else set()
    for i, loc in enumerate(doc["locations"]):
        for j, v in enumerate(loc["values"]):
            if v not in places:
                c.bad(file, f"$.locations[{i}].values[{j}]", "not a body location", v)
        for j, t in enumerate(loc["terms"]):
            c.term(file, f"$.locations[{i}].terms[{j}]", t, skip)
    if doc["locations"]:
        covered.update(e.id for e in located if "location" in e.roles)
        if doc["radiation_cues"]:
            covered.update(e.id for e in located if "radiation" in e.roles)
    return covered


def _check_shared_quantities(c: _Checker, doc: dict[str, Any] | None) -> None:
    if doc is None:
        return
    file = "language/quantities.json"
    low, high = doc["plausible_celsius"]
    bare = doc["bare_celsius"]
    if not low <= bare[0] <= bare[1] < high:
        c.bad(file, "$.bare_celsius", f"must be whole degrees inside {low}-{high}", bare)


def validate_language(kb: KnowledgeBase, directory: Node | None = None) -> list[KnowledgeError]:
    """Every problem in the language data (empty when it is valid); for the packaged data,
    also a phrase index not built from it (``tools/kb/build_language_index.py``)."""
    node = data_dir() if directory is None else directory
    errors: list[KnowledgeError] = []
    c = _Checker(kb, errors)
    shared = {
        name: _load(node, name, f"language/{name}", model, errors)
        for name, model in _SHARED.items()
    }
    _check_shared_quantities(c, shared["quantities.json"])
    keys: dict[str, dict[str, set[str]]] = {name: {} for name in _SAME_KEYS}
    concepts_needed = {
        clause.phrase
        for rule in kb.red_flags
        for part in rule.all_of
        for clause in part
        if clause.phrase is not None
    }
    for lang in LANGS:
        docs = {
            name: _load(node / lang, name, f"language/{lang}/{name}", model, errors)
            for name, model in _PER_LANGUAGE.items()
        }
        ctx = docs["context.json"]
        skip = frozenset(norm_word(w) for w in ctx["skip_words"]) if ctx else frozenset()
        lex = docs["lexicon.json"]
        file = f"language/{lang}/lexicon.json"
        if lex is not None:
            covered = _check_lexicon(c, file, lex, skip)
            for e in kb.evidences:
                if e.id not in covered:
                    c.bad(file, "$.entries", f"no {lang} words for evidence", e.id)
        if ctx is not None:
            for i, r in enumerate(ctx["rules"]):
                c.term(f"language/{lang}/context.json", f"$.rules[{i}].cue", r["cue"], skip)
        out = docs["outside_terms.json"]
        if out is not None:
            seen: set[str] = set()
            for i, t in enumerate(out["terms"]):
                if t in seen:
                    c.bad(
                        f"language/{lang}/outside_terms.json", f"$.terms[{i}]", "duplicate term", t
                    )
                seen.add(t)
        phrases = docs["red_flag_phrases.json"]
        if phrases is not None:
            for concept in sorted(concepts_needed - set(phrases["concepts"])):
                c.bad(
                    f"language/{lang}/red_flag_phrases.json",
                    "$.concepts",
                    "a red-flag rule names this phrase concept, which has no phrases here",
                    concept,
                )
        for name in _SAME_KEYS:
            if docs[name] is not None:
                keys[name][lang] = _keys(docs[name])
    for name, per in keys.items():
        union = set().union(*per.values()) if per else set()
        for lang, have in per.items():
            for missing in sorted(union - have):
                c.bad(f"language/{lang}/{name}", f"$.{missing}", "missing in this language", None)
    if directory is None:
        _check_index(c)
    return errors


def _check_index(c: _Checker) -> None:
    """The packaged phrase index is the one the packaged data gives (else it goes unused:
    correct, but every start builds the tries)."""
    for lang in LANGS:
        for problem in index.problems(lang):
            c.bad(
                f"language/compiled/{lang}.index",
                "$",
                f"{problem}: run tools/kb/build_language_index.py",
            )
