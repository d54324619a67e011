"""From matched phrases to findings, using the roles the vocabulary gives its evidences.

* A lexicon entry gives its evidence (and values, and the findings it implies); its status
  comes from the context (:func:`symptomatic.language.text.context.status`). An entry with
  ``needs`` applies only when that evidence (or trigger word) is present in the clause
  ("tearing" is a kind of pain only when a pain is mentioned).
* Said of a relative, an entry gives the family-history evidence it names, never the
  person's own; said hypothetically, nothing.
* A body location attaches to the nearest evidence that has a follow-up with the role
  ``location`` (pain, rash, swelling): "pain in my ankle" is pain, located at the ankle;
  after a radiation cue ("spreads to"), a pain's location is its ``radiation``.
* :func:`resolve` keeps one finding per (evidence, value): present wins, one value per
  categorical evidence.

Matching the nearest evidence uses positions sorted once, so the cost stays linear in the
text's length.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from symptomatic._types import Finding, Status
from symptomatic.knowledge import KnowledgeBase
from symptomatic.language._resources import LexEntry
from symptomatic.language.text.context import status as context_status
from symptomatic.language.text.match import Match
from symptomatic.language.text.tokens import Token

__all__ = ["Roles", "resolve", "to_findings"]


class Roles(NamedTuple):
    """The evidences the parser needs by role, read from the knowledge base."""

    location_of: Mapping[str, str]  # evidence -> its follow-up with the role "location"
    radiation_of: Mapping[str, str]  # evidence -> its follow-up with the role "radiation"
    fever: str | None
    intensity: str | None

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Roles:
        location = {e.parent: e.id for e in kb.evidences if "location" in e.roles and e.parent}
        radiation = {e.parent: e.id for e in kb.evidences if "radiation" in e.roles and e.parent}
        fever = next((e.id for e in kb.evidences if "fever" in e.roles), None)
        intensity = next((e.id for e in kb.evidences if "intensity" in e.roles), None)
        return cls(location, radiation, fever, intensity)


class _Nearest:
    """Mentions of one kind, sorted by position, for nearest-mention lookups."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, Match, Any]] = []
        self._sorted = True

    def add(self, m: Match, payload: Any) -> None:
        self._items.append((m.first, len(self._items), m, payload))
        self._sorted = False

    def nearest(self, m: Match) -> tuple[Match, Any] | None:
        """The mention nearest ``m``: in its clause if any, else the closest anywhere."""
        if not self._items:
            return None
        if not self._sorted:
            self._items.sort(key=lambda t: (t[0], t[1]))
            self._firsts = [t[0] for t in self._items]
            self._sorted = True
        k = bisect.bisect_left(self._firsts, m.first)
        best: tuple[int, int, tuple[Match, Any]] | None = None
        for j in range(max(0, k - 3), min(len(self._items), k + 4)):
            _, order, pm, payload = self._items[j]
            if pm is m:
                return (pm, payload)
            dist = (0 if pm.clause == m.clause else 1000) + min(
                abs(pm.first - m.last), abs(m.first - pm.last)
            )
            if best is None or (dist, order) < (best[0], best[1]):
                best = (dist, order, (pm, payload))
        return None if best is None else best[2]


def _finding(evidence: str, status: str, value: str | None, m: Match, surface: str) -> Finding:
    st: Status = status  # type: ignore[assignment]
    return Finding(evidence, st, value, span=(m.start, m.end), text=surface, source="text")


def _parents(e: LexEntry, roles: Roles) -> list[str]:
    """The located evidences (pain, rash, swelling) an entry mentions."""
    codes = [e.evidence] if e.evidence is not None and e.evidence in roles.location_of else []
    codes += [w.evidence for w in e.with_ if w.evidence in roles.location_of]
    if e.evidence is not None and e.evidence not in roles.location_of:
        # An entry implying a location ("headache": pain, in the head) is a mention of it.
        for w in e.with_:
            for parent, loc in roles.location_of.items():
                if w.evidence == loc and parent not in codes:
                    codes.append(parent)
    return codes


