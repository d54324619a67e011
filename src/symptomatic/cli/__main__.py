"""``python -m symptomatic.cli``."""

from symptomatic.cli import main

raise SystemExit(main())
