"""``symptomatic conditions``, ``evidences``, ``validate`` and ``--version``."""

from __future__ import annotations

import argparse
import sys

from symptomatic.cli._output import write_json

EXIT_KNOWLEDGE = 3


def cmd_version(args: argparse.Namespace) -> int:
    from symptomatic import __version__, load_knowledge

    kb = load_knowledge(args.kb)
    print(
        f"symptomatic {__version__} (knowledge base {kb.version}, sha256 {kb.sha256[:16]}; "
        f"{kb.attribution})"
    )
    return 0


def condition_rows(kb: object, lang: str) -> list[dict[str, object]]:
    from symptomatic import KnowledgeBase

    assert isinstance(kb, KnowledgeBase)
    rows: list[dict[str, object]] = [
        {
            "id": c.id,
            "name": c.name[lang],
            "icd10": c.icd10,
            "severity": c.severity,
            "care_level": c.care_level,
            "care_source": c.care_source,
            "group": c.group,
        }
        for c in kb.conditions
    ]
    rows.sort(key=lambda r: str(r["name"]).lower())
    return rows


def cmd_conditions(args: argparse.Namespace) -> int:
    from symptomatic import load_knowledge

    rows = condition_rows(load_knowledge(args.kb), args.lang)
    if args.json:
        write_json(rows)
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(rows)} conditions")
    cols = ("id", "name", "icd10", "care_level")
    for col in cols:
        table.add_column(col)
    for r in rows:
        table.add_row(*(Text(str(r[k])) for k in cols))
    Console().print(table)
    return 0


def cmd_evidences(args: argparse.Namespace) -> int:
    from symptomatic import load_knowledge

    kb = load_knowledge(args.kb)
    wanted = args.search.strip().lower() if args.search else None
    rows = []
    for e in kb.evidences:
        t = e.text[args.lang]
        codes = [c for cs in e.aliases.values() for c in cs]
        hay = " ".join([e.id, *codes, t.question, t.present, e.text["en"].question]).lower()
        if wanted and wanted not in hay and wanted.replace(" ", "-") not in hay:
            continue
        rows.append(
            {
                "evidence": e.id,
                "codes": codes,
                "kind": "scale" if e.scale else e.kind,
                "parent": e.parent,
                "history": e.history,
                "question": t.question,
                "values": []
                if e.scale
                else [{"value": v, "label": kb.values[v].label[args.lang]} for v in e.values],
            }
        )
    if args.json:
        write_json(rows)
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(rows)} evidences")
    for col in ("evidence", "kind", "question"):
        table.add_column(col)
    for r in rows:
        table.add_row(Text(str(r["evidence"])), str(r["kind"]), Text(str(r["question"])))
    Console().print(table)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from symptomatic import load_knowledge, validate_knowledge

    problems = validate_knowledge(args.kb)
    for prob in problems:
        print(f"symptomatic: invalid: {prob}", file=sys.stderr)
    if problems:
        return EXIT_KNOWLEDGE
    kb = load_knowledge(args.kb)
    print(
        f"knowledge base valid: {len(kb.conditions)} conditions, {len(kb.evidences)} "
        f"evidences, {len(kb.red_flags)} red-flag rules, language data valid, "
        f"sha256 {kb.sha256[:16]}"
    )
    return 0
