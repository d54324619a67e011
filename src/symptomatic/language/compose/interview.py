"""The interview's words: questions, choices, why a question is asked, answers understood.

Everything here is wording over data (``data/<lang>/interview.json``); the state of an
interview lives in :mod:`symptomatic.interview`, the choice of question in
:mod:`symptomatic.engine.interview`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from symptomatic._types import Choice, Question, QuestionKind
from symptomatic.knowledge import Condition, KnowledgeBase
from symptomatic.language.compose._data import interview_words
from symptomatic.language.compose.labels import join

__all__ = [
    "DONT_KNOW",
    "answer_label",
    "answer_meaning",
    "question",
    "stop_message",
    "why",
]

DONT_KNOW = "dont_know"


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().replace("’", "'").split())


@lru_cache(maxsize=8)
def _meanings(lang: str) -> dict[str, str]:
    """Normalised answer word -> ``yes`` / ``no`` / ``dont_know`` / ``stop``."""
    out: dict[str, str] = {}
    for meaning, items in interview_words(lang)["answers"].items():
        for item in items:
            out.setdefault(_normal(item), meaning)
    return out


def answer_meaning(value: object, lang: str) -> str | None:
    """What an everyday answer means (``yes``, ``no``, ``dont_know``, ``stop``) in ``lang``,
    or None; the other supported languages are understood too."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, str):
        return None
    key = _normal(value)
    found = _meanings(lang).get(key)
    if found is not None:
        return found
    from symptomatic._types import LANGS

    for other in LANGS:
        if other != lang:
            found = _meanings(other).get(key)
            if found is not None:
                return found
    return None


def why(kb: KnowledgeBase, conditions: Sequence[Condition], lang: str, *, severe_max: int) -> str:
    """Why a question is asked, naming the conditions it helps tell apart."""
    words = interview_words(lang)
    names = [c.name[lang] for c in conditions]
    if len(names) >= 2:
        text = str(words["why_apart"]).format(items=join(names, lang))
    elif names:
        text = str(words["why_one"]).format(items=names[0])
    else:
        return str(words["why_generic"])
    severe = [c.name[lang] for c in conditions if c.severity <= severe_max]
    if severe:
        text += " " + str(words["why_severe"]).format(items=join(severe, lang, word="list_or"))
    return text


def question(
    kb: KnowledgeBase,
    evidence: str,
    lang: str,
    *,
    why_text: str,
    number: int,
    max_questions: int,
    remaining: int,
    gain: float,
    conditions: Sequence[str] = (),
    sex: str | None = None,
) -> Question:
    """The :class:`Question` for ``evidence``, worded in ``lang``; for a person of ``sex``,
    body parts of the other sex are not offered."""
    words = interview_words(lang)
    ev = kb.evidence_by_id[evidence]
    kind: QuestionKind = "scale" if ev.scale else ev.kind
    dont_know = Choice(DONT_KNOW, str(words["dont_know"]))
    if kind == "binary":
        choices: tuple[Choice, ...] = (
            Choice("yes", str(words["yes"])),
            Choice("no", str(words["no"])),
            dont_know,
        )
    elif kind == "scale":
        text = ev.text[lang]
        low = text.scale_low or str(words["scale_low"])
        high = text.scale_high or str(words["scale_high"])
        ends = {"0": f"0 ({low})", "10": f"10 ({high})"}
        choices = (*(Choice(v, ends.get(v, v)) for v in ev.choices), dont_know)
    else:
        offered = [v for v in ev.values if sex is None or kb.values[v].sex in (None, sex)]
        choices = (*(Choice(v, kb.values[v].label[lang]) for v in offered), dont_know)
    return Question(
        evidence=ev.id,
        kind=kind,
        text=ev.text[lang].question,
        choices=choices,
        why=why_text,
        number=number,
        max_questions=max_questions,
        remaining=remaining,
        gain=gain,
        conditions=tuple(conditions),
    )


def answer_label(
    kb: KnowledgeBase, q: Question, status: str, values: Sequence[str], lang: str
) -> str:
    """How an answer reads back in the transcript."""
    words = interview_words(lang)
    ev = kb.evidence_by_id[q.evidence]
    if status == "unknown":
        return str(words["dont_know"])
    if q.kind == "binary":
        return str(words["yes" if status == "present" else "no"])
    if status == "absent":
        if ev.default is not None:
            return kb.value_label(ev.id, ev.default, lang)
        return str(words["no"])
    return ", ".join(kb.value_label(ev.id, v, lang) for v in values)


def stop_message(reason: str, lang: str) -> str:
    """Why the interview stopped, in plain words."""
    return str(interview_words(lang)["stop"][reason])


def rule(name: str, lang: str) -> str:
    """The wording of an answer rule (``rule_binary``, ``rule_choice``, ...)."""
    return str(interview_words(lang)[name])
