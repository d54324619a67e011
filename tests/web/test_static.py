"""The page's own files, read as text (no browser): nothing styled that the page never shows."""

from __future__ import annotations

import re
from pathlib import Path

from symptomatic import CARE_LEVELS

STATIC = Path(__file__).resolve().parents[2] / "src" / "symptomatic" / "web" / "static"


def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def test_every_styled_class_is_one_the_page_uses() -> None:
    """A class in a stylesheet that neither the markup nor the script sets is dead (as the
    mark of a "serious" condition was, from reason codes the engine no longer makes)."""
    page = _read("index.html") + _read("app.js") + _read("body.svg")
    levels = {f"level-{level}" for level in CARE_LEVELS}  # set as `level-${level}`
    for sheet in ("style.css", "print.css"):
        css = re.sub(r"/\*.*?\*/", "", _read(sheet), flags=re.S)
        selectors = re.sub(r"\{[^}]*\}", "{}", css)
        classes = set(re.findall(r"\.([A-Za-z_][\w-]*)", selectors))
        assert classes, sheet
        unused = sorted(c for c in classes - levels if c not in page)
        assert not unused, (sheet, unused)


def test_the_page_reads_only_reason_codes_the_engine_makes() -> None:
    """A reason-code kind the script looks for (``startsWith("kind:")``) is one the triage
    rule gives (it looked for "severe_plausible" codes, which the engine no longer makes)."""
    from typing import get_args

    from symptomatic.engine.triage import ReasonKind

    script = _read("app.js")
    looked_for = set(re.findall(r"""startsWith\(["'](\w+):""", script))
    assert looked_for <= set(get_args(ReasonKind)), looked_for
    assert "severe_plausible" not in script
