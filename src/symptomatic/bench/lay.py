"""The blind lay set: how people really write, read by the parser and the whole checker.

The set (``bench/data/lay_set.json``) holds 828 descriptions in everyday English and
French, written by people who saw only the list of conditions (never the lexicon, rules or
knowledge), each with the gold condition and its ICD-10 code, or ``outside`` for a
complaint the knowledge base does not cover. Independent annotators then marked the
findings of each text (``lay_set_findings.json``) from the texts and the vocabulary alone.
Both files were split into a development half and a test half and frozen (sha256 per half
in the ``*.freeze.json`` files) before any tuning; only the development half is read case
by case.

:func:`run_lay` reports per half and per language:

* ``findings``: micro precision, recall and F1 of the parser's findings against the
  annotators'. A finding is (evidence, status, value). Annotators named body *sites*
  (``head``, ``lower-belly``), the parser names precise places (``right-temple``,
  ``forehead``...): the places the parser reads in one mention ("headache") count as one
  found finding, right when one of them lies in an annotated site of the same evidence
  and status (the site map in ``lay_set_findings.json``); an annotated site is found when
  any found place of the same evidence and status lies in it.
* ``top1`` / ``top3``: for descriptions of conditions in the base, the share whose gold
  condition is first / in the first three of the differential from the text alone (with
  the age and sex the writer gave); ``top3_by_condition``: the mean over conditions of
  each condition's top-3 share (the share of *conditions* the checker finds);
* ``other_when_outside``: for descriptions outside the base, the share answered "something
  else is likely"; ``other_when_inside``: the same for descriptions inside it (lower is
  better).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from symptomatic.bench._scores import prf
from symptomatic.knowledge import KnowledgeBase
from symptomatic.knowledge._io import package_dir, read_json

__all__ = ["load_lay_set", "located_evidences", "run_lay", "score_findings"]

Triple = tuple[str, str, str | None]
Found = tuple[str, str, str | None, object]  # a triple and the span it was read from


def located_evidences(kb: KnowledgeBase) -> frozenset[str]:
    """The evidences whose values are places on the body (roles ``location`` and
    ``radiation``, as the language data's check reads them): their places match by site."""
    return frozenset(e.id for e in kb.evidences if {"location", "radiation"} & e.roles)


def load_lay_set() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The lay set's items joined with their annotated findings, and the site map."""
    data = package_dir("symptomatic.bench", "data")
    items: list[dict[str, Any]] = read_json(data, "lay_set.json")["items"]
    ann = read_json(data, "lay_set_findings.json")
    by_id = {a["id"]: a for a in ann["items"]}
    joined = [{**i, "findings": by_id[i["id"]]["findings"]} for i in items]
    sites: dict[str, list[str]] = ann["sites"]
    return joined, sites


def _triples(findings: Iterable[dict[str, Any]]) -> set[Triple]:
    """The annotated findings as triples (a number written as a number is its text)."""
    return {
        (f["evidence"], f["status"], None if f.get("value") is None else str(f["value"]))
        for f in findings
    }


def _mentions(
    found: Iterable[Found], located: frozenset[str]
) -> list[tuple[str, str, frozenset[str | None]]]:
    """Found findings as mentions: the places read in one span are one mention."""
    places: dict[tuple[str, str, object], set[str | None]] = {}
    out: list[tuple[str, str, frozenset[str | None]]] = []
    for ev, st, v, span in found:
        if ev in located and v is not None:
            places.setdefault((ev, st, span), set()).add(v)
        else:
            out.append((ev, st, frozenset({v})))
    out += [(ev, st, frozenset(vs)) for (ev, st, _), vs in places.items()]
    return out


def score_findings(
    pairs: Iterable[tuple[set[Triple], set[Found]]],
    sites: dict[str, list[str]],
    located: frozenset[str],
) -> dict[str, float | int]:
    """Micro precision, recall and F1 over (gold, found) pairs, the places of the
    ``located`` evidences (:func:`located_evidences`) matched by site."""
    cover = {s: frozenset(vs) | {s} for s, vs in sites.items()}
    found_n = gold_n = found_ok = gold_ok = items = 0
    for gold, found_spans in pairs:
        items += 1
        found = {(ev, st, v) for ev, st, v, _ in found_spans}
        mentions = _mentions(found_spans, located)
        found_n += len(mentions)
        gold_n += len(gold)
        for ev, st, vs in mentions:
            if ev in located and None not in vs:
                found_ok += any(
                    g_ev == ev
                    and g_st == st
                    and g_v is not None
                    and bool(vs & cover.get(g_v, {g_v}))
                    for g_ev, g_st, g_v in gold
                )
            else:
                found_ok += (ev, st, next(iter(vs))) in gold
        for ev, st, v in gold:
            if ev in located and v is not None:
                places = cover.get(v, frozenset({v}))
                gold_ok += any(
                    f_ev == ev and f_st == st and f_v in places for f_ev, f_st, f_v in found
                )
            else:
                gold_ok += (ev, st, v) in found
    return {"items": items, **prf(found_ok, found_n, gold_ok, gold_n)}


def answer_items(kb: KnowledgeBase, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each item with the parser's findings, the top three conditions and "something else"."""
    from symptomatic import Checker, InputError

    checker = Checker(knowledge=kb, max_conditions=3, min_probability=0.0)
    out = []
    for it in items:
        row = dict(it)
        try:
            result = checker.check(age=it["age"], sex=it["sex"], text=it["text"], lang=it["lang"])
        except InputError:
            row.update(found=set(), top=[], other=False)
        else:
            row.update(
                found={
                    (f.evidence, f.status, f.value, f.span)
                    for f in result.findings
                    if f.source == "text"
                },
                top=[c.id for c in result.differential[:3]],
                other=result.something_else.likely,
            )
        out.append(row)
    return out


def _conditions(rows: list[dict[str, Any]]) -> dict[str, Any]:
    inside = [r for r in rows if r["gold"] != "outside"]
    outside = [r for r in rows if r["gold"] == "outside"]
    out: dict[str, Any] = {"inside": len(inside), "outside": len(outside)}
    if inside:
        out["top1"] = round(sum(r["top"][:1] == [r["gold"]] for r in inside) / len(inside), 4)
        out["top3"] = round(sum(r["gold"] in r["top"] for r in inside) / len(inside), 4)
        per: dict[str, list[bool]] = defaultdict(list)
        for r in inside:
            per[r["gold"]].append(r["gold"] in r["top"])
        out["conditions"] = len(per)
        out["top3_by_condition"] = round(sum(sum(v) / len(v) for v in per.values()) / len(per), 4)
        out["other_when_inside"] = round(sum(r["other"] for r in inside) / len(inside), 4)
    if outside:
        out["other_when_outside"] = round(sum(r["other"] for r in outside) / len(outside), 4)
    return out


def run_lay(kb: KnowledgeBase) -> dict[str, Any]:
    """Every metric of the module docstring, per half and per language."""
    items, sites = load_lay_set()
    rows = answer_items(kb, items)
    located = located_evidences(kb)
    out: dict[str, Any] = {}
    for split in ("dev", "test"):
        block: dict[str, Any] = {}
        for lang in ("en", "fr", "all"):
            part = [r for r in rows if r["split"] == split and lang in ("all", r["lang"])]
            block[lang] = {
                "findings": score_findings(
                    ((_triples(r["findings"]), r["found"]) for r in part), sites, located
                ),
                **_conditions(part),
            }
        out[split] = block
    return out
