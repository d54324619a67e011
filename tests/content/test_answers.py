"""The plain-language answer: six parts, plain words, readable, adapted to who it is for."""

from __future__ import annotations

from typing import Any

import pytest

from symptomatic import Checker, Finding, FindingResult, SomethingElse
from symptomatic.bench.words import (
    RenderedCase,
    case_inputs,
    passes,
    reachable_levels,
    readability,
    render_cases,
)
from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.language.compose import answer as compose
from symptomatic.language.compose._data import answers, jargon

LANGS = ("en", "fr")
ALWAYS = ("acknowledgement", "explanation", "action", "safety_net", "disclaimer")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def cases(kb: KnowledgeBase) -> list[RenderedCase]:
    return list(render_cases(kb))


def p(lang: str, key: str) -> str:
    return str(answers(lang)[key])


def level_now(lang: str, level: str) -> str:
    return str(answers(lang)["level_now"][level])


def parts_for(
    kb: KnowledgeBase, cid: str, level: Any, lang: str, **extra: Any
) -> dict[str, list[str]]:
    return compose.sections(kb, **case_inputs(kb, cid, level, lang), **extra)


def text_for(kb: KnowledgeBase, cid: str, level: Any, lang: str, **extra: Any) -> str:
    return compose.render(parts_for(kb, cid, level, lang, **extra), level=level)


def pregnant_finding(kb: KnowledgeBase, lang: str) -> FindingResult:
    (ev,) = kb.with_role("pregnancy")
    return FindingResult(ev.id, ev.text[lang].present, "present", None, None, None, None, "answer")


# -- every condition at every level it can reach, in both languages -----------------------
def test_cases_cover_every_condition_and_reachable_level(
    kb: KnowledgeBase, cases: list[RenderedCase]
) -> None:
    expected = {
        (c.id, lv, lang)
        for c in kb.conditions
        for lv in reachable_levels(c.care_level)
        for lang in LANGS
    }
    assert {(c.condition, c.level, c.lang) for c in cases} == expected
    assert len(kb.conditions) >= 40


def test_six_parts_present(cases: list[RenderedCase]) -> None:
    bad = []
    for c in cases:
        assert list(c.parts) == list(compose.SECTION_KEYS)
        missing = [k for k in ALWAYS if not c.parts[k]]
        if missing:
            bad.append((c.condition, c.level, c.lang, missing))
    assert not bad


def test_self_care_only_at_self_care_level(kb: KnowledgeBase, cases: list[RenderedCase]) -> None:
    for c in cases:
        assert bool(c.parts["self_care"]) == (c.level == "self_care"), (c.condition, c.level)
        if c.level == "self_care":
            info = kb.info(c.condition, c.lang)
            assert info is not None
            text = "\n".join(c.parts["self_care"])
            assert all(s in text for s in info.self_care)
            assert info.course in text
            assert info.contagious in text


def test_no_banned_jargon_outside_parentheses(cases: list[RenderedCase]) -> None:
    # Condition names and symptom labels are the knowledge base's wording (checked there).
    bad = [
        (c.condition, c.level, c.lang, found)
        for c in cases
        if (found := compose.jargon_in(c.text, c.lang, allow=c.quoted))
    ]
    assert not bad


