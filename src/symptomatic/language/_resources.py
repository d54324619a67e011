"""The language data, typed and loaded once per language.

Every language has a folder ``symptomatic/language/data/<lang>/``: ``lexicon.json``
(everyday words for the knowledge base's evidences and body locations), ``context.json``
(negation, uncertainty, history, family and hypothetical cues, medspacy-style),
``quantities.json`` (number, duration, temperature, age and side words),
``outside_terms.json`` (symptoms the knowledge base does not model),
``red_flag_phrases.json`` (phrase concepts the red-flag rules name), and, for the answers,
``answers.json``, ``interview.json``, ``jargon.json`` and ``ui.json``. Shared numbers sit
in ``data/quantities.json``. A new language is a new folder. Files are read with the one
JSON reader (:mod:`symptomatic.knowledge._io`); the schema and the checks against the
knowledge base live in :mod:`symptomatic.language._validate`. Reading text needs only the
context and quantity words (:func:`load_context`, :func:`load_quantities`): its phrases and
lexicon entries come from the packaged phrase index (:mod:`~.text.index`), so the lexicon,
most of the data, is read only by :func:`load_language`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from symptomatic._errors import InputError, KnowledgeError
from symptomatic._types import LANGS
from symptomatic.knowledge._io import Node, package_dir, read_json

__all__ = [
    "Context",
    "ContextRule",
    "Implied",
    "LanguageData",
    "LexEntry",
    "Lexicon",
    "Location",
    "Quantities",
    "RelativeAge",
    "check_lang",
    "data_dir",
    "load_context",
    "load_language",
    "load_quantities",
    "read_language_file",
]


def data_dir() -> Node:
    return package_dir("symptomatic.language", "data")


def check_lang(lang: object, *, field: str = "lang") -> str:
    """``lang`` if it is a supported language; :class:`InputError` otherwise."""
    if lang not in LANGS:
        raise InputError(field, f"must be one of {', '.join(LANGS)}", lang, LANGS)
    return str(lang)


def read_language_file(lang: str, name: str, directory: Node | None = None) -> Any:
    """``data/<lang>/<name>`` parsed (errors name the file)."""
    base = data_dir() if directory is None else directory
    return read_json(base / lang, name, label=f"language/{lang}/{name}")


@dataclass(frozen=True, slots=True)
class Implied:
    """A finding an entry implies: an evidence, with values for a multi-choice one."""

    evidence: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LexEntry:
    """Words that mean one evidence (with values), under an optional condition (``needs``:
    an evidence present, or a trigger, in the same clause)."""

    evidence: str | None
    values: tuple[str, ...]
    terms: tuple[str, ...]
    needs: str | None = None
    with_: tuple[Implied, ...] = ()
    family: tuple[str, ...] = ()
    family_mother: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Location:
    values: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    entries: tuple[LexEntry, ...]
    locations: tuple[Location, ...]
    radiation_cues: tuple[str, ...]
    triggers: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class ContextRule:
    cue: str
    category: str
    direction: str


@dataclass(frozen=True, slots=True)
class Context:
    rules: tuple[ContextRule, ...]
    relatives: Mapping[str, tuple[str, ...]]
    pseudo: tuple[str, ...]
    terminate: tuple[str, ...]
    or_words: tuple[str, ...]
    skip_words: tuple[str, ...]
    stop_words: tuple[str, ...]
    worry: tuple[str, ...]
    question_cues: tuple[str, ...]
    split_words: Mapping[str, tuple[str, ...]]  # "cannot" -> ("can", "t")


@dataclass(frozen=True, slots=True)
class RelativeAge:
    """The words that say a relative is named with their age ("my mum (83)", "mon père de
    81 ans"): such a relative is the person described, not family history."""

    between: tuple[str, ...] = ()  # may stand between the relative and the number
    numbers: tuple[str, ...] = ()  # spelled tens ("eighty"), with the number words
    units: tuple[str, ...] = ()  # "years old", "ans"
    not_after: tuple[str, ...] = ()  # after the unit, a time: "2 years ago"
    onset: tuple[str, ...] = ()  # before the number, as written: the age at an event


@dataclass(frozen=True, slots=True)
class Quantities:
    """Number, duration, temperature, age and side words, and the shared numbers."""

    fever_from: float
    plausible: tuple[float, float]
    bare_celsius: tuple[int, int]  # whole degrees a bare decimal is a temperature in
    number_words: Mapping[str, float]
    unit_days: Mapping[str, float]
    duration_cues: tuple[str, ...]
    duration_fillers: tuple[str, ...]
    since_cues: tuple[str, ...]
    since_when: Mapping[str, float | None]
    temperature_words: tuple[str, ...]
    temperature_after: tuple[str, ...]
    degree_words: tuple[str, ...]  # "degrees"
    celsius_words: tuple[str, ...]  # "c", "celsius"
    fahrenheit_words: tuple[str, ...]  # "f", "fahrenheit"
    out_of_ten: tuple[str, ...]
    infant_units: Mapping[str, float]
    infant_old: tuple[str, ...]
    infant_nouns: tuple[str, ...]
    infant_of: tuple[str, ...]
    age_words: Mapping[str, float]
    relative_age: RelativeAge
    sides: Mapping[str, tuple[str, ...]]
    pill_words: tuple[str, ...] = ()
    not_a_count: tuple[str, ...] = ()  # after a number: a dose or a frequency ("500 mg")
    pill_evidence: str | None = None  # the evidence a large count of pills says
    pill_count_at_least: int = 0
    carer_history: frozenset[str] = frozenset()  # history said of a relative: the patient's


@dataclass(frozen=True, slots=True)
class LanguageData:
    """Everything :func:`symptomatic.language.parse.parse` needs for one language."""

    lang: str
    lexicon: Lexicon
    context: Context
    quantities: Quantities
    outside_terms: tuple[str, ...]
    phrases: Mapping[str, tuple[str, ...]]  # red-flag phrase concept -> phrases


def _implied(items: Any) -> tuple[Implied, ...]:
    return tuple(Implied(i["evidence"], tuple(i.get("values", ()))) for i in items or ())


def _lexicon(doc: Mapping[str, Any]) -> Lexicon:
    return Lexicon(
        entries=tuple(
            LexEntry(
                evidence=e.get("evidence"),
                values=tuple(e.get("values", ())),
                terms=tuple(e["terms"]),
                needs=e.get("needs"),
                with_=_implied(e.get("with")),
                family=tuple(e.get("family", ())),
                family_mother=tuple(e.get("family_mother", ())),
            )
            for e in doc["entries"]
        ),
        locations=tuple(
            Location(tuple(x["values"]), tuple(x["terms"])) for x in doc.get("locations", ())
        ),
        radiation_cues=tuple(doc.get("radiation_cues", ())),
        triggers={k: tuple(v) for k, v in doc.get("triggers", {}).items()},
    )


def _context(doc: Mapping[str, Any]) -> Context:
    # "X is fine / normal" says X is not there (a cue after X). Question cues ("could it
    # be", "I'm scared it's") have their own trie, every word kept (match.compiled).
    rules = [ContextRule(r["cue"], r["category"], r["direction"]) for r in doc["rules"]]
    rules += [ContextRule(w, "negated", "backward") for w in doc.get("fine_words", ())]
    return Context(
        rules=tuple(rules),
        relatives={k: tuple(v) for k, v in doc.get("relatives", {}).items()},
        pseudo=tuple(doc.get("pseudo", ())),
        terminate=tuple(doc.get("terminate", ())),
        or_words=tuple(doc.get("or_words", ())),
        skip_words=tuple(doc.get("skip_words", ())),
        stop_words=tuple(doc.get("stop_words", ())),
        worry=tuple(doc.get("worry", ())),
        question_cues=tuple(doc.get("question_cues", ())),
        split_words={k: tuple(v) for k, v in doc.get("split_words", {}).items()},
    )


def _relative_age(doc: Mapping[str, Any]) -> RelativeAge:
    return RelativeAge(
        between=tuple(doc.get("between", ())),
        numbers=tuple(doc.get("numbers", ())),
        units=tuple(doc.get("units", ())),
        not_after=tuple(doc.get("not_after", ())),
        onset=tuple(doc.get("onset", ())),
    )


def _quantities(common: Mapping[str, Any], doc: Mapping[str, Any]) -> Quantities:
    return Quantities(
        fever_from=float(common["fever_from_celsius"]),
        plausible=(float(common["plausible_celsius"][0]), float(common["plausible_celsius"][1])),
        bare_celsius=(int(common["bare_celsius"][0]), int(common["bare_celsius"][1])),
        number_words={k.lower(): float(v) for k, v in doc["number_words"].items()},
        unit_days={k.lower(): float(v) for k, v in doc["unit_days"].items()},
        duration_cues=tuple(doc["duration_cues"]),
        duration_fillers=tuple(doc.get("duration_fillers", ())),
        since_cues=tuple(doc.get("since_cues", ())),
        since_when={k.lower(): v for k, v in doc.get("since_when", {}).items()},
        temperature_words=tuple(doc["temperature_words"]),
        temperature_after=tuple(doc.get("temperature_after", ())),
        degree_words=tuple(doc["temperature_units"]["degrees"]),
        celsius_words=tuple(doc["temperature_units"]["celsius"]),
        fahrenheit_words=tuple(doc["temperature_units"]["fahrenheit"]),
        out_of_ten=tuple(doc["out_of_ten"]),
        infant_units={k.lower(): float(v) for k, v in doc.get("infant_units", {}).items()},
        infant_old=tuple(doc.get("infant_old", ())),
        infant_nouns=tuple(doc.get("infant_nouns", ())),
        infant_of=tuple(doc.get("infant_of", ())),
        age_words={k.lower(): float(v) for k, v in doc.get("age_words", {}).items()},
        relative_age=_relative_age(doc.get("relative_age", {})),
        sides={k: tuple(v) for k, v in doc.get("sides", {}).items()},
        pill_words=tuple(doc.get("pill_words", ())),
        not_a_count=tuple(doc.get("not_a_count", ())),
        pill_evidence=common.get("pill_count", {}).get("evidence"),
        pill_count_at_least=int(common.get("pill_count", {}).get("at_least", 0)),
        carer_history=frozenset(common.get("carer_history", {}).get("evidences", ())),
    )


def _malformed(lang: str, exc: Exception) -> KnowledgeError:
    return KnowledgeError(
        f"language data ({lang})", "$", f"missing or malformed entry {exc}; run validation"
    )


def _read_context(lang: str, base: Node) -> Context:
    return _context(read_language_file(lang, "context.json", base))


def _read_quantities(lang: str, base: Node) -> Quantities:
    return _quantities(
        read_json(base, "quantities.json", label="language/quantities.json"),
        read_language_file(lang, "quantities.json", base),
    )


def build(lang: str, directory: Node | None = None) -> LanguageData:
    """Read one language's data (no validation: see :mod:`symptomatic.language._validate`)."""
    base = data_dir() if directory is None else directory
    try:
        return LanguageData(
            lang=lang,
            lexicon=_lexicon(read_language_file(lang, "lexicon.json", base)),
            context=_read_context(lang, base),
            quantities=_read_quantities(lang, base),
            outside_terms=tuple(read_language_file(lang, "outside_terms.json", base)["terms"]),
            phrases={
                k: tuple(v)
                for k, v in read_language_file(lang, "red_flag_phrases.json", base)[
                    "concepts"
                ].items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _malformed(lang, exc) from None


_cache: dict[tuple[str, str], LanguageData] = {}
_parts: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def load_language(lang: str, directory: str | Path | None = None) -> LanguageData:
    """The language data for ``lang``, loaded once per directory."""
    check_lang(lang)
    key = (lang, "<package>" if directory is None else str(Path(directory).resolve()))
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = build(lang, None if directory is None else Path(directory))
            _cache[key] = cached
        return cached


def _part(lang: str, name: str) -> Any:
    """One part of the packaged ``lang`` data, without reading the rest (the lexicon is most
    of it): the part of :func:`load_language`'s data when that is loaded already."""
    part = _parts.get((lang, name))
    if part is not None:
        return part
    check_lang(lang)
    with _lock:
        part = _parts.get((lang, name))
        if part is None:
            whole = _cache.get((lang, "<package>"))
            read = _read_context if name == "context" else _read_quantities
            try:
                part = getattr(whole, name) if whole is not None else read(lang, data_dir())
            except (KeyError, TypeError, ValueError) as exc:
                raise _malformed(lang, exc) from None
            _parts[(lang, name)] = part
        return part


def load_context(lang: str) -> Context:
    """The packaged context words of ``lang`` (:attr:`LanguageData.context`)."""
    return cast(Context, _part(lang, "context"))


def load_quantities(lang: str) -> Quantities:
    """The packaged quantity words of ``lang`` (:attr:`LanguageData.quantities`)."""
    return cast(Quantities, _part(lang, "quantities"))