def to_findings(
    kb: KnowledgeBase,
    roles: Roles,
    main: Sequence[Match],
    all_toks: Sequence[Token],
    text: str,
    sides: Mapping[str, tuple[str, ...]],
    trigger_matches: Sequence[Match] = (),
    carer_history: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Findings from the main matches, their context already applied. ``trigger_matches``
    are the trigger words found anywhere (also inside a longer phrase)."""
    out: list[Finding] = []
    parents: dict[str, _Nearest] = {}
    triggers: dict[int, set[str]] = {}
    for m in (*main, *trigger_matches):
        for kind, name in m.items:
            if kind == "trig":
                triggers.setdefault(m.clause, set()).add(name)

    mentioned: dict[str, _Nearest] = {}

    def register(m: Match, entries: Sequence[LexEntry]) -> None:
        st = context_status(m.cats, False)
        if st is None or "family" in m.cats:
            return
        for e in entries:
            for code in _parents(e, roles):
                parents.setdefault(code, _Nearest()).add(m, st)
            for said in (e.evidence, *(w.evidence for w in e.with_)):
                if said is not None:
                    mentioned.setdefault(said, _Nearest()).add(m, st)

    split = []
    for m in main:
        entries = [e for k, e in m.items if k == "lex"]
        uncond = [e for e in entries if e.needs is None]
        cond = [e for e in entries if e.needs is not None]
        split.append((m, uncond, cond))
        if not cond:
            register(m, uncond)
    emitted: list[tuple[Match, LexEntry]] = []
    for m, uncond, cond in split:
        chosen = []
        for e in cond:
            need = e.needs or ""
            if need in kb.evidence_by_id:
                p = mentioned.get(need, _Nearest()).nearest(m)
                if p is not None and p[1] != "absent" and p[0].clause == m.clause:
                    chosen.append(e)
            elif need in triggers.get(m.clause, ()):
                chosen.append(e)
        use = chosen or uncond
        if cond and not chosen:
            register(m, uncond)
        emitted += [(m, e) for e in use]

    for m, e in emitted:
        surface = text[m.start : m.end]
        if e.needs is not None and e.needs in kb.evidence_by_id:
            p = mentioned.get(e.needs, _Nearest()).nearest(m)
            status = p[1] if p is not None else "present"
            own = context_status(m.cats, False)
            if own is None:
                continue  # said in a question or a hypothesis
            if own == "absent":
                status = "absent"  # "not flaky": the entry's own negation wins
            if e.evidence is not None:
                values = e.values or (None,)
                out += [_finding(e.evidence, status, v, m, surface) for v in values]
            continue
        carer = False
        if "family" in m.cats:
            if "hypothetical" in m.cats or "question" in m.cats:
                continue
            codes = list(e.family) + (list(e.family_mother) if m.relative == "mother" else [])
            neg = "negated" in m.cats
            out += [_finding(c, "absent" if neg else "present", None, m, surface) for c in codes]
            if codes or e.evidence is None:
                continue
            ev = kb.evidence_by_id.get(e.evidence)
            if ev is None or (ev.history and e.evidence not in carer_history):
                continue
            # "my dad is grey and sweaty", "Dad's on apixaban": what a relative has or takes
            # now is the patient's, written by a carer (family history is said with
            # illnesses, read above).
            carer = True
        if e.evidence is None or e.evidence not in kb.evidence_by_id:
            continue
        cats = m.cats - {"family"} if carer else m.cats
        status = context_status(cats, kb.evidence_by_id[e.evidence].history)
        if status is None:
            continue
        children = {w.evidence for w in e.with_ if w.values}
        main_is_parent = any(
            kb.evidence_by_id[c].parent == e.evidence for c in children if c in kb.evidence_by_id
        )
        if status == "absent":
            if not main_is_parent:
                out.append(_finding(e.evidence, "absent", None, m, surface))
            for w in e.with_:
                out += [_finding(w.evidence, "absent", v, m, surface) for v in w.values]
            continue
        out += [_finding(e.evidence, status, v, m, surface) for v in (e.values or (None,))]
        for w in e.with_:
            out += [_finding(w.evidence, status, v, m, surface) for v in (w.values or (None,))]

    # Body locations: attach to the nearest located evidence (pain spreading: radiation).
    located = _Nearest()
    for code, index in parents.items():
        for _, _, pm, st in index._items:
            located.add(pm, (code, st))
    rads: dict[int, list[int]] = {}
    for m in main:
        if any(k == "rad" for k, _ in m.items):
            rads.setdefault(m.clause, []).append(m.first)
    for m in main:
        if not any(k == "loc" for k, _ in m.items):
            continue
        locs = sorted({v for k, vs in m.items if k == "loc" for v in vs})
        p = located.nearest(m)
        if p is None:
            continue
        pm, (code, status) = p
        if "family" in pm.cats or context_status(pm.cats, False) is None:
            continue
        if pm.clause != m.clause:
            continue  # a place belongs to a pain, rash or swelling of its own clause
        own = context_status(m.cats, False)
        if own is None:
            continue  # a place named in a question or a hypothesis
        if own == "absent":
            status = "absent"  # "my chest is fine": not there
        target = roles.location_of[code]
        if code in roles.radiation_of and any(
            pm.last < r < m.first for r in rads.get(m.clause, ())
        ):
            target = roles.radiation_of[code]
        values = _side(kb, all_toks, m, tuple(locs), sides)
        surface = text[m.start : m.end]
        out += [_finding(target, status, v, m, surface) for v in values]
    return out + _shared_places(roles, parents, out, all_toks)


def _shared_places(
    roles: Roles,
    parents: Mapping[str, _Nearest],
    found: Sequence[Finding],
    all_toks: Sequence[Token],
) -> list[Finding]:
    """A place said of one located symptom is also where the other located symptoms of
    its clause are, when they have no place anywhere in the text: "my hand is swollen and
    throbbing" is pain in the hand too; "a rash on my arm and my head hurts" is not pain in
    the arm. ``found`` are the findings read so far."""
    code_of = {loc: code for code, loc in roles.location_of.items()}
    clause_at = {t.start: t.clause for t in all_toks}
    placed: dict[int, dict[str, Finding]] = {}
    for f in found:
        if f.evidence in code_of and f.status == "present" and f.value and f.span:
            clause = clause_at.get(f.span[0])
            if clause is not None:
                placed.setdefault(clause, {}).setdefault(f.value, f)
    has_place = {f.evidence for f in found}
    out: list[Finding] = []
    for code, index in parents.items():
        if roles.location_of[code] in has_place:
            continue
        clauses = {pm.clause for _, _, pm, st in index._items if st == "present"}
        for clause in sorted(clauses & placed.keys()):
            for value, f in placed[clause].items():
                out.append(replace(f, evidence=roles.location_of[code], value=value))
    return out


def _start(t: Token) -> int:
    return t.start


def _side(
    kb: KnowledgeBase,
    all_toks: Sequence[Token],
    m: Match,
    values: tuple[str, ...],
    sides: Mapping[str, tuple[str, ...]],
) -> tuple[str, ...]:
    """Keep the left or right values when "left"/"right" is said next to the location."""
    first = bisect.bisect_left(all_toks, m.start, key=_start)
    last = bisect.bisect_right(all_toks, m.end - 1, key=_start) - 1
    near = {all_toks[k].norm for k in range(max(0, first - 3), min(len(all_toks), last + 3))}
    for side, words in sides.items():
        if near & set(words):
            kept = tuple(v for v in values if side in kb.values[v].label["en"])
            if kept:
                return kept
    return values


def resolve(kb: KnowledgeBase, findings: Sequence[Finding]) -> list[Finding]:
    """One finding per (evidence, value); present wins; one value per categorical."""
    rank = {"present": 0, "absent": 1, "unknown": 2}
    best: dict[tuple[str, str | None], Finding] = {}
    for f in findings:
        if f.evidence not in kb.evidence_by_id:
            continue
        key = (f.evidence, f.value)
        old = best.get(key)
        if old is None or rank[f.status] < rank[old.status]:
            best[key] = f
    out = list(best.values())
    present = {(f.evidence, f.value) for f in out if f.status == "present"}
    present_ids = {f.evidence for f in out if f.status == "present"}
    children_present = {kb.evidence_by_id[e].parent for e in present_ids}
    result: list[Finding] = []
    chosen_value: dict[str, Finding] = {}
    for f in out:
        ev = kb.evidence_by_id[f.evidence]
        if ev.kind == "categorical" and f.status == "present":
            old = chosen_value.get(f.evidence)
            if old is None or (ev.scale and int(f.value or 0) > int(old.value or 0)):
                chosen_value[f.evidence] = f
            continue
        if ev.kind == "categorical" and f.status != "present" and f.evidence in present_ids:
            continue
        if f.status == "absent" and f.value is None and f.evidence in children_present:
            continue
        if f.status != "present" and f.value is None and (f.evidence, None) in present:
            continue
        result.append(f)
    result += chosen_value.values()
    result.sort(key=lambda f: (f.span or (0, 0), f.evidence, f.value or ""))
    return result
