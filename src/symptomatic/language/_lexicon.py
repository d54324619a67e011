"""Typed, read-only view of the language data files, and their loader.

The files live in ``symptomatic/language/data``: ``lexicon_<lang>.json`` (everyday words for
evidences and body locations), ``context_<lang>.json`` (negation, uncertainty, history,
family and hypothetical cues, medspacy-style), ``outside_terms_<lang>.json`` (real symptoms
the knowledge base does not model) and ``red_flags_text.json`` (red flags in words). The
loader uses only ``json`` and dataclasses and caches each language once; the schema and the
cross-checks against the knowledge base live in :mod:`symptomatic.language._validate`.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from symptomatic._errors import KnowledgeError
from symptomatic.knowledge._model import LANGS

CATEGORIES = ("negated", "possible", "historical", "family", "hypothetical")
DIRECTIONS = ("forward", "backward", "bidirectional")

_WORD = re.compile(r"[^\W_]+")


def norm_word(word: str) -> str:
    """Lower case, accents and ligatures removed: the form every match uses."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (apostrophes and hyphens split words)."""
    return [norm_word(m.group()) for m in _WORD.finditer(text)]


@dataclass(frozen=True, slots=True)
class Implied:
    """A finding an entry implies: an evidence, with values for a multi-choice one."""

    evidence: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LexEntry:
    """Words that mean one evidence (with values), under an optional condition."""

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
class ContextRule:
    cue: str
    category: str
    direction: str


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: str
    entries: tuple[LexEntry, ...]
    locations: tuple[Location, ...]
    radiation_cues: tuple[str, ...]
    triggers: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Context:
    lang: str
    rules: tuple[ContextRule, ...]
    relatives: Mapping[str, tuple[str, ...]]
    pseudo: tuple[str, ...]
    terminate: tuple[str, ...]
    or_words: tuple[str, ...]
    skip_words: frozenset[str]
    stop_words: frozenset[str]
    worry: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RedFlagGroup:
    """One condition of a text red flag: phrases per language, evidences, or an age."""

    phrases: Mapping[str, tuple[str, ...]]
    evidences: tuple[Implied, ...] = ()
    age_below_years: float | None = None


@dataclass(frozen=True, slots=True)
class TextRedFlagRule:
    id: str
    level: str
    reason: Mapping[str, str]
    source: str
    all_of: tuple[RedFlagGroup, ...]


@dataclass(frozen=True, slots=True)
class LanguageData:
    """Everything :func:`symptomatic.language.parse.parse` needs for one language."""

    lexicon: Lexicon
    context: Context
    outside_terms: tuple[str, ...]
    red_flags: tuple[TextRedFlagRule, ...]


def data_dir() -> Traversable:
    return resources.files("symptomatic.language") / "data"


def read_json(directory: Traversable | Path, name: str) -> Any:
    node = directory / name
    try:
        raw = node.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(name, "$", "file is missing") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError(name, "$", f"not valid UTF-8 JSON: {exc}") from None


def _implied(items: Any) -> tuple[Implied, ...]:
    return tuple(Implied(i["evidence"], tuple(i.get("values", ()))) for i in items or ())


def build_lexicon(doc: Mapping[str, Any]) -> Lexicon:
    entries = tuple(
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
    )
    return Lexicon(
        lang=doc["lang"],
        entries=entries,
        locations=tuple(
            Location(tuple(x["values"]), tuple(x["terms"])) for x in doc.get("locations", ())
        ),
        radiation_cues=tuple(doc.get("radiation_cues", ())),
        triggers={k: tuple(v) for k, v in doc.get("triggers", {}).items()},
    )


def build_context(doc: Mapping[str, Any]) -> Context:
    return Context(
        lang=doc["lang"],
        rules=tuple(ContextRule(r["cue"], r["category"], r["direction"]) for r in doc["rules"]),
        relatives={k: tuple(v) for k, v in doc.get("relatives", {}).items()},
        pseudo=tuple(doc.get("pseudo", ())),
        terminate=tuple(doc.get("terminate", ())),
        or_words=tuple(doc.get("or_words", ())),
        skip_words=frozenset(norm_word(w) for w in doc.get("skip_words", ())),
        stop_words=frozenset(norm_word(w) for w in doc.get("stop_words", ())),
        worry=tuple(doc.get("worry", ())),
    )


def build_red_flags(doc: Mapping[str, Any]) -> tuple[TextRedFlagRule, ...]:
    return tuple(
        TextRedFlagRule(
            id=r["id"],
            level=r["level"],
            reason=dict(r["reason"]),
            source=r["source"],
            all_of=tuple(
                RedFlagGroup(
                    phrases={lang: tuple(g.get(lang, ())) for lang in LANGS},
                    evidences=_implied(g.get("evidences")),
                    age_below_years=g.get("age_below_years"),
                )
                for g in r["all_of"]
            ),
        )
        for r in doc["rules"]
    )


def build(directory: Traversable | Path, lang: str) -> LanguageData:
    """Read one language's data from ``directory`` (no validation: see ``_validate``)."""
    try:
        return LanguageData(
            lexicon=build_lexicon(read_json(directory, f"lexicon_{lang}.json")),
            context=build_context(read_json(directory, f"context_{lang}.json")),
            outside_terms=tuple(read_json(directory, f"outside_terms_{lang}.json")["terms"]),
            red_flags=build_red_flags(read_json(directory, "red_flags_text.json")),
        )
    except (KeyError, TypeError) as exc:
        raise KnowledgeError(
            f"language data ({lang})", "$", f"missing or malformed entry {exc}; run validation"
        ) from None


_cache: dict[tuple[str, str], LanguageData] = {}
_lock = threading.Lock()


def load_language(lang: str, directory: str | Path | None = None) -> LanguageData:
    """The language data for ``lang`` ("en" or "fr"), loaded once per directory."""
    key = (lang, "<package>" if directory is None else str(Path(directory).resolve()))
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            cached = build(data_dir() if directory is None else Path(directory), lang)
            _cache[key] = cached
        return cached


def text_red_flag_rule(rule_id: str) -> TextRedFlagRule | None:
    """The packaged text red-flag rule with this id, if there is one."""
    for rule in load_language("en").red_flags:
        if rule.id == rule_id:
            return rule
    return None
