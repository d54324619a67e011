"""parse(): everyday English and French to findings, red flags and outside terms."""

from __future__ import annotations

import subprocess
import sys

import pytest

from symptomatic import Checker, TextInputError
from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.language.parse import ParseResult, parse

HEAD = {
    ("pain-location", "forehead"),
    ("pain-location", "right-temple"),
    ("pain-location", "left-temple"),
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def got(r: ParseResult) -> set[tuple[str, str, str | None]]:
    return {(f.evidence, f.status, f.value) for f in r.findings}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no fever", {("fever", "absent", None)}),
        ("not really coughing", {("cough", "absent", None)}),
        ("I don't have a cough", {("cough", "absent", None)}),
        ("fever ruled out; cough", {("fever", "absent", None), ("cough", "present", None)}),
        (
            "no fever, cough or chills",
            {("fever", "absent", None), ("cough", "absent", None), ("chills", "absent", None)},
        ),
        ("no fever but a bad cough", {("fever", "absent", None), ("cough", "present", None)}),
        ("not only a cough but a fever", {("cough", "present", None), ("fever", "present", None)}),
        ("je n'ai pas de fièvre", {("fever", "absent", None)}),
        ("je ne tousse pas", {("cough", "absent", None)}),
        ("fièvre exclue, mais toux", {("fever", "absent", None), ("cough", "present", None)}),
    ],
)
def test_negation(kb: KnowledgeBase, text: str, expected: set[tuple[str, str, None]]) -> None:
    assert got(parse(kb, text)) == expected


def test_uncertainty_is_unknown(kb: KnowledgeBase) -> None:
    # DDXPlus has no degree of certainty: an uncertain symptom is left for the interview.
    assert got(parse(kb, "maybe a bit feverish")) == {("fever", "unknown", None)}
    assert got(parse(kb, "I think I have a fever")) == {("fever", "unknown", None)}
    assert got(parse(kb, "j'ai peut-être de la fièvre")) == {("fever", "unknown", None)}


def test_history_and_family(kb: KnowledgeBase) -> None:
    assert got(parse(kb, "I had asthma as a child")) == {("asthma", "present", None)}
    assert got(parse(kb, "my mother has diabetes")) == set()  # never the person's own
    assert ("family-asthma", "present", None) in got(parse(kb, "my sister has asthma"))
    assert ("diabetes", "present", None) not in got(parse(kb, "my dad has diabetes"))
    assert got(parse(kb, "my grandfather had a heart attack")) == {
        ("family-early-heart-disease", "present", None)
    }
    assert got(parse(kb, "lung cancer runs in my family")) == {
        ("family-lung-cancer", "present", None)
    }
    assert got(parse(kb, "if I get a fever, should I come in?")) == set()


def test_a_relatives_current_state_is_the_patients(kb: KnowledgeBase) -> None:
    # A carer writing: what a relative has or takes now is the patient's.
    assert got(parse(kb, "Dad's on apixaban")) == {("blood-thinners", "present", None)}
    assert got(parse(kb, "my dad is grey and sweaty")) == {
        ("pale-skin", "present", None),
        ("sweating", "present", None),
    }


def test_a_place_belongs_to_a_pain_of_its_own_clause(kb: KnowledgeBase) -> None:
    assert got(parse(kb, "pain. my knee")) == {("pain", "present", None)}
    assert ("pain-location", "present", "left-knee") in got(parse(kb, "my knee is painful"))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A relative named with an age is the person described (a carer writing).
        ("my mum (83) has diabetes", "en", {("diabetes", "present", None)}),
        ("my dad is 79 and has diabetes", "en", {("diabetes", "present", None)}),
        ("my mum, aged 80, has diabetes", "en", {("diabetes", "present", None)}),
        ("my nan is eighty four years old and has diabetes", "en", {("diabetes", "present", None)}),
        ("mon père de 81 ans a du diabète", "fr", {("diabetes", "present", None)}),
        ("ma mère (83 ans) a du diabète", "fr", {("diabetes", "present", None)}),
        ("mon père a 81 ans et a du diabète", "fr", {("diabetes", "present", None)}),
        (
            "ma grand-mère de huitante-quatre ans a du diabète",
            "fr",
            {("diabetes", "present", None)},
        ),
        # A time, or the age at an event, does not name the person: family history.
        ("my mother 2 years ago had diabetes", "en", set()),
        ("my mother 2 weeks ago had diabetes", "en", set()),
        ("ma mère 2 ans plus tard a eu du diabète", "fr", set()),
        (
            "My dad at 50 had a heart attack",
            "en",
            {("family-early-heart-disease", "present", None)},
        ),
        (
            "mon père à 50 ans a fait un infarctus",
            "fr",
            {("family-early-heart-disease", "present", None)},
        ),
        # A number in a later clause is not the relative's age.
        ("my mother has diabetes. 2 pills a day", "en", set()),
    ],
)
def test_relative_named_with_an_age(
    kb: KnowledgeBase, text: str, lang: str, expected: set[tuple[str, str, None]]
) -> None:
    assert got(parse(kb, text, lang=lang)) == expected


