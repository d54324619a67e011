"""Text is made safe to read first, and spans still point at what the person wrote."""

from __future__ import annotations

import unicodedata

import pytest

from symptomatic import Checker, TextInputError
from symptomatic.language.text.normalise import normalise


def test_decomposed_french_is_composed() -> None:
    nfd = unicodedata.normalize("NFD", "j'ai de la fièvre")
    assert normalise(nfd).text == "j'ai de la fièvre"


def test_hidden_characters_are_dropped_and_spans_map_back() -> None:
    text = "fe\u200bver and a c\u00adough"
    n = normalise(text)
    assert n.text == "fever and a cough"
    start = n.text.index("cough")
    a, b = n.span(start, start + 5)
    assert text[a:b] == "c\u00adough"


def test_compatibility_forms_and_spaces() -> None:
    assert normalise("ｆｅｖｅｒ\u00a0and ﬁne").text == "fever and fine"
    assert normalise("I can\u2019t breathe").text == "I can't breathe"


def test_control_characters_are_dropped() -> None:
    assert normalise("fever\x00\x07 cough\n").text == "fever cough\n"


def test_lone_surrogate_is_refused() -> None:
    with pytest.raises(TextInputError, match="lone surrogate"):
        normalise("fever\ud800")


@pytest.mark.parametrize(
    "text",
    [
        unicodedata.normalize("NFD", "je fais un AVC, j'ai la bouche de travers"),
        "I want to k\u200bill myself",
        "I\u2019m having a stroke",
    ],
)
def test_red_flags_survive_odd_unicode(checker: Checker, text: str) -> None:
    result = checker.check(text=text)
    assert result.triage.level == "emergency_ambulance", result.triage.codes


def test_spans_index_the_original_text(checker: Checker) -> None:
    text = unicodedata.normalize("NFD", "forte fièvre et toux")
    result = checker.check(text=text, lang="fr")
    for f in result.findings:
        if f.span is not None:
            assert text[f.span[0] : f.span[1]] == f.text
    assert any(f.evidence == "fever" for f in result.findings)
