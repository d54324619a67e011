"""Context: is a phrase negated, uncertain, in the past, about a relative, hypothetical?

Cues come from ``context.json`` (medspacy-style: cue, category, direction). A cue's scope
runs forward at most :data:`FORWARD_WINDOW` content words (backward
:data:`BACKWARD_WINDOW`), within its clause, and ends at a terminate cue, or at a comma
unless the clause lists with "or" ("no fever, cough or cold" negates all three). Pseudo
cues ("not only", "no improvement") are consumed and do nothing.

:func:`apply_context` looks only at the cues inside each target's window, through
per-position indexes and prefix sums, so a text of any length costs time linear in its
length (a 5,000-character "no fever, no fever, ..." is no slower per word than a short
sentence).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import accumulate

from symptomatic.language.text.match import Match
from symptomatic.language.text.tokens import Token

__all__ = ["BACKWARD_WINDOW", "FORWARD_WINDOW", "Scopes", "apply_context", "status"]

FORWARD_WINDOW = 8
BACKWARD_WINDOW = 5
#: A "backward_near" cue (French "pas" after the verb: "ça gratte pas") reaches only the
#: words just before it.
NEAR_WINDOW = 2


class Scopes:
    """The cues of one text, indexed by position, ready to mark any number of targets."""

    def __init__(self, cues: Sequence[Match], toks: Sequence[Token]) -> None:
        n = len(toks)
        self.ending: list[list[Match]] = [[] for _ in range(n)]  # scoped cues by last token
        self.starting: list[list[Match]] = [[] for _ in range(n)]  # by first token
        stop_mark = [0] * (n + 1)
        last_or: dict[int, int] = {}  # clause -> first token of its last "or" word
        for c in cues:
            if c.kind == "cue":
                self.ending[c.last].append(c)
                self.starting[c.first].append(c)
            elif c.kind == "term":
                stop_mark[c.first] = 1
                stop_mark[c.last] = 1
            elif c.kind == "or":
                last_or[c.clause] = max(last_or.get(c.clause, -1), c.first)
        self._stops = list(accumulate(stop_mark, initial=0))
        self._commas = list(accumulate((1 if t.comma_before else 0 for t in toks), initial=0))
        self._last_or = last_or
        self._toks = toks

    def _ends_phrase(self, c: Match) -> bool:
        """The cue is the last word before a comma or the end of its clause ("ça gratte
        pas." but not "pas de fièvre" nor "pas mal de toux")."""
        nxt = c.last + 1
        toks = self._toks
        return nxt >= len(toks) or toks[nxt].clause != c.clause or toks[nxt].comma_before

    def _clear(self, lo: int, hi: int, has_or: bool) -> bool:
        """No terminate cue strictly between ``lo`` and ``hi``, and no comma unless "or"."""
        if hi - lo > 1 and self._stops[hi] - self._stops[lo + 1] > 0:
            return False
        return has_or or self._commas[hi + 1] - self._commas[lo + 1] == 0

    def mark(self, m: Match) -> None:
        """Add to ``m.cats`` the category of every cue whose scope reaches it."""
        for lo in range(max(0, m.first - FORWARD_WINDOW), m.first):
            for c in self.ending[lo]:
                if c.clause != m.clause:
                    continue
                has_or = self._last_or.get(c.clause, -1) > c.last
                for _, (category, direction, relative) in c.items:
                    if direction in ("forward", "bidirectional") and self._clear(
                        lo, m.first, has_or
                    ):
                        m.cats.add(category)
                        if relative:
                            m.relative = relative
        upper = min(len(self.starting), m.last + BACKWARD_WINDOW + 1)
        for hi in range(m.last + 1, upper):
            for c in self.starting[hi]:
                if c.clause != m.clause:
                    continue
                for _, (category, direction, relative) in c.items:
                    near = (
                        direction == "backward_near"
                        and hi - m.last <= NEAR_WINDOW
                        and self._ends_phrase(c)
                    )
                    if (near or direction in ("backward", "bidirectional")) and self._clear(
                        m.last, hi, False
                    ):
                        m.cats.add(category)
                        if relative:
                            m.relative = relative


def apply_context(targets: Iterable[Match], scopes: Scopes) -> None:
    """Mark every target with the categories of the cues in scope."""
    for m in targets:
        scopes.mark(m)


def status(cats: set[str], history: bool) -> str | None:
    """present/absent/unknown for a finding said of the person; None: not asserted."""
    if "hypothetical" in cats or "question" in cats:
        return None
    if "negated" in cats:
        return "absent"
    if "historical" in cats:
        return "present" if history else "unknown"
    if "possible" in cats:
        return "unknown"
    return "present"
