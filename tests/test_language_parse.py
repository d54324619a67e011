"""parse(): everyday English and French to findings, red flags and outside terms."""

from __future__ import annotations

import subprocess
import sys

import pytest

from symptomatic import TextInputError
from symptomatic.engine import TriageReason
from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.language._lexicon import LANGS, load_language
from symptomatic.language.parse import ParseResult, parse

HEAD = {("E_55", "V_89"), ("E_55", "V_166"), ("E_55", "V_167")}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def got(r: ParseResult) -> set[tuple[str, str, str | None]]:
    return {(f.evidence, f.status, f.value) for f in r.findings}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no fever", {("E_91", "absent", None)}),
        ("not really coughing", {("E_201", "absent", None)}),
        ("I don't have a cough", {("E_201", "absent", None)}),
        ("fever ruled out; cough", {("E_91", "absent", None), ("E_201", "present", None)}),
        (
            "no fever, cough or chills",
            {("E_91", "absent", None), ("E_201", "absent", None), ("E_94", "absent", None)},
        ),
        ("no fever but a bad cough", {("E_91", "absent", None), ("E_201", "present", None)}),
        ("not only a cough but a fever", {("E_201", "present", None), ("E_91", "present", None)}),
        ("je n'ai pas de fièvre", {("E_91", "absent", None)}),
        ("je ne tousse pas", {("E_201", "absent", None)}),
        ("fièvre exclue, mais toux", {("E_91", "absent", None), ("E_201", "present", None)}),
    ],
)
def test_negation(kb: KnowledgeBase, text: str, expected: set[tuple[str, str, None]]) -> None:
    assert got(parse(kb, text)) == expected


def test_uncertainty_is_unknown(kb: KnowledgeBase) -> None:
    # DDXPlus has no degree of certainty: an uncertain symptom is left for the interview.
    assert got(parse(kb, "maybe a bit feverish")) == {("E_91", "unknown", None)}
    assert got(parse(kb, "I think I have a fever")) == {("E_91", "unknown", None)}
    assert got(parse(kb, "j'ai peut-être de la fièvre")) == {("E_91", "unknown", None)}


def test_history_and_family(kb: KnowledgeBase) -> None:
    assert got(parse(kb, "I had asthma as a child")) == {("E_124", "present", None)}
    assert got(parse(kb, "my mother has diabetes")) == set()  # never the person's own
    assert ("E_87", "present", None) in got(parse(kb, "my sister has asthma"))
    assert ("E_69", "present", None) not in got(parse(kb, "my dad has diabetes"))
    assert got(parse(kb, "my grandfather had a heart attack")) == {("E_225", "present", None)}
    assert got(parse(kb, "lung cancer runs in my family")) == {("E_224", "present", None)}
    assert got(parse(kb, "if I get a fever, should I come in?")) == set()


def test_numbers(kb: KnowledgeBase) -> None:
    assert got(parse(kb, "39.5 °C")) == {("E_91", "present", None)}
    assert got(parse(kb, "it was 103 F last night")) == {("E_91", "present", None)}
    assert got(parse(kb, "37 °C this morning")) == {("E_91", "absent", None)}
    assert got(parse(kb, "temperature 37.2, runny nose")) == {
        ("E_91", "absent", None),
        ("E_181", "present", None),
    }
    assert ("E_56", "present", "7") in got(parse(kb, "chest pain, 7/10"))
    assert ("E_56", "present", "6") in got(parse(kb, "pain is 6 out of 10"))
    r = parse(kb, "sore throat for two weeks")
    assert [(d.text, d.days) for d in r.durations] == [("for two weeks", 14.0)]
    r = parse(kb, "je tousse depuis hier")
    assert r.durations[0].text == "depuis hier"


def test_pain_location_onset_and_type(kb: KnowledgeBase) -> None:
    r = got(parse(kb, "sudden sharp chest pain spreading to my left arm"))
    assert {
        ("E_53", "present", None),
        ("E_55", "present", "V_29"),
        ("E_55", "present", "V_101"),
    } <= r
    assert ("E_59", "present", "9") in r and ("E_54", "present", "V_192") in r
    assert ("E_57", "present", "V_31") in r and ("E_57", "present", "V_30") not in r
    assert got(parse(kb, "sore throat")) == {
        ("E_97", "present", None),
        ("E_53", "present", None),
        ("E_55", "present", "V_148"),
    }
    head = got(parse(kb, "headache"))
    assert {v for c, _, v in head if c == "E_55"} == {v for _, v in HEAD}
    # A negated located pain is its locations absent, never "no pain at all".
    assert got(parse(kb, "no headache")) == {("E_55", "absent", v) for _, v in HEAD}
    rash = got(parse(kb, "itchy red rash on my legs"))
    assert {
        ("E_129", "present", None),
        ("E_136", "present", "7"),
        ("E_130", "present", "V_157"),
    } <= rash
    assert ("E_133", "present", "V_119") in rash


def test_spans_point_at_the_text(kb: KnowledgeBase) -> None:
    text = "I have a bad cough and no fever."
    r = parse(kb, text)
    for f in r.findings:
        assert f.span is not None and f.source == "text"
        assert text[f.span[0] : f.span[1]] == f.text
    assert {f.text for f in r.findings} == {"cough", "fever"}


