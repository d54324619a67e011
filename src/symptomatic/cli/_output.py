"""How results are printed: a JSON document, or a short panel, a table and the answer."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from symptomatic import Result

_LEVEL_STYLE = {
    "emergency_ambulance": "bold white on red",
    "emergency": "bold white on red",
    "consultation_24": "bold black on yellow",
    "consultation": "bold black on cyan",
    "self_care": "bold black on green",
}


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def print_result(result: Result) -> None:
    """The care level, the differential and the answer, as plain text (never markup)."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from symptomatic import ui_words

    words = ui_words(result.lang)
    console = Console(highlight=False)
    level = result.triage.level
    console.print(Panel(Text(words["level_name"][level]), style=_LEVEL_STYLE[level], expand=False))
    if result.differential:
        table = Table(title=words["table_title"])
        table.add_column("#", justify="right")
        for key in ("col_condition", "col_icd10"):
            table.add_column(words[key])
        table.add_column(words["col_chance"], justify="right")
        table.add_column(words["col_for"])
        table.add_column(words["col_against"])
        for i, c in enumerate(result.differential, start=1):
            table.add_row(
                str(i),
                Text(c.name),
                c.icd10,
                f"{100 * c.probability:.0f} %",
                Text(", ".join(r.label for r in c.reasons_for[:3])),
                Text(", ".join(r.label for r in c.reasons_against[:2])),
            )
        console.print(table)
    if result.not_understood:
        shown = "; ".join(s.text for s in result.not_understood)
        console.print(Text(words["not_understood_list"].format(list=shown), style="dim"))
    console.print(Text(result.summary))


def print_mapping(out: Mapping[str, Any], *, as_json: bool) -> None:
    if as_json:
        write_json(out)
        return
    for k, v in out.items():
        print(f"{k:>28}  {v}")
