"""``symptomatic check``: one case, from words or structured answers, to one answer."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from symptomatic.cli._output import print_result, write_json

if TYPE_CHECKING:
    from typing import Literal

    Status = Literal["present", "absent", "unknown"]


def findings(args: argparse.Namespace) -> list[object]:
    """The ``--yes/--no/--unknown`` options as findings (``ID=VALUE`` for a choice)."""
    from symptomatic import Finding, InputError

    out: list[object] = []
    statuses: tuple[tuple[Status, list[str]], ...] = (
        ("present", args.yes),
        ("absent", args.no),
        ("unknown", args.unknown),
    )
    for status, items in statuses:
        for item in items:
            name, sep, value = item.partition("=")
            if sep and status != "present":
                raise InputError("--no/--unknown", "takes an evidence without a value", item)
            out.append(Finding(name, status, value if sep else None))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    from symptomatic import Checker

    checker = Checker(knowledge=args.kb)
    text = " ".join(args.text) if args.text else None
    result = checker.check(
        age=args.age,
        sex=args.sex,
        findings=findings(args),  # type: ignore[arg-type]
        text=text,
        lang=args.lang,
        semantic=args.semantic,
    )
    if args.json:
        write_json(result.to_dict())
    else:
        print_result(result)
    return 0
