"""Words and clauses: what every matcher reads."""

from __future__ import annotations

from dataclasses import replace

from symptomatic.knowledge import load_knowledge
from symptomatic.language._resources import LexEntry, load_language
from symptomatic.language.parse import parse
from symptomatic.language.text import match
from symptomatic.language.text.match import compiled
from symptomatic.language.text.tokens import tokenize


def test_split_words_come_from_the_language_data() -> None:
    assert compiled("en").split == {"cannot": ("can", "t")}
    assert compiled("fr").split == {}


def test_a_split_word_is_read_as_its_parts() -> None:
    text = "well, cannot walk"
    plain = tokenize(text)
    assert [t.norm for t in plain] == ["well", "cannot", "walk"]
    toks = tokenize(text, split=compiled("en").split)
    assert [t.norm for t in toks] == ["well", "can", "t", "walk"]
    start = text.index("cannot")
    assert [(t.start, t.end) for t in toks[1:3]] == [(start, start + 6)] * 2
    assert [t.comma_before for t in toks] == [False, True, False, False]
    assert [t.position for t in toks] == [0, 1, 2, 3]


def test_cannot_reads_as_can_t() -> None:
    kb = load_knowledge()
    said = {
        (f.evidence, f.status) for f in parse(kb, "I can't walk as far before it starts").findings
    }
    assert said and said == {
        (f.evidence, f.status) for f in parse(kb, "I cannot walk as far before it starts").findings
    }


def test_a_phrase_written_with_a_split_word_matches() -> None:
    data = load_language("en")
    entry = LexEntry(evidence="cough", values=(), terms=("cannot stop hacking",))
    lexicon = replace(data.lexicon, entries=(*data.lexicon.entries, entry))
    tries, _ = match.build_tries(replace(data, lexicon=lexicon))
    assert ("lex", entry) in tries["main"]["can"]["t"]["stop"]["hacking"]["\0"]
