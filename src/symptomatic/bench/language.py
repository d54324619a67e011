"""How well :func:`symptomatic.language.parse` reads everyday English and French.

:func:`run_language` reports first the blind lay set (:mod:`symptomatic.bench.lay`:
written and annotated by people who never saw the lexicon; the figures that count), then,
for the ``dev`` and ``heldout`` parts of the project's own
annotated set ``symptomatic/bench/data/own_eval_set.json``: finding precision, recall
and F1 (a finding is an (evidence, status, value) triple), and negation accuracy (of the
expected *absent* findings whose evidence and value the parser found, the share it found
absent). It also
times the parser (median milliseconds per description) and, when a DDXPlus patients CSV
is available, measures end to end: each patient's evidences are written out as text by
several templates (English and French; with the lexicon's everyday words, or with the
knowledge base's own wording), parsed, and run through :class:`~symptomatic.Checker`; the
share of patients whose condition is in the top 3 is compared with giving the same
evidences as structured answers.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from symptomatic.bench._scores import prf
from symptomatic.knowledge import KnowledgeBase
from symptomatic.knowledge._io import package_dir, read_json
from symptomatic.language._resources import LexEntry, load_language

DEFAULT_PATIENTS = Path("..") / "shared" / "data" / "ddxplus" / "release_test_patients_sample.csv"
Triple = tuple[str, str, str | None]


def load_eval_set() -> list[dict[str, Any]]:
    doc = read_json(package_dir("symptomatic.bench", "data"), "own_eval_set.json")
    items: list[dict[str, Any]] = doc["items"]
    return items


def _expected(item: dict[str, Any]) -> list[Triple]:
    return [(f["evidence"], f["status"], f.get("value")) for f in item["expected"]]


def score(
    pairs: Iterable[tuple[Sequence[Triple], Sequence[Triple]]],
) -> dict[str, float | int]:
    """Micro precision/recall/F1 and negation accuracy over (expected, found) pairs."""
    tp = fp = fn = 0
    neg_total = neg_ok = 0
    n = 0
    for expected, found in pairs:
        n += 1
        exp, got = set(expected), set(found)
        tp += len(exp & got)
        fp += len(got - exp)
        fn += len(exp - got)
        by_key = {(c, v): s for c, s, v in got}
        for c, s, v in exp:
            if s == "absent" and (c, v) in by_key:
                neg_total += 1
                neg_ok += by_key[(c, v)] == "absent"
    return {
        "items": n,
        **prf(tp, tp + fp, tp, tp + fn),
        "negation_accuracy": round(neg_ok / neg_total, 4) if neg_total else 1.0,
        "negation_n": neg_total,
    }


def _found(kb: KnowledgeBase, text: str, lang: str) -> list[Triple]:
    from symptomatic.language.parse import parse

    return [(f.evidence, f.status, f.value) for f in parse(kb, text, lang=lang).findings]


def run_eval_set(kb: KnowledgeBase, split: str) -> dict[str, float | int]:
    items = [i for i in load_eval_set() if i["split"] == split]
    return score((_expected(i), _found(kb, i["text"], i["lang"])) for i in items)


def parse_time_ms(kb: KnowledgeBase, *, repeat: int = 3) -> float:
    """Median time to parse one description of the evaluation set, in milliseconds."""
    from symptomatic.language.parse import parse

    items = load_eval_set()
    for i in items[:5]:
        parse(kb, i["text"], lang=i["lang"])  # warm the caches
    times = []
    for _ in range(repeat):
        for i in items:
            t0 = time.perf_counter()
            parse(kb, i["text"], lang=i["lang"])
            times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 3)


# ---- end to end ------------------------------------------------------------------------
TEMPLATES: dict[str, tuple[str, str]] = {
    # name: (language, wording source)
    "en_lexicon": ("en", "lexicon"),
    "en_kb": ("en", "kb"),
    "fr_lexicon": ("fr", "lexicon"),
    "fr_kb": ("fr", "kb"),
}
_FRAME = {
    "en": (
        "I have {items}.",
        " and ",
        "pain in my {loc}",
        "a rash on my {loc}",
        "swelling of my {loc}",
        "it spreads to my {loc}",
        "the pain is {n}/10",
        "it came on suddenly",
        "it came on slowly",
        "I recently travelled to {place}",
    ),
    "fr": (
        "J'ai {items}.",
        " et ",
        "mal au niveau de {loc}",
        "une éruption sur {loc}",
        "un gonflement de {loc}",
        "ça irradie vers {loc}",
        "la douleur est à {n}/10",
        "c'est arrivé d'un coup",
        "c'est venu petit à petit",
        "j'ai voyagé en {place}",
    ),
}


def _canonical(
    kb: KnowledgeBase, lang: str
) -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    """First everyday term per evidence, per (evidence, value), and per location value."""
    lex = load_language(lang).lexicon
    plain: dict[str, str] = {}
    valued: dict[tuple[str, str], str] = {}
    for e in lex.entries:
        if e.evidence is None or not e.terms:
            continue
        if e.values:
            for v in e.values:
                valued.setdefault((e.evidence, v), e.terms[0])
        elif not _is_located_pain(kb, e):
            plain.setdefault(e.evidence, e.terms[0])
    loc: dict[str, str] = {}
    for x in lex.locations:
        for v in x.values:
            loc.setdefault(v, x.terms[0])
    return plain, valued, loc


def _is_located_pain(kb: KnowledgeBase, e: LexEntry) -> bool:
    return (
        e.with_ != () and e.evidence is not None and "pain" in kb.evidence_by_id[e.evidence].roles
    )


def render(kb: KnowledgeBase, answers: dict[str, list[str]], lang: str, source: str) -> str:
    """A patient's evidences as one sentence of everyday text."""
    plain, valued, loc = _canonical(kb, lang)
    frame = _FRAME[lang]
    parts: list[str] = []

    def name(code: str) -> str:
        if source == "lexicon" and code in plain:
            return plain[code]
        return kb.evidence_by_id[code].text[lang].present

    def locs(values: list[str]) -> str:
        words = []
        for v in values:
            w = loc.get(v) if source == "lexicon" else None
            w = w or kb.values[v].label[lang]
            if w not in words:
                words.append(w)
        return frame[1].join(words)

    frame_of = {"pain": 2, "rash": 3, "swelling": 4}
    for code, values in answers.items():
        ev = kb.evidence_by_id.get(code)
        if ev is None:
            continue
        real = [v for v in values if v not in ("present", ev.default, "0")]
        parent = kb.evidence_by_id[ev.parent] if ev.parent else None
        if ev.kind == "binary":
            located = any("location" in c.roles and c.id in answers for c in kb.children(code))
            if ev.roles & frame_of.keys() and located:
                continue  # said with its location below
            parts.append(name(code))
        elif not real:
            continue
        elif "location" in ev.roles and parent is not None and parent.roles & frame_of.keys():
            role = next(iter(parent.roles & frame_of.keys()))
            parts.append(frame[frame_of[role]].format(loc=locs(real)))
        elif "radiation" in ev.roles:
            parts.append(frame[5].format(loc=locs(real)))
        elif "intensity" in ev.roles:
            parts.append(frame[6].format(n=real[0]))
        elif "onset_speed" in ev.roles:
            n = int(real[0])
            if n >= 7 or n <= 3:
                parts.append(frame[7] if n >= 7 else frame[8])
        elif "travel" in ev.roles:
            place = valued.get((code, real[0])) if source == "lexicon" else None
            parts.append(frame[9].format(place=place or kb.values[real[0]].label[lang]))
        else:
            for v in real:
                term = valued.get((code, v)) if source == "lexicon" else None
                if term is None:
                    label = v if ev.scale else kb.values[v].label[lang]
                    term = f"{ev.text[lang].present}: {label}"
                parts.append(term)
    if not parts:
        return ""
    items = ", ".join(parts[:-1]) + frame[1] + parts[-1] if len(parts) > 1 else parts[0]
    return frame[0].format(items=items)


