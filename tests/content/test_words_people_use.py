"""The kinds of miss seen on blind lay descriptions (the "Words" issue), one test each."""

from __future__ import annotations

import unicodedata

import pytest

from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.language.parse import parse


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def read(kb: KnowledgeBase, text: str, lang: str = "en") -> set[tuple[str, str]]:
    return {(f.evidence, f.status) for f in parse(kb, text, lang=lang).findings}


def places(kb: KnowledgeBase, text: str, lang: str = "en") -> dict[str, str]:
    return {
        f.value: f.status
        for f in parse(kb, text, lang=lang).findings
        if f.evidence == "pain-location" and f.value
    }


@pytest.mark.parametrize(
    ("text", "lang", "want"),
    [
        ("my cough sounds like a seal barking", "en", "barking-cough"),  # by its sound
        ("I'm coughing up green phlegm", "en", "colored-phlegm"),  # by its colour
        ("it burns when I pee", "en", "painful-urination"),  # everyday words
        ("ça me brûle quand je fais pipi", "fr", "painful-urination"),
        (
            "pain in my cheeks and forehead, worse when I bend forward",
            "en",
            "pain-worse-with-movement",
        ),
        ("temperature 38.6", "en", "fever"),  # a bare temperature, no unit
        ("j'ai 38,9", "fr", "fever"),
    ],
)
def test_everyday_descriptions_are_read(kb: KnowledgeBase, text: str, lang: str, want: str) -> None:
    assert (want, "present") in read(kb, text, lang)


@pytest.mark.parametrize(
    ("text", "lang", "part"),
    [
        ("my hand is swollen and throbbing", "en", "hand"),
        ("my knee is red and swollen and so painful", "en", "knee"),
        ("j'ai le genou gonflé et ça fait très mal", "fr", "knee"),
    ],
)
def test_a_place_said_of_a_swelling_is_where_the_pain_of_its_clause_is(
    kb: KnowledgeBase, text: str, lang: str, part: str
) -> None:
    got = places(kb, text, lang)
    assert got and all(part in v and s == "present" for v, s in got.items()), got


def test_a_pain_with_a_place_of_its_own_does_not_take_another(kb: KnowledgeBase) -> None:
    got = places(kb, "a rash on my arm and my head hurts")
    assert got and not any("arm" in v for v in got), got


def test_sinus_pain_by_where_it_hurts(kb: KnowledgeBase) -> None:
    got = places(kb, "pain in my cheeks and forehead, worse when I bend forward")
    assert {"forehead", "left-cheek", "right-cheek"} <= set(got)


def test_baby_age_in_weeks(kb: KnowledgeBase) -> None:
    result = parse(kb, "my 7 week old is very hot, 38.2", lang="en")
    assert result.age_in_text is not None and result.age_in_text < 0.25
    assert ("fever", "present") in {(f.evidence, f.status) for f in result.findings}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("could it be the flu?", "en"),
        ("is this covid?", "en"),
        ("est-ce que c'est la grippe ?", "fr"),
    ],
)
def test_a_question_about_a_condition_is_not_having_it(
    kb: KnowledgeBase, text: str, lang: str
) -> None:
    assert not {e for e, s in read(kb, text, lang) if s == "present"}


@pytest.mark.parametrize(
    ("text", "lang", "asthma"),
    [
        # The question is the tokens' clause: a decimal point does not end it.
        ("Do I have covid with a temp of 38.5 and my asthma", "en", False),
        ("Do I have covid with a temp of 38 and my asthma", "en", False),
        ("asthma?", "en", False),
        ("c'est de l'asthme ?", "fr", False),
        # A question in another clause leaves a history said plainly alone.
        ("could it be the flu? I had asthma as a child", "en", True),
        ("I had asthma; could it be covid", "en", True),
        ("est-ce que c'est la grippe ? j'ai de l'asthme", "fr", True),
    ],
)
def test_a_question_drops_the_illness_of_its_own_clause(
    kb: KnowledgeBase, text: str, lang: str, asthma: bool
) -> None:
    assert (("asthma", "present") in read(kb, text, lang)) is asthma


@pytest.mark.parametrize(
    ("text", "lang", "overdose"),
    [
        ("I took 12 paracetamol today, is that bad?", "en", True),
        ("j'ai pris 10 doliprane 1000 sur la journée, c'est grave ?", "fr", True),
        ("I take 2 paracetamol a day, is that ok?", "en", False),
    ],
)
def test_a_count_stated_before_a_question_still_counts(
    kb: KnowledgeBase, text: str, lang: str, overdose: bool
) -> None:
    """What a number states is not named in the question that follows it."""
    assert (("overdose", "present") in read(kb, text, lang)) is overdose


@pytest.mark.parametrize(
    ("text", "lang"),
    [("my chest is fine, my throat hurts", "en"), ("la poitrine ça va, j'ai mal à la gorge", "fr")],
)
def test_parts_said_to_be_fine_are_not_affected(kb: KnowledgeBase, text: str, lang: str) -> None:
    got = places(kb, text, lang)
    chest = [v for v in got if "chest" in v]
    assert chest and all(got[v] == "absent" for v in chest)
    assert any("throat" in v and s == "present" for v, s in got.items())


@pytest.mark.parametrize(
    "text",
    [
        "bright light doesn't bother me",
        "there's some stickiness on the table",
        "the baby is crying because she is hungry",
        "I'm drinking water and resting",
    ],
)
def test_everyday_words_are_not_symptoms(kb: KnowledgeBase, text: str) -> None:
    assert not {e for e, s in read(kb, text) if s == "present"}


def test_not_travelled_is_no_travel(kb: KnowledgeBase) -> None:
    got = {(f.evidence, f.status, f.value) for f in parse(kb, "I have not travelled").findings}
    assert not any(
        e == "travel-abroad" and s == "present" and v not in (None, "no") for e, s, v in got
    )


def test_decomposed_french_keeps_accented_words_and_red_flags(kb: KnowledgeBase) -> None:
    text = unicodedata.normalize("NFD", "j'ai de la fièvre et une raideur de la nuque")
    got = read(kb, text, "fr")
    assert {("fever", "present"), ("stiff-neck", "present")} <= got


def test_a_zero_width_space_does_not_hide_a_word(kb: KnowledgeBase) -> None:
    assert ("fever", "present") in read(kb, "I have a fe\u200bver")