def test_numbers(kb: KnowledgeBase) -> None:
    assert got(parse(kb, "39.5 °C")) == {("fever", "present", None)}
    assert got(parse(kb, "it was 103 F last night")) == {("fever", "present", None)}
    assert got(parse(kb, "37 °C this morning")) == {("fever", "absent", None)}
    assert got(parse(kb, "temperature 37.2, runny nose")) == {
        ("fever", "absent", None),
        ("runny-nose", "present", None),
    }
    assert ("pain-intensity", "present", "7") in got(parse(kb, "chest pain, 7/10"))
    assert ("pain-intensity", "present", "6") in got(parse(kb, "pain is 6 out of 10"))
    r = parse(kb, "sore throat for two weeks")
    assert [(d.text, d.days) for d in r.durations] == [("for two weeks", 14.0)]
    r = parse(kb, "je tousse depuis hier")
    assert r.durations[0].text == "depuis hier"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A scale is a whole word: "for" after "degrees" is not Fahrenheit.
        ("it has been 39 degrees for two days", "en", {("fever", "present", None)}),
        ("39° for two days", "en", {("fever", "present", None)}),
        ("100.4 degrees fahrenheit", "en", {("fever", "present", None)}),
        ("j'ai 39 degres", "fr", {("fever", "present", None)}),
        ("j'ai eu 39 degrés fièvre", "fr", {("fever", "present", None)}),
        # A bare decimal is a temperature in the whole degrees of bare_celsius (35-43).
        ("43.5 since last night", "en", {("fever", "present", None)}),
        ("35.2 since last night", "en", {("fever", "absent", None)}),
        ("34.9 since last night", "en", set()),
        ("44.2 since last night", "en", set()),
        ("36.9 kg", "en", set()),
    ],
)
def test_temperatures(
    kb: KnowledgeBase, text: str, lang: str, expected: set[tuple[str, str, None]]
) -> None:
    assert got(parse(kb, text, lang=lang)) == expected


@pytest.mark.parametrize(
    ("text", "lang", "overdose"),
    [
        ("I took 16 paracetamol", "en", True),
        ("j'ai pris 12 doliprane", "fr", True),
        # A dose, a frequency or a time is not a count of pills (units of the language).
        ("I took 500 mg paracetamol", "en", False),
        ("took 10 times paracetamol", "en", False),
        ("j'ai pris 2 fois doliprane", "fr", False),
        ("took 12 months of pills", "en", False),
        ("j'ai pris 12 mois de comprimés", "fr", False),
    ],
)
def test_pill_counts(kb: KnowledgeBase, text: str, lang: str, overdose: bool) -> None:
    assert (("overdose", "present", None) in got(parse(kb, text, lang=lang))) is overdose


def test_pain_location_onset_and_type(kb: KnowledgeBase) -> None:
    r = got(parse(kb, "sudden sharp chest pain spreading to my left arm"))
    assert {
        ("pain", "present", None),
        ("pain-location", "present", "lower-part-of-the-chest"),
        ("pain-location", "present", "upper-part-of-the-chest"),
    } <= r
    assert ("pain-onset", "present", "9") in r and ("pain-type", "present", "sharp") in r
    assert ("pain-radiates-to", "present", "front-of-the-left-upper-arm") in r and (
        "pain-radiates-to",
        "present",
        "front-of-the-right-upper-arm",
    ) not in r
    assert got(parse(kb, "sore throat")) == {
        ("sore-throat", "present", None),
        ("pain", "present", None),
        ("pain-location", "present", "back-of-the-throat"),
    }
    head = got(parse(kb, "headache"))
    assert {v for c, _, v in head if c == "pain-location"} == {v for _, v in HEAD}
    # A negated located pain is its locations absent, never "no pain at all".
    assert got(parse(kb, "no headache")) == {("pain-location", "absent", v) for _, v in HEAD}
    rash = got(parse(kb, "itchy red rash on my legs"))
    assert {
        ("skin-rash", "present", None),
        ("rash-itch", "present", "7"),
        ("rash-color", "present", "red"),
    } <= rash
    assert ("rash-location", "present", "right-calf") in rash


def test_spans_point_at_the_text(kb: KnowledgeBase) -> None:
    text = "I have a bad cough and no fever."
    r = parse(kb, text)
    for f in r.findings:
        assert f.span is not None and f.source == "text"
        assert text[f.span[0] : f.span[1]] == f.text
    assert {f.text for f in r.findings} == {"cough", "fever"}


def test_misspellings(kb: KnowledgeBase) -> None:
    assert ("cough", "present", None) in got(parse(kb, "coughinf all night"))
    assert ("fever", "present", None) in got(parse(kb, "headach and fevr"))
    assert ("diarrhea", "present", None) in got(parse(kb, "diarhea"))


