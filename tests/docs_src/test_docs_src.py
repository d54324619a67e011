"""Every documented example is a file the tests run (docs_src/, shown in the README)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "docs_src").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(path), run_name="__main__")
    assert "not a diagnosis" in capsys.readouterr().out


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_in_the_readme(path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").strip() in readme