def run_end_to_end(
    kb: KnowledgeBase,
    patients_csv: str | Path,
    *,
    limit: int = 300,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    from symptomatic import Checker, Finding
    from symptomatic.bench.ddxplus import condition_index, read_patients

    checker = Checker(knowledge=kb, max_conditions=3, min_probability=0.0)
    by_source = {name: kb.conditions[i].id for name, i in condition_index(kb).items()}
    patients = list(read_patients(patients_csv, limit=limit))
    hits = dict.fromkeys(("structured", *TEMPLATES), 0)
    for n, p in enumerate(patients, 1):
        truth = by_source.get(p.pathology)
        answers = p.findings(kb)
        findings = [
            Finding(code, "present", None if v == "present" else v)
            for code, vs in answers.items()
            for v in vs
        ]
        res = checker.check(age=p.age, sex=p.sex, findings=findings)
        hits["structured"] += truth in [c.id for c in res.differential[:3]]
        for name, (lang, source) in TEMPLATES.items():
            text = render(kb, answers, lang, source)
            res = checker.check(age=p.age, sex=p.sex, text=text, lang=lang)
            hits[name] += truth in [c.id for c in res.differential[:3]]
        if progress is not None:
            progress(n, len(patients))
    total = max(1, len(patients))
    return {
        "patients": len(patients),
        "top3": {k: round(v / total, 4) for k, v in hits.items()},
    }


def run_language(
    kb: KnowledgeBase,
    *,
    patients_csv: str | Path | None = None,
    limit: int = 300,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Every language metric in one JSON-ready dict (see the module docstring)."""
    from symptomatic.bench.lay import run_lay

    out: dict[str, Any] = {
        "blind": run_lay(kb),
        "own_set": {"dev": run_eval_set(kb, "dev"), "heldout": run_eval_set(kb, "heldout")},
        "parse_ms_median": parse_time_ms(kb),
    }
    path = Path(patients_csv) if patients_csv is not None else DEFAULT_PATIENTS
    if path.is_file() and limit > 0:
        out["end_to_end"] = run_end_to_end(kb, path, limit=limit, progress=progress)
    else:
        out["end_to_end"] = {"skipped": f"patients file not found: {path}"}
    return out
