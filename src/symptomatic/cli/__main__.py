"""``python -m symptomatic.cli``."""

from symptomatic.cli import run

raise SystemExit(run())
