"""The public Interview: questions, answers, stopping, back/change, output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from symptomatic import Checker, Finding, InputError, Interview, InterviewPolicy, Question
from symptomatic.knowledge import KnowledgeBase


def _interview(checker: Checker, **kw: object) -> Interview:
    policy_fields = set(InterviewPolicy.__dataclass_fields__) - {"max_questions"}
    chosen = {k: v for k, v in kw.items() if k in policy_fields}
    policy = InterviewPolicy(**chosen)  # type: ignore[arg-type]
    settings: dict[str, object] = {"age": 35, "sex": "female", "findings": [Finding("cough")]}
    settings.update({k: v for k, v in kw.items() if k not in policy_fields})
    return Interview(checker, policy=policy, **settings)  # type: ignore[arg-type]


def _plain_answer(q: Question) -> object:
    if q.kind == "binary":
        return "no"
    if q.kind == "scale":
        return 3
    return q.choices[0].value


def test_first_question(checker: Checker) -> None:
    iv = _interview(checker)
    q = iv.next_question()
    assert isinstance(q, Question)
    assert q.number == 1 and q.max_questions == 30
    assert q.kind in ("binary", "categorical", "multi", "scale")
    assert q.text and q.gain > 0
    assert q.choices[-1].value == "dont_know"
    names = [checker.kb.condition_by_id[c].name["en"] for c in q.conditions]
    assert names and any(name in q.why for name in names)
    assert iv.next_question() == q  # asking again does not move on
    assert json.loads(json.dumps(q.to_dict()))["evidence"] == q.evidence


def test_never_reasks_and_children_follow_parent(checker: Checker) -> None:
    kb = checker.kb
    iv = _interview(checker, confidence=1.0, min_gain=0.0, max_questions=40)
    seen: list[str] = []
    while (q := iv.next_question()) is not None:
        assert q.evidence not in seen
        assert q.evidence != "cough"  # said first, never asked
        parent = kb.evidence_by_id[q.evidence].parent
        if parent is not None:
            assert any(f.evidence == parent and f.status == "present" for f in iv.case().findings)
        seen.append(q.evidence)
        iv.answer(_plain_answer(q))
    assert iv.stop_reason in ("max_questions", "no_gain")
    assert len(seen) == iv.questions_asked <= 40
    probs = iv.probabilities
    assert probs.sum() == pytest.approx(1.0) and np.all(probs >= 0)


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ("yes", "present"),
        ("Y", "present"),
        ("oui", "present"),
        (True, "present"),
        ("no", "absent"),
        ("non", "absent"),
        ("dont_know", "unknown"),
        ("don't know", "unknown"),
        ("Don’t know", "unknown"),
        ("je ne sais pas", "unknown"),
    ],
)
def test_binary_answers(checker: Checker, given: object, status: str) -> None:
    iv = _interview(checker)
    q = iv.next_question()
    assert q is not None and q.kind == "binary"
    iv.answer(given)
    assert iv.transcript[0]["status"] == status
    found = [f for f in iv.case().findings if f.evidence == q.evidence]
    assert found and found[0].status == status


def test_invalid_answer_names_choices_and_changes_nothing(checker: Checker) -> None:
    iv = _interview(checker)
    q = iv.next_question()
    assert q is not None
    before = iv.probabilities
    with pytest.raises(InputError) as err:
        iv.answer("purple")
    assert err.value.value == "purple"
    assert "yes" in err.value.suggestions and "no" in err.value.suggestions
    assert "answer" in err.value.field
    assert iv.questions_asked == 0 and iv.next_question() == q
    assert np.allclose(iv.probabilities, before)


def _question_for(iv: Interview, evidence: str) -> Question:
    from symptomatic.language.compose.interview import question

    return question(
        iv.kb, evidence, iv.lang, why_text="", number=1, max_questions=30, remaining=29, gain=0.1
    )


def test_scale_categorical_and_multi_answers(checker: Checker) -> None:
    kb: KnowledgeBase = checker.kb
    iv = _interview(checker, findings=[Finding("pain")])
    scale = _question_for(iv, "pain-intensity")
    assert scale.kind == "scale" and len(scale.choices) == 12
    assert iv._parse(scale, 7).values == ("7",)
    assert iv._parse(scale, "10").values == ("10",)
    assert iv._parse(scale, 4.0).values == ("4",)
    for bad in (11, -1, 2.5, "lots", True):
        with pytest.raises(InputError):
            iv._parse(scale, bad)
    travel = _question_for(iv, "travel-abroad")
    assert travel.kind == "categorical"
    code = kb.evidence_by_id["travel-abroad"].values[2]
    label_en, label_fr = kb.values[code].label["en"], kb.values[code].label["fr"]
    for given in (code, label_en, label_fr):
        assert iv._parse(travel, given).values == (code,)
    with pytest.raises(InputError) as err:
        iv._parse(travel, "the moon")
    assert err.value.suggestions
    where = _question_for(iv, "pain-location")
    assert where.kind == "multi"
    a, b = (
        kb.evidence_by_id["pain-location"].values[3],
        kb.evidence_by_id["pain-location"].values[4],
    )
    assert iv._parse(where, [a, b]).values == (a, b)
    labels = f"{kb.values[a].label['en']}; {kb.values[b].label['en']}"
    assert set(iv._parse(where, labels).values) == {a, b}
    none = iv._parse(where, "none")
    assert none.status == "absent" and none.values == ()
    assert iv._parse(where, "don't know").status == "unknown"


def test_red_flag_at_start_stops(checker: Checker) -> None:
    iv = _interview(checker, findings=[Finding("breathless-at-rest")])
    assert iv.should_stop and iv.stop_reason == "red_flag"
    assert iv.next_question() is None
    assert iv.stop_message
    with pytest.raises(InputError):
        iv.answer("yes")
    assert iv.result().triage.level in ("emergency_ambulance", "emergency")


def test_red_flag_answer_ends_at_once(tiny_kb_dir: Path) -> None:
    iv = Interview(
        Checker(knowledge=tiny_kb_dir),
        age=60,
        sex="male",
        findings=[Finding("chest-pain")],
        policy=InterviewPolicy(confidence=1.0, min_gain=0.0, stop_when_settled=False),
    )
    for _ in range(5):
        q = iv.next_question()
        assert q is not None
        if q.evidence == "chest-pain-where":
            iv.answer("middle")
            break
        iv.answer(_plain_answer(q))
    assert iv.should_stop and iv.stop_reason == "red_flag"
    assert iv.next_question() is None
    triage = iv.result().triage
    assert triage.level in ("emergency_ambulance", "emergency")
    assert "red_flag:chest-pain-middle" in triage.codes


def test_max_questions(checker: Checker) -> None:
    iv = _interview(checker, max_questions=2, confidence=1.0)
    for _ in range(2):
        q = iv.next_question()
        assert q is not None
        iv.answer(_plain_answer(q))
    assert iv.stop_reason == "max_questions" and iv.next_question() is None


def test_back_and_change(checker: Checker) -> None:
    iv = _interview(checker, confidence=1.0)
    first = iv.next_question()
    assert first is not None
    iv.answer(_plain_answer(first))
    second = iv.next_question()
    assert second is not None
    again = iv.back()
    assert again == first and iv.questions_asked == 0
    with pytest.raises(InputError):
        Interview(checker, age=30, sex="m").back()
    # Pain yes, then a follow-up, then pain changed to no: the follow-up goes.
    iv = Interview(
        checker,
        age=40,
        sex="male",
        findings=[Finding("cough")],
        policy=InterviewPolicy(confidence=1.0),
    )
    for _ in range(30):
        q = iv.next_question()
        assert q is not None
        if q.evidence == "pain":
            iv.answer("yes")
            break
        iv.answer(_plain_answer(q))
    follow = iv.next_question()
    while follow is not None and checker.kb.evidence_by_id[follow.evidence].parent != "pain":
        iv.answer(_plain_answer(follow))
        follow = iv.next_question()
    assert follow is not None
    iv.answer(_plain_answer(follow))
    asked = [t["evidence"] for t in iv.transcript]
    assert follow.evidence in asked
    iv.change("pain", "no")
    asked = [t["evidence"] for t in iv.transcript]
    assert follow.evidence not in asked
    assert next(t for t in iv.transcript if t["evidence"] == "pain")["status"] == "absent"
    with pytest.raises(InputError):
        iv.change("pain", "purple")


def test_result_transcript_and_dict(checker: Checker) -> None:
    iv = _interview(checker)
    while (q := iv.next_question()) is not None:
        iv.answer(_plain_answer(q))
    result = iv.result()
    assert result.differential
    assert len(iv.transcript) == iv.questions_asked
    entry = iv.transcript[0]
    assert {"number", "evidence", "kind", "question", "status", "answer", "why"} <= set(entry)
    data = json.loads(json.dumps(iv.to_dict()))
    assert data["stop_reason"] == iv.stop_reason and data["next_question"] is None
    assert data["result"]["triage"]["level"] == result.triage.level


def test_french(checker: Checker) -> None:
    iv = _interview(checker, lang="fr")
    q = iv.next_question()
    assert q is not None
    assert q.text == checker.kb.evidence_by_id[q.evidence].text["fr"].question
    names = [checker.kb.condition_by_id[c].name["fr"] for c in q.conditions]
    assert any(n in q.why for n in names)
    iv.answer("non")
    assert iv.transcript[0]["answer"] in ("non", q.choices[0].label)
    assert iv.result().lang == "fr"


def test_bad_settings(checker: Checker) -> None:
    with pytest.raises(InputError):
        Interview(checker, age=30, sex="f", lang="de")
    with pytest.raises(InputError):
        Interview(checker, age=300, sex="f")
    with pytest.raises(InputError):
        Interview(checker, age=30, sex="f", policy=InterviewPolicy(confidence=2.0))
    with pytest.raises(InputError):
        Interview(checker, age=30, sex="f", max_questions=-5)


@pytest.mark.parametrize(
    ("word", "lang", "meaning"),
    [
        ("yeah", "en", "yes"),
        ("nope", "en", "no"),
        ("not sure", "en", "dont_know"),
        ("quit", "en", "stop"),
        ("ouais", "fr", "yes"),
        ("nan", "fr", "no"),
        ("je sais pas", "fr", "dont_know"),
        ("stop", "fr", "stop"),
        ("yep", "fr", "yes"),
    ],
)
def test_everyday_answers(word: str, lang: str, meaning: str) -> None:
    assert Interview.understand(word, lang) == meaning


def test_stop_ends_with_the_answer_so_far(checker: Checker) -> None:
    iv = _interview(checker)
    assert iv.next_question() is not None
    assert iv.answer("stop") is None
    assert iv.stop_reason == "stopped" and iv.next_question() is None
    assert iv.result().summary


def test_text_red_flag_stops_the_interview(checker: Checker) -> None:
    iv = Interview(checker, age=30, sex="female", text="I have been having thoughts of suicide")
    assert iv.stop_reason == "red_flag" and iv.next_question() is None