def test_misspellings(kb: KnowledgeBase) -> None:
    assert ("E_201", "present", None) in got(parse(kb, "coughinf all night"))
    assert ("E_91", "present", None) in got(parse(kb, "headach and fevr"))
    assert ("E_51", "present", None) in got(parse(kb, "diarhea"))


def test_language_detection(kb: KnowledgeBase) -> None:
    assert parse(kb, "I have a cough").lang == "en"
    assert parse(kb, "j'ai de la fièvre et je tousse").lang == "fr"
    assert parse(kb, "toux", lang="fr").lang == "fr"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "a" * 5001}, "text"),
        ({"text": "fever\x00"}, "text"),
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
    ["burning when I pee", "I twisted my ankle", "acne on my face", "ça brûle quand je fais pipi"],
)
def test_outside_terms(kb: KnowledgeBase, text: str) -> None:
    r = parse(kb, text)
    assert r.outside_terms and not r.findings


@pytest.mark.parametrize("text", ["", "   ", "asdkjh qwpoeiru", "hello"])
def test_nothing_found(kb: KnowledgeBase, text: str) -> None:
    r = parse(kb, text)
    assert not r.findings and not r.outside_terms and not r.red_flags


def test_not_understood_drops_fillers(kb: KnowledgeBase) -> None:
    r = parse(kb, "I have a cough and a flibbertigibbet")
    assert [s.text for s in r.not_understood] == ["flibbertigibbet"]


def test_worry(kb: KnowledgeBase) -> None:
    assert parse(kb, "I'm scared, my chest hurts").worried
    assert parse(kb, "j'ai peur, je tousse").worried
    assert not parse(kb, "I have a cough").worried


def _red_flag_cases() -> list[tuple[str, str, str, float | None, str]]:
    cases = []
    for lang in LANGS:
        for rule in load_language(lang).red_flags:
            for gi, group in enumerate(rule.all_of):
                for phrase in group.phrases[lang]:
                    parts, age = [phrase], None
                    for gj, other in enumerate(rule.all_of):
                        if gj == gi:
                            continue
                        if other.phrases[lang]:
                            parts.append(other.phrases[lang][0])
                        else:
                            age = 0.1
                    text = (" et " if lang == "fr" else " and ").join(parts)
                    cases.append((rule.id, rule.level, text, age, lang))
    return cases


@pytest.mark.parametrize(("rule_id", "level", "text", "age", "lang"), _red_flag_cases())
def test_every_red_flag_phrase_reaches_its_level(
    kb: KnowledgeBase, rule_id: str, level: str, text: str, age: float | None, lang: str
) -> None:
    r = parse(kb, text, lang=lang, age=age)
    assert (rule_id, level) in {(f.id, f.level) for f in r.red_flags}, text
    assert TriageReason("red_flag", rule_id, level) in r.triage_reasons  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["I'm not suicidal", "my father had a stroke", "no chest pain and not short of breath"],
)
def test_red_flags_not_fired(kb: KnowledgeBase, text: str) -> None:
    assert parse(kb, text).red_flags == ()


def test_infant_fever_needs_the_age(kb: KnowledgeBase) -> None:
    assert not parse(kb, "fever").red_flags
    assert not parse(kb, "fever", age=1.0).red_flags
    assert parse(kb, "fever", age=0.1).red_flags[0].id == "text-infant-fever"
    assert parse(kb, "my 6 week old baby has a fever").red_flags[0].id == "text-infant-fever"


def test_checker_uses_text_red_flags_and_reasons(kb: KnowledgeBase) -> None:
    from symptomatic import Checker
    from symptomatic.language import compose

    checker = Checker(knowledge=kb)
    res = checker.check(text="I want to kill myself")
    assert res.triage.level == "emergency_ambulance"
    assert any("988" in reason for reason in res.triage.reasons)
    reason = TriageReason("red_flag", "text-stroke", "emergency_ambulance")
    assert "stroke" in compose.triage_reason(kb, reason, "en")
    assert "AVC" in compose.triage_reason(kb, reason, "fr")
    res = checker.check(text="I have a fever and a dry cough")
    assert {f.evidence for f in res.findings} >= {"E_91", "E_201"}
    assert checker.check(text="burning when I pee").something_else.likely


def test_import_is_light() -> None:
    code = "import sys, symptomatic.language.parse; print('numpy' in sys.modules, 'pydantic' in sys.modules)"  # noqa: E501
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "text",
    ["hola me duele la cabeza", "ich habe Kopfschmerzen und Fieber", "ho mal di testa e febbre"],
)
def test_other_languages_are_refused_clearly(text: str) -> None:
    from symptomatic import TextInputError, load_knowledge
    from symptomatic.language.parse import parse

    with pytest.raises(TextInputError) as info:
        parse(load_knowledge(), text)
    assert info.value.field == "lang" and "English or French" in info.value.rule


def test_acknowledgement_quotes_the_person() -> None:
    from symptomatic import Checker

    result = Checker().check(text="I have crushing chest pain and I'm sweating")
    assert "You told me about: crushing chest pain and sweating." in result.summary
    assert result.triage.level == "emergency_ambulance"
