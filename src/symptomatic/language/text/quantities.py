"""Numbers in words: temperatures, 0-10 scores, durations and ages.

The words come from each language's ``quantities.json`` (and the fever threshold, with its
source, from the shared ``data/quantities.json``); the grammar around them (how a unit
follows a number) is here. A temperature sets the evidence with the role ``fever``:
present at the threshold or above, absent below; one written without a unit counts when a
temperature word is near it ("temp 38.2"), or when it is a decimal in the range of body
temperatures ("38.5 last night"). "7/10" sets the evidence with the role ``intensity``.
Durations ("for two weeks", "depuis hier") and ages ("my 7 week old", "mon fils de 2 ans",
"newborn") are kept on the parse result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from symptomatic._types import Finding, Status
from symptomatic.language._resources import Quantities, load_quantities

__all__ = ["Duration", "Numbers", "read_numbers"]

_TEMP = r"(\d{2,3}(?:[.,]\d{1,2})?)"
#: After a decimal, a weight, size or dose: not a temperature.
_NOT_BARE = r"(?![\d%/]|\s*(?:kg|cm|mm|ml|mg|lb|kilo))"


@dataclass(frozen=True, slots=True)
class Duration:
    """How long something has lasted, as written ("for two weeks"), in days when known."""

    start: int
    end: int
    text: str
    days: float | None


class Numbers(NamedTuple):
    findings: list[Finding]
    spans: list[tuple[int, int]]
    durations: list[Duration]
    age: float | None


def _alternatives(words: Iterable[str]) -> str:
    """A regex group matching any of ``words``, longest first, escaped."""
    ws = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in ws) + ")" if ws else "(?!x)x"


class _Lazy:
    """A regex compiled when first used: those that need a digit, never compiled for a text
    without one (compiling the language's long alternations costs milliseconds)."""

    __slots__ = ("_flags", "_rx", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._rx: re.Pattern[str] | None = None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._rx is None:
            self._rx = re.compile(self._source, self._flags)
        return self._rx.finditer(text)


class _Patterns(NamedTuple):
    q: Quantities
    temp_unit: _Lazy
    temp_word: _Lazy
    temp_after: _Lazy
    bare_temp: _Lazy
    fahrenheit: frozenset[str]
    pain_scale: _Lazy
    duration: re.Pattern[str]
    infant_age: re.Pattern[str]
    age_word: re.Pattern[str]
    pills: _Lazy | None


@lru_cache(maxsize=8)
def _patterns(lang: str) -> _Patterns:
    q = load_quantities(lang)
    num = r"(\d+(?:[.,]\d+)?|" + _alternatives(q.number_words)[3:]
    unit = "(" + _alternatives(q.unit_days) + ")"
    infant_units = "(" + _alternatives(q.infant_units) + ")"
    temp_words = _alternatives(q.temperature_words)
    scales = (*q.celsius_words, *q.fahrenheit_words)
    letters = [w for w in scales if len(w) == 1]
    whole = range(q.bare_celsius[0], q.bare_celsius[1] + 1)
    not_a_count = _alternatives((*q.unit_days, *q.not_a_count)) + r"\b"
    return _Patterns(
        q=q,
        # A number, then a degree sign or word and maybe a scale (a whole word: "39 degrees
        # for two days" is not Fahrenheit), or a scale letter alone.
        temp_unit=_Lazy(
            _TEMP
            + r"\s*(?:[°º]\s*("
            + _alternatives(scales)
            + r"\b)?|"
            + _alternatives(q.degree_words)
            + r"\s*("
            + _alternatives(scales)
            + r"\b)?|\s?("
            + _alternatives(letters)
            + r")\b)",
            re.IGNORECASE,
        ),
        bare_temp=_Lazy(
            r"(?<![\d.,/])(" + "|".join(str(d) for d in whole) + r")[.,](\d)" + _NOT_BARE
        ),
        fahrenheit=frozenset(w.lower() for w in q.fahrenheit_words),
        temp_word=_Lazy(
            r"\b" + temp_words + r"[^\d.;!?\n]{0,20}?" + _TEMP + r"(?!\s*/|\d)", re.IGNORECASE
        ),
        temp_after=_Lazy(
            _TEMP + r"\s*" + _alternatives(q.temperature_after) + r"\s+" + temp_words,
            re.IGNORECASE,
        ),
        pain_scale=_Lazy(
            r"\b(\d{1,2})\s*" + _alternatives(q.out_of_ten) + r"\s*10\b", re.IGNORECASE
        ),
        duration=re.compile(
            r"\b"
            + _alternatives(q.duration_cues)
            + r"\s+(?:"
            + _alternatives(q.duration_fillers)
            + r"\s+)*"
            + num
            + r"\s+"
            + unit
            + r"\b"
            r"|\b"
            + _alternatives(q.since_cues)
            + r"\s+("
            + _alternatives(q.since_when)[3:]
            + r"\b",
            re.IGNORECASE,
        ),
        infant_age=re.compile(
            r"\b"
            + num
            + r"[\s-]+"
            + infant_units
            + r"[\s-]+"
            + _alternatives(q.infant_old)
            + r"\b|\b"
            + _alternatives(q.infant_nouns)
            + r"\s+"
            + _alternatives(q.infant_of)
            + r"\s*"
            + num
            + r"\s+"
            + infant_units
            + r"\b",
            re.IGNORECASE,
        ),
        age_word=re.compile(r"\b" + _alternatives(q.age_words) + r"\b", re.IGNORECASE),
        pills=_Lazy(
            r"\b(\d{1,3})\s+(?:x\s+)?(?!"
            + not_a_count
            + r")(?:\w+\s+){0,3}?"
            + _alternatives(q.pill_words)
            + r"\b",
            re.IGNORECASE,
        )
        if q.pill_words
        else None,
    )


def _celsius(value: float, fahrenheit: bool) -> float:
    return (value - 32) * 5 / 9 if fahrenheit or value >= 90 else value


def read_numbers(text: str, lang: str, *, fever: str | None, intensity: str | None) -> Numbers:
    """Temperatures, scores, durations and the age said in ``text`` (see the module doc).

    ``fever`` and ``intensity`` are the evidence ids with those roles (None: not read).
    """
    p = _patterns(lang)
    q = p.q
    digits = any(c.isdigit() for c in text)
    found: list[Finding] = []
    spans: list[tuple[int, int]] = []
    covered = bytearray(len(text) + 1)  # positions inside a temperature already read

    def temperature(start: int, end: int, raw: str, unit: str) -> None:
        if fever is None or covered[start]:
            return
        celsius = _celsius(float(raw.replace(",", ".")), unit.lower() in p.fahrenheit)
        if not q.plausible[0] <= celsius <= q.plausible[1]:
            return
        covered[start:end] = b"\x01" * (end - start)
        spans.append((start, end))
        status: Status = "present" if celsius >= q.fever_from else "absent"
        found.append(
            Finding(fever, status, None, span=(start, end), text=text[start:end], source="text")
        )

    for m in p.temp_unit.finditer(text) if digits else ():
        unit = next((g for g in m.groups()[1:] if g), "")
        temperature(m.start(1), m.end(), m.group(1), unit)
    for rx in (p.temp_after, p.temp_word) if digits else ():
        for m in rx.finditer(text):
            temperature(m.start(1), m.end(), m.group(1), "")
    for m in p.bare_temp.finditer(text) if digits else ():
        temperature(m.start(), m.end(), f"{m.group(1)}.{m.group(2)}", "c")
    if intensity is not None and digits:
        for m in p.pain_scale.finditer(text):
            n = int(m.group(1))
            if 0 <= n <= 10:
                spans.append((m.start(), m.end()))
                found.append(
                    Finding(
                        intensity,
                        "present",
                        str(n),
                        span=(m.start(), m.end()),
                        text=m.group(),
                        source="text",
                    )
                )

    def amount(qty: str) -> float | None:
        qty = qty.lower()
        return float(qty.replace(",", ".")) if qty[:1].isdigit() else q.number_words.get(qty)

    durations: list[Duration] = []
    for m in p.duration.finditer(text):
        days = None
        if m.group(1) and m.group(2):
            number = amount(m.group(1))
            per = q.unit_days.get(m.group(2).lower())
            if number is not None and per is not None:
                days = round(number * per, 4)
        elif m.group(3):
            days = q.since_when.get(m.group(3).lower())
        durations.append(Duration(m.start(), m.end(), m.group(), days))
        spans.append((m.start(), m.end()))
    if digits and p.pills is not None and q.pill_evidence is not None:
        for m in p.pills.finditer(text):
            if int(m.group(1)) >= q.pill_count_at_least:
                spans.append((m.start(), m.end()))
                found.append(
                    Finding(
                        q.pill_evidence,
                        "present",
                        None,
                        span=(m.start(), m.end()),
                        text=m.group(),
                        source="text",
                    )
                )
                break
    age = None
    for m in p.infant_age.finditer(text):
        number = amount(m.group(1) or m.group(3) or "")
        per_unit = q.infant_units.get((m.group(2) or m.group(4) or "").lower())
        if number is not None and per_unit is not None:
            age = round(number * per_unit, 4)
            spans.append((m.start(), m.end()))
    if age is None:
        for m in p.age_word.finditer(text):
            age = q.age_words[m.group().lower()]
            spans.append((m.start(), m.end()))
            break
    return Numbers(found, spans, durations, age)
