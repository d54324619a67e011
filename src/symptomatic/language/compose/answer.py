"""Text out: the plain-language answer, built from phrase data per language.

Every answer has six parts (see :func:`sections`): an acknowledgement of what the person
told us, the likely explanations as natural frequencies with what argues for and against
them (or an honest "something else"), what to do now for the care level, self-care with how
long it lasts and whether it spreads (self-care level only), safety-netting (the signs that
mean "get help sooner"), and the reminder that this is not a diagnosis. At the urgent levels
the instruction comes first and nothing that would delay it comes before it.

The wording adapts to who it is for: a child (the parent or carer is addressed), an older
adult (a lower threshold to get checked), pregnancy, and a person who says they are worried
(acknowledged, and reassured only as far as the care level allows). Sentences are data
(``data/<lang>/answers.json``); plain-language rules are data too (``jargon.json``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol

from symptomatic._types import ConditionResult, FindingResult, SomethingElse, TriageResult
from symptomatic.knowledge import KnowledgeBase
from symptomatic.language.compose._data import answers, audience_ages, jargon
from symptomatic.language.compose.labels import join

__all__ = [
    "SECTION_KEYS",
    "URGENT_ORDER",
    "disclaimer",
    "frequency",
    "jargon_in",
    "no_symptoms_reason",
    "outside_reason",
    "render",
    "sections",
    "something_else_reason",
    "summary",
    "triage_reason",
]

#: The parts of an answer, in reading order for the non-urgent levels.
SECTION_KEYS: Final[tuple[str, ...]] = (
    "acknowledgement",
    "explanation",
    "action",
    "self_care",
    "safety_net",
    "disclaimer",
)
#: Reading order at the urgent levels: the instruction first, nothing before it.
URGENT_ORDER: Final[tuple[str, ...]] = (
    "action",
    "acknowledgement",
    "explanation",
    "self_care",
    "safety_net",
    "disclaimer",
)
_URGENT: Final[frozenset[str]] = frozenset({"emergency_ambulance", "emergency"})
_MAX_SAID: Final[int] = 6
_MAX_CONDITIONS: Final[int] = 3
_MIN_SHOWN_PROBABILITY: Final[float] = 0.05


class ReasonLike(Protocol):
    """What :func:`triage_reason` reads of an engine triage reason."""

    @property
    def kind(self) -> str: ...
    @property
    def ref(self) -> str | None: ...
    @property
    def probability(self) -> float | None: ...


def jargon_in(text: str, lang: str, *, allow: Sequence[str] = ()) -> list[str]:
    """Banned words found in ``text`` outside parentheses (and outside ``allow`` strings)."""
    words, allowed = jargon(lang)
    for a in (*allow, *allowed):
        if a:
            text = re.sub(re.escape(a), " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\([^()]*\)", " ", text)
    return [
        w
        for w in words
        if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text, flags=re.IGNORECASE)
    ]


def disclaimer(lang: str, *, urgent: bool = False) -> str:
    return str(answers(lang)["disclaimer_urgent" if urgent else "disclaimer"])


def outside_reason(terms: Sequence[str], lang: str) -> str:
    return str(answers(lang)["outside"]).format(items=join(terms, lang))


def something_else_reason(lang: str) -> str:
    return str(answers(lang)["something_else"])


def no_symptoms_reason(lang: str) -> str:
    return str(answers(lang)["no_symptoms"])


def triage_reason(kb: KnowledgeBase, reason: ReasonLike, lang: str) -> str:
    """One sentence explaining why ``reason`` contributed its level."""
    p = answers(lang)
    if reason.kind == "red_flag":
        for rule in kb.red_flags:
            if rule.id == reason.ref:
                return rule.reason[lang]
        return str(reason.ref)
    if reason.kind in ("likely", "possible") and reason.ref is not None:
        cond = kb.condition_by_id[reason.ref]
        name = cond.name[lang]
        key = "reason_likely" if reason.kind == "likely" else "reason_possible"
        if cond.care_level == "self_care":
            key += "_self_care"
        pct = max(1, round(100 * (reason.probability or 0.0)))
        return str(p[key]).format(name=name, pct=pct)
    if reason.kind == "something_else":
        return str(p["reason_something_else"])
    if reason.kind == "outside_knowledge":
        return str(p["reason_outside"])
    if reason.kind == "no_symptoms":
        return str(p["reason_no_symptoms"])
    return str(reason.ref or reason.kind)


def frequency(name: str, probability: float, lang: str) -> str:
    """``probability`` as a natural frequency: "about 7 in 10 people ... have this"."""
    p = answers(lang)
    if probability >= 0.95:
        return str(p["likely_most"]).format(name=name)
    if probability >= 0.095:
        n = round(probability * 10)
        return str(p["likely_one" if n == 1 else "likely"]).format(name=name, n=n)
    pct = round(probability * 100)
    if pct < 1:
        return str(p["likely_few"]).format(name=name)
    return str(p["likely_one_pct" if pct == 1 else "likely_pct"]).format(name=name, n=pct)


def is_pregnant(kb: KnowledgeBase, findings: Sequence[FindingResult]) -> bool:
    """True when an evidence with the role ``pregnancy`` is present."""
    roles = {e.id for e in kb.evidences if "pregnancy" in e.roles}
    return any(f.evidence in roles and f.status == "present" for f in findings)


def _said(findings: Sequence[FindingResult], source: str = "") -> list[str]:
    """What the person told us, in their terms, without repeats.

    Findings read from text are quoted from ``source`` (the text read), with spans that
    touch (only spaces or an apostrophe between them) joined: "crushing chest pain".
    """
    out: list[str] = []

    def add(item: str) -> None:
        nonlocal out
        if any(item in other for other in out):
            return
        out = [other for other in out if other not in item]
        out.append(item)

    spans = sorted(
        {f.span for f in findings if f.source == "text" and f.status == "present" and f.span}
    )
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and (a <= merged[-1][1] or _GLUE.fullmatch(source[merged[-1][1] : a])):
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    for a, b in merged:
        if source[a:b].strip():
            add(source[a:b].strip().lower())
    for f in findings:
        if f.source == "implied" or f.status != "present":
            continue
        if f.source == "text" and f.span and source:
            continue
        if f.source == "text" and f.text:
            add(f.text.strip().lower())
        else:
            add(f"{f.label}: {f.value_label}" if f.value_label else f.label)
    return out


_GLUE = re.compile(r"[\s'’]*(s\b)?[\s]*")


def _reasons(kb: KnowledgeBase, triage: TriageResult, *, limit: int) -> list[str]:
    """The first reasons for the level, without a second "most likely" condition and
    without a likely condition whose own level is not the one reached (it did not set it)."""
    out: list[str] = []
    seen_likely = False
    for i, text in enumerate(triage.reasons):
        code = triage.codes[i] if i < len(triage.codes) else ""
        if code.startswith("likely"):
            cond = kb.condition_by_id.get(code.partition(":")[2])
            if seen_likely or (cond is not None and cond.care_level != triage.level):
                continue
            seen_likely = True
        if text and text not in out:
            out.append(text)
    return out[:limit]


def sections(
    kb: KnowledgeBase,
    *,
    differential: Sequence[ConditionResult],
    triage: TriageResult,
    findings: Sequence[FindingResult],
    something_else: SomethingElse,
    lang: str,
    age: float | None = None,
    text: str = "",
    worried: bool = False,
    pregnant: bool | None = None,
) -> dict[str, list[str]]:
    """The answer as its six parts (keys in :data:`SECTION_KEYS`), each a list of lines.

    ``self_care`` is empty unless the care level is ``self_care``; every other part always
    has at least one line. ``pregnant`` defaults to the pregnancy evidence being present.
    """
    p = answers(lang)
    level = triage.level
    urgent = level in _URGENT
    ambulance = level == "emergency_ambulance"
    child_below, older_from = audience_ages()
    child = age is not None and age < child_below
    older = age is not None and age >= older_from
    if pregnant is None:
        pregnant = is_pregnant(kb, findings)
    top = differential[0] if differential else None
    info = kb.info(top.id, lang) if top is not None else None
    out: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}

    # 1. acknowledgement, in the person's own terms
    ack = out["acknowledgement"]
    if child:
        ack.append(str(p["ack_child"]))
    said = _said(findings, text)
    if said:
        shown = said[:_MAX_SAID]
        if len(said) > _MAX_SAID:
            shown.append(str(p["ack_more"]).format(n=len(said) - _MAX_SAID))
        ack.append(str(p["ack"]).format(items=join(shown, lang)))
    else:
        ack.append(str(p["ack_none"]))
    if worried:
        ack.append(str(p["ack_worry"]))
        if something_else.likely and not urgent:
            ack.append(str(p["worry_unsure"]))
        else:
            ack.append(str(p["worry_level"][level]))

    # 2. likely explanations, as natural frequencies, or an honest "something else"
    exp = out["explanation"]
    if something_else.likely and something_else.reason:
        exp.append(something_else.reason)
    if differential:
        limit = 2 if ambulance else _MAX_CONDITIONS
        shown_c = [
            c
            for i, c in enumerate(differential[:limit])
            if i == 0 or c.probability >= _MIN_SHOWN_PROBABILITY
        ]
        if something_else.likely:
            exp.append(str(p["closest_intro"]))
        else:
            exp.append(str(p["likely_intro_one" if len(shown_c) == 1 else "likely_intro"]))
        for rank, c in enumerate(shown_c):
            exp.append("- " + frequency(c.name, c.probability, lang))
            if c.reasons_for:
                labels = [r.label for r in c.reasons_for[: 2 if ambulance else 3]]
                exp.append("  " + str(p["for"]).format(items=join(labels, lang)))
            if c.reasons_against and not ambulance:
                labels = [r.label for r in c.reasons_against[:2]]
                exp.append("  " + str(p["against"]).format(items=join(labels, lang)))
            if rank == 0 and info is not None and info.what and not ambulance:
                exp.append("  " + str(p["what"]).format(text=info.what))
    elif not exp:
        exp.append(str(p["no_match"] if said else p["no_symptoms"]))

    # 3. what to do now: at the urgent levels, one short instruction before anything else
    act = out["action"]
    act.append(str(p["level_now"][level]))
    act.extend(_reasons(kb, triage, limit=1 if ambulance else 2))
    if urgent:
        if pregnant:
            act.append(str(p["pregnant_urgent"]))
        if child:
            act.append(str(p["child_urgent"]))
    else:
        if pregnant:
            act.append(str(p["pregnant"]))
        if older:
            act.append(str(p["older"]))

    # 4. self-care, how long it lasts, whether it spreads (self-care level only)
    care = out["self_care"]
    if level == "self_care":
        care.append(str(p["self_care_intro"]))
        if info is not None and info.self_care:
            care.extend("- " + s for s in info.self_care)
        else:
            care.append("- " + str(p["self_care_generic"]))
        if child:
            care.append(str(p["self_care_child"]))
        if info is not None:
            if info.course:
                care.append(str(p["lasts"]).format(text=info.course))
            if info.contagious:
                care.append(str(p["contagious"]).format(text=info.contagious))

    # 5. safety-netting: the condition's own warning signs
    net = out["safety_net"]
    if urgent:
        net.append(str(p["wait_ambulance" if ambulance else "wait_emergency"]))
    else:
        if info is not None and info.seek_care:
            net.append(str(p["safety_intro"]))
            net.extend("- " + s for s in info.seek_care)
        if child:
            net.append(str(p["safety_child"]))
        elif older:
            net.append(str(p["safety_older"]))
        if level != "self_care":
            net.append(str(p["safety_not_better"]))
        net.append(str(p["safety_worse"]))

    # 6. not a diagnosis
    out["disclaimer"].append(disclaimer(lang, urgent=urgent))
    return out


def render(parts: dict[str, list[str]], *, level: str) -> str:
    """Plain text from :func:`sections`: one paragraph per part, short lines, no markup."""
    order = URGENT_ORDER if level in _URGENT else SECTION_KEYS
    return "\n\n".join("\n".join(parts[key]) for key in order if parts.get(key))


def summary(
    kb: KnowledgeBase,
    *,
    differential: Sequence[ConditionResult],
    triage: TriageResult,
    findings: Sequence[FindingResult],
    something_else: SomethingElse,
    lang: str,
    age: float | None = None,
    text: str = "",
    worried: bool = False,
    pregnant: bool | None = None,
) -> str:
    """The plain-language answer: :func:`sections` rendered as plain text."""
    parts = sections(
        kb,
        differential=differential,
        triage=triage,
        findings=findings,
        something_else=something_else,
        lang=lang,
        age=age,
        text=text,
        worried=worried,
        pregnant=pregnant,
    )
    return render(parts, level=triage.level)