def test_our_own_phrases_have_no_jargon() -> None:
    def strings(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    for lang in LANGS:
        for s in strings({k: v for k, v in answers(lang).items() if k != "about"}):
            assert not compose.jargon_in(s, lang), s


def test_jargon_detector() -> None:
    assert compose.jargon_in("An acute cough.", "en") == ["acute"]
    assert compose.jargon_in("Chest cold (acute bronchitis).", "en") == []
    assert compose.jargon_in("Un bruit aigu en inspirant.", "fr") == []
    assert compose.jargon_in("Une douleur aiguë.", "fr") == ["aiguë"]
    assert compose.jargon_in("Sinusite aiguë", "fr", allow=["Sinusite aiguë"]) == []


def test_banned_jargon_data_has_the_listed_words() -> None:
    en = set(jargon("en")[0])
    fr = set(jargon("fr")[0])
    for word in ("acute", "chronic", "etiology", "prognosis", "dyspnea", "pyrexia", "malaise"):
        assert word in en
    for word in ("myalgia", "erythema", "benign", "idiopathic", "comorbidity"):
        assert word in en
    for word in ("aigu", "chronique", "étiologie", "pronostic", "dyspnée"):
        assert word in fr


def test_urgent_answers_start_with_the_instruction(cases: list[RenderedCase]) -> None:
    for c in cases:
        first = c.text.split("\n", 1)[0]
        if c.level in ("emergency_ambulance", "emergency"):
            assert first == level_now(c.lang, c.level), (c.condition, c.level, c.lang)
        if c.level == "emergency_ambulance":
            assert c.parts["action"][0] == level_now(c.lang, c.level)
            assert "112" in first


def test_non_urgent_parts_in_order(cases: list[RenderedCase]) -> None:
    for c in cases:
        if c.level in ("emergency_ambulance", "emergency"):
            continue
        paragraphs = c.text.split("\n\n")
        keys = [k for k in compose.SECTION_KEYS if c.parts[k]]
        assert paragraphs == ["\n".join(c.parts[k]) for k in keys]


def test_explanation_uses_natural_frequencies(cases: list[RenderedCase]) -> None:
    for c in cases:
        text = "\n".join(c.parts["explanation"])
        assert ("6 in 10" if c.lang == "en" else "6 personnes sur 10") in text
        if c.lang == "en":
            assert "More likely because of" in text


def test_safety_net_has_condition_signs(kb: KnowledgeBase, cases: list[RenderedCase]) -> None:
    for c in cases:
        net = "\n".join(c.parts["safety_net"])
        if c.level in ("emergency_ambulance", "emergency"):
            continue
        info = kb.info(c.condition, c.lang)
        assert info is not None
        for sign in info.seek_care:
            assert sign in net


def test_disclaimer_always_last(cases: list[RenderedCase]) -> None:
    for c in cases:
        urgent = c.level in ("emergency_ambulance", "emergency")
        assert c.text.endswith(compose.disclaimer(c.lang, urgent=urgent))
        assert ("not a diagnosis" if c.lang == "en" else "pas un diagnostic") in c.text


def test_plain_text_without_markup(cases: list[RenderedCase]) -> None:
    for c in cases:
        for mark in ("**", "<", ">", "#", "`", "{", "}"):
            assert mark not in c.text, (c.condition, c.level, c.lang, mark)
        assert all(len(line) < 400 for line in c.text.splitlines())


def test_readability(cases: list[RenderedCase]) -> None:
    bad = []
    for c in cases:
        score = readability(c.text, c.lang)
        if not passes(score, c.lang):
            bad.append((c.condition, c.level, c.lang, round(score, 2)))
    assert not bad


# -- who it is for --------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_child_addresses_parent(kb: KnowledgeBase, lang: str) -> None:
    parts = parts_for(kb, "common-cold", "self_care", lang, age=4)
    text = compose.render(parts, level="self_care")
    assert parts["acknowledgement"][0] == p(lang, "ack_child")
    assert ("your child" if lang == "en" else "votre enfant") in text
    assert p(lang, "self_care_child") in parts["self_care"]
    assert p(lang, "safety_child") in parts["safety_net"]
    adult = text_for(kb, "common-cold", "self_care", lang, age=30)
    assert p(lang, "ack_child") not in adult
    urgent = parts_for(kb, "croup", "emergency_ambulance", lang, age=2)
    assert p(lang, "child_urgent") in urgent["action"]
    assert compose.render(urgent, level="emergency_ambulance").startswith(
        level_now(lang, "emergency_ambulance")
    )


@pytest.mark.parametrize("lang", LANGS)
def test_older_adult_lower_threshold(kb: KnowledgeBase, lang: str) -> None:
    parts = parts_for(kb, "flu", "self_care", lang, age=82)
    assert p(lang, "older") in parts["action"]
    assert p(lang, "safety_older") in parts["safety_net"]
    younger = text_for(kb, "flu", "self_care", lang, age=50)
    assert p(lang, "older") not in younger
    assert p(lang, "older") not in text_for(kb, "flu", "self_care", lang, age=None)


@pytest.mark.parametrize("lang", LANGS)
def test_pregnancy_from_evidence(kb: KnowledgeBase, lang: str) -> None:
    inputs = case_inputs(kb, "viral-sore-throat", "self_care", lang)
    inputs["findings"] = [*inputs["findings"], pregnant_finding(kb, lang)]
    parts = compose.sections(kb, **inputs, age=28)
    assert p(lang, "pregnant") in parts["action"]
    assert compose.is_pregnant(kb, inputs["findings"])
    assert p(lang, "pregnant") not in text_for(kb, "viral-sore-throat", "self_care", lang)
    urgent = case_inputs(kb, "pulmonary-embolism", "emergency_ambulance", lang)
    urgent["findings"] = [*urgent["findings"], pregnant_finding(kb, lang)]
    parts = compose.sections(kb, **urgent, age=28)
    assert p(lang, "pregnant_urgent") in parts["action"]
    assert parts["action"][0] == level_now(lang, "emergency_ambulance")
    forced = parts_for(kb, "flu", "self_care", lang, pregnant=True)
    assert p(lang, "pregnant") in forced["action"]


@pytest.mark.parametrize("lang", LANGS)
def test_worry_acknowledged_within_the_evidence(kb: KnowledgeBase, lang: str) -> None:
    calm = parts_for(kb, "common-cold", "self_care", lang, worried=True)
    assert p(lang, "ack_worry") in calm["acknowledgement"]
    assert answers(lang)["worry_level"]["self_care"] in calm["acknowledgement"]
    # no false reassurance when the level is high
    urgent = parts_for(kb, "heart-attack", "emergency_ambulance", lang, worried=True)
    ack = "\n".join(urgent["acknowledgement"])
    assert answers(lang)["worry_level"]["emergency_ambulance"] in ack
    assert answers(lang)["worry_level"]["self_care"] not in ack
    assert compose.render(urgent, level="emergency_ambulance").startswith(
        level_now(lang, "emergency_ambulance")
    )
    # not sure what it is: say so, do not reassure
    inputs = case_inputs(kb, "common-cold", "consultation", lang)
    inputs["something_else"] = SomethingElse(True, compose.outside_reason(["x"], lang))
    unsure = compose.sections(kb, **inputs, worried=True)
    assert p(lang, "worry_unsure") in unsure["acknowledgement"]
    # not worried: nothing said about it
    plain = text_for(kb, "common-cold", "self_care", lang, worried=False)
    assert p(lang, "ack_worry") not in plain


# -- honest "something else" and no symptoms ----------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_something_else(kb: KnowledgeBase, lang: str) -> None:
    reason = compose.outside_reason(["itchy toes"], lang)
    inputs = case_inputs(kb, "common-cold", "consultation", lang)
    inputs["something_else"] = SomethingElse(True, reason)
    parts = compose.sections(kb, **inputs)
    assert parts["explanation"][0] == reason
    assert p(lang, "closest_intro") in parts["explanation"]
    inputs["differential"] = []
    parts = compose.sections(kb, **inputs)
    assert parts["explanation"] == [reason]
    assert all(parts[k] for k in ALWAYS)
    assert not parts["self_care"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_symptoms(kb: KnowledgeBase, lang: str) -> None:
    inputs = case_inputs(kb, "common-cold", "consultation", lang)
    inputs.update(differential=[], findings=[])
    parts = compose.sections(kb, **inputs)
    assert parts["acknowledgement"] == [p(lang, "ack_none")]
    assert parts["explanation"] == [p(lang, "no_symptoms")]
    text = compose.render(parts, level="consultation")
    assert text.endswith(compose.disclaimer(lang))


def test_frequencies() -> None:
    assert "about 7 in 10 people" in compose.frequency("A cold", 0.7, "en")
    assert "about 1 in 10 people with these answers has it" in compose.frequency("X", 0.1, "en")
    assert "more than 9 in 10" in compose.frequency("X", 0.97, "en")
    assert "about 3 in 100" in compose.frequency("X", 0.03, "en")
    assert "fewer than 1 in 100" in compose.frequency("X", 0.001, "en")
    assert "environ 1 personne sur 10" in compose.frequency("X", 0.1, "fr")
    assert "environ 4 personnes sur 10" in compose.frequency("X", 0.4, "fr")


def test_acknowledgement_uses_their_terms(kb: KnowledgeBase) -> None:
    inputs = case_inputs(kb, "common-cold", "self_care", "en")
    parts = compose.sections(kb, **inputs)
    for f in inputs["findings"]:
        assert f.label in parts["acknowledgement"][0]


# -- through the public checker -------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_checker_summary(checker: Checker, lang: str) -> None:
    codes = ("fever", "cough", "runny-nose", "sore-throat")
    result = checker.check(age=30, findings=[Finding(c) for c in codes], lang=lang)
    assert result.summary.endswith(result.disclaimer)
    assert answers(lang)["level_now"][result.triage.level] in result.summary
    assert not compose.jargon_in(
        result.summary,
        lang,
        allow=[c.name for c in result.differential] + [f.label for f in result.findings],
    )
    child = checker.check(age=3, findings=[Finding(c) for c in codes], lang=lang)
    assert p(lang, "ack_child") in child.summary


def test_checker_summary_is_rendered_sections(checker: Checker, kb: KnowledgeBase) -> None:
    r = checker.check(age=40, findings=[Finding("E_91"), Finding("cough")], lang="en")
    parts = compose.sections(
        kb,
        differential=r.differential,
        triage=r.triage,
        findings=r.findings,
        something_else=r.something_else,
        lang="en",
        age=r.age,
    )
    assert r.summary == compose.render(parts, level=r.triage.level)


@pytest.mark.parametrize("lang", LANGS)
def test_raised_level_does_not_blame_the_likely_condition(kb: KnowledgeBase, lang: str) -> None:
    # flu is a self-care condition: when a red flag raises the level, the answer must not
    # say that flu "needs this level of care".
    likely = answers(lang)["reason_likely"].split("{name}")[0]
    raised = parts_for(kb, "flu", "emergency", lang)
    assert not any(line.startswith(likely) for line in raised["action"])
    assert len(raised["action"]) >= 2  # the red-flag reason is kept
    own = parts_for(kb, "flu", "self_care", lang)
    assert any(line.startswith(likely) for line in own["action"])


def test_knowledge_names_and_labels_use_plain_words() -> None:
    """Condition names and the finding labels shown in answers pass the jargon check."""
    from symptomatic.language.compose.answer import jargon_in

    kb = load_knowledge()
    for lang in ("en", "fr"):
        for c in kb.conditions:
            assert jargon_in(c.name[lang], lang) == [], (c.id, lang)
        for e in kb.evidences:
            for text in (e.text[lang].present, e.text[lang].absent):
                assert jargon_in(text, lang) == [], (e.id, lang, text)
