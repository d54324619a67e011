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


def cmd_conditions(args: argparse.Namespace) -> int:
    from symptomatic import load_knowledge
    from symptomatic.api.listing import condition_rows

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
    from symptomatic.api.listing import evidence_haystacks, evidence_matches, evidence_rows

    kb = load_knowledge(args.kb)
    rows = evidence_rows(kb, args.lang)
    if args.search:
        found = evidence_matches(evidence_haystacks(kb), args.search)
        rows = [r for r in rows if r["evidence"] in found]
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
