"""``python -m symptomatic``: the ``symptomatic`` command (as ``python -m symptomatic.cli``)."""

from symptomatic.cli import main

raise SystemExit(main())