def test_language_detection(kb: KnowledgeBase) -> None:
    assert parse(kb, "I have a cough").lang == "en"
    assert parse(kb, "j'ai de la fièvre et je tousse").lang == "fr"
    assert parse(kb, "toux", lang="fr").lang == "fr"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "a" * 5001}, "text"),
        ({"text": "fever", "lang": "de"}, "lang"),
        ({"text": "Tengo fiebre y dolor de cabeza"}, "lang"),
    ],
)
def test_bad_text(kb: KnowledgeBase, kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(TextInputError) as info:
        parse(kb, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    "text",
    ["I have restless legs", "my hiccups won't stop", "j'ai le hoquet", "je ronfle beaucoup"],
)
def test_outside_terms(kb: KnowledgeBase, text: str) -> None:
    r = parse(kb, text)
    assert r.outside_terms and not r.findings


@pytest.mark.parametrize("text", ["", "   ", "asdkjh qwpoeiru", "hello"])
def test_nothing_found(kb: KnowledgeBase, text: str) -> None:
    r = parse(kb, text)
    assert not r.findings and not r.outside_terms and not r.said


def test_not_understood_drops_fillers(kb: KnowledgeBase) -> None:
    r = parse(kb, "I have a cough and a flibbertigibbet")
    assert [s.text for s in r.not_understood] == ["flibbertigibbet"]


def test_worry(kb: KnowledgeBase) -> None:
    assert parse(kb, "I'm scared, my chest hurts").worried
    assert parse(kb, "j'ai peur, je tousse").worried
    assert not parse(kb, "I have a cough").worried


@pytest.mark.parametrize(
    ("text", "lang", "age", "rule"),
    [
        ("I think I'm having a stroke", "en", None, "stroke-signs"),
        ("my face is drooping on one side", "en", None, "stroke-signs"),
        ("je fais un AVC", "fr", None, "stroke-signs"),
        ("stiff neck and a fever", "en", None, "stiff-neck-with-fever"),
        ("nuque raide et de la fièvre", "fr", None, "stiff-neck-with-fever"),
        ("the rash doesn't fade under a glass", "en", None, "rash-not-fading"),
        ("I want to kill myself", "en", None, "suicidal-thoughts"),
        ("j'ai envie de mourir", "fr", None, "suicidal-thoughts"),
        ("I can't breathe", "en", None, "struggling-to-breathe"),
        ("my lips are swollen", "en", None, "lips-or-tongue-swelling"),
        ("I'm 10 weeks pregnant and bleeding", "en", None, "pregnancy-danger"),
        ("the baby is moving less", "en", None, "baby-moving-less"),
        ("my newborn has a fever", "en", None, "infant-fever"),
        ("fever", "en", 0.1, "infant-fever"),
        ("my 6 week old baby has a fever", "en", None, "infant-fever"),
        ("mon bébé de 6 semaines a de la fièvre", "fr", None, "infant-fever"),
    ],
)
def test_red_flags_from_words(
    checker: Checker, text: str, lang: str, age: float | None, rule: str
) -> None:
    result = checker.check(text=text, lang=lang, age=age)
    assert f"red_flag:{rule}" in result.triage.codes, (text, result.triage.codes)


@pytest.mark.parametrize(
    "text",
    ["I'm not suicidal", "my father had a stroke", "no chest pain and not short of breath"],
)
def test_red_flags_not_fired(checker: Checker, text: str) -> None:
    assert not [c for c in checker.check(text=text).triage.codes if c.startswith("red_flag")]


def test_infant_fever_needs_the_age(checker: Checker) -> None:
    assert "red_flag:infant-fever" not in checker.check(text="fever").triage.codes
    assert "red_flag:infant-fever" not in checker.check(text="fever", age=1.0).triage.codes


def test_hedged_danger_signs_still_escalate(kb: KnowledgeBase) -> None:
    r = parse(kb, "I think my face is drooping")
    assert [(f.evidence, f.status) for f in r.hedged] == [("face-droop", "unknown")]


def test_checker_reads_text(checker: Checker) -> None:
    res = checker.check(text="I have a fever and a dry cough")
    assert {f.evidence for f in res.findings} >= {"fever", "cough"}
    assert checker.check(text="I have restless legs").something_else.likely


def test_import_is_light() -> None:
    code = (
        "import sys, symptomatic.language.parse; "
        "print('pydantic' in sys.modules, 'rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "text",
    ["hola me duele la cabeza", "ich habe Kopfschmerzen und Fieber", "ho mal di testa e febbre"],
)
def test_other_languages_are_refused_clearly(text: str) -> None:
    with pytest.raises(TextInputError) as info:
        parse(load_knowledge(), text)
    assert info.value.field == "lang" and "English or French" in info.value.rule


def test_acknowledgement_quotes_the_person(checker: Checker) -> None:
    result = checker.check(text="I have crushing chest pain and I'm sweating")
    assert "You told me about: crushing chest pain and sweating." in result.summary
    assert result.triage.level == "emergency_ambulance"
