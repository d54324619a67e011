"""The packaged phrase index: what the data and the code give, and read the same way."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import symptomatic.language.parse as parse_module
from symptomatic._types import LANGS
from symptomatic.knowledge import load_knowledge
from symptomatic.language import _resources
from symptomatic.language._resources import load_language
from symptomatic.language._validate import validate_language
from symptomatic.language.parse import parse
from symptomatic.language.text import index, match

TOOL = Path(__file__).resolve().parents[2] / "tools" / "kb" / "build_language_index.py"


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location("build_language_index", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang", LANGS)
def test_the_packaged_index_is_what_a_build_gives(lang: str) -> None:
    # Stale data or a change to how the tries are built: run build_language_index.py.
    assert index.problems(lang) == []
    packaged = (Path(str(index.index_dir())) / f"{lang}.index").read_bytes()
    assert packaged == _tool().index_bytes(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_packaged_tries_are_the_tries_built_in_memory(lang: str) -> None:
    packaged = match.compiled(lang)
    built = match.build(load_language(lang))
    assert packaged.speller.vocab == built.speller.vocab
    assert match.vocabulary(lang) == built.speller.vocab
    for name in index.TRIES:
        lazy, plain = getattr(packaged, name), getattr(built, name)
        assert isinstance(lazy, index.LazyRoot)
        assert set(lazy) == set(plain)
        assert all(lazy[w] == plain[w] for w in plain), name
    assert (packaged.skip, packaged.stop, packaged.split) == (built.skip, built.stop, built.split)
    for letter in "abcdefghijklmnopqrstuvwxyz0é":
        assert packaged.speller._index(letter) == built.speller._index(letter), letter


def test_a_packaged_root_reads_as_a_dict() -> None:
    root = match.compiled("en").main
    assert isinstance(root, index.LazyRoot)
    assert "cough" in root and root["cough"] == root.load("cough")
    assert "qwxz" not in root and root.load("qwxz") is None
    with pytest.raises(KeyError):
        root["qwxz"]
    assert root.known["cough"] is root["cough"]


def test_a_lexicon_entry_is_read_back_whole() -> None:
    entries = load_language("en").lexicon.entries
    tries = match.compiled("en").main
    found = [
        payload
        for w in ("headache", "cough")
        for kind, payload in tries[w].get("\0", ())
        if kind == "lex"
    ]
    assert found and all(e in entries for e in found)


TEXTS = [
    ("en", "sore throat and a runny nose since Monday, no fever"),
    ("en", "I have a crushing chest pain spreading to my left arm and I'm sweaty"),
    ("en", "no cough, my chest is fine, but my head hurts. Temp 38.5 last night"),
    ("en", "my dad had a heart attack at 50; I get coughinf fits and wheezing"),
    ("en", "could it be the flu? I cannot stop shivering, pain is 7/10"),
    ("en", "sudden worst headache of my life, stiff neck, can't look at lights"),
    ("en", "my 7 week old baby is floppy and not feeding, rash that doesn't fade"),
    ("en", "I think my face is drooping and my speech is slurred"),
    ("fr", "j'ai mal à la gorge et le nez qui coule depuis lundi, pas de fièvre"),
    ("fr", "douleur thoracique qui serre et irradie dans le bras gauche"),
    ("fr", "ma mère a eu un cancer du sein ; est-ce que c'est grave ? je tousse"),
    ("fr", "mon fils de 2 ans a de la fievre a 39,5 et une eruption"),
    ("fr", "pas de toux mais des maux de tête depuis trois jours"),
    (None, "fever cough"),
    (None, "fièvre toux"),
]


def test_a_parse_reads_the_same_with_the_packaged_index_or_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = load_knowledge()
    packaged = [parse(kb, text, lang=lang) for lang, text in TEXTS]
    assert any(r.findings for r in packaged) and any(r.said for r in packaged)
    built = {lang: match.build(load_language(lang)) for lang in LANGS}
    monkeypatch.setattr(parse_module, "compiled", built.__getitem__)
    monkeypatch.setattr(match, "_packaged", lambda lang: None)
    match.vocabulary.cache_clear()
    try:
        in_memory = [parse(kb, text, lang=lang) for lang, text in TEXTS]
    finally:
        match.vocabulary.cache_clear()
    assert in_memory == packaged


def test_an_index_built_from_other_data_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    real = index.source_hashes

    def edited(lang: str, directory: Any = None) -> tuple[tuple[str, str], ...]:
        return tuple((n, "0" * 64 if n == "lexicon.json" else h) for n, h in real(lang))

    monkeypatch.setattr(index, "source_hashes", edited)
    assert index.load("en") is None
    assert index.problems("en") == ["built from another lexicon.json"]
    stale = [e.file for e in validate_language(load_knowledge()) if "compiled" in e.file]
    assert stale == [f"language/compiled/{lang}.index" for lang in LANGS]


def test_a_missing_or_unreadable_index_is_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "en.index").write_bytes(b"not marshal")
    monkeypatch.setattr(index, "index_dir", lambda: tmp_path)
    for lang in LANGS:
        assert index.load(lang) is None
        assert index.problems(lang) == [f"missing or unreadable (format {index.FORMAT} expected)"]


def test_without_an_index_the_tries_are_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match, "_packaged", lambda lang: None)
    match.compiled.cache_clear()
    try:
        comp = match.compiled("en")
        assert isinstance(comp.main, dict)
        assert "cough" in comp.main
    finally:
        match.compiled.cache_clear()


def test_the_text_path_does_not_read_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = _resources.read_language_file

    def spy(lang: str, name: str, directory: Any = None) -> Any:
        read.append(name)
        return real(lang, name, directory)

    monkeypatch.setattr(_resources, "read_language_file", spy)
    monkeypatch.setattr(_resources, "_cache", {})
    monkeypatch.setattr(_resources, "_parts", {})
    match.compiled.cache_clear()
    try:
        parse(load_knowledge(), "a dry cough and a headache since yesterday", lang="en")
    finally:
        match.compiled.cache_clear()
    assert "lexicon.json" not in read
    assert "context.json" in read
