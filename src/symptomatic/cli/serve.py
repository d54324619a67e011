"""``symptomatic serve``: the HTTP API and the web page (the ``web`` extra).

Settings beyond host, port, workers and CORS come from the environment, so that every
worker process (and any process manager) sees the same ones:

- ``SYMPTOMATIC_CLIENT_TIMEOUT``: seconds a client has to send a whole request, headers and
  body, before it is disconnected (default 15); idle keep-alive connections close after 5;
- ``SYMPTOMATIC_TIME_BUDGET``: seconds one request may take, waiting included, before it
  gets a 503 (default 5);
- ``SYMPTOMATIC_THREADS``: threads per worker that run the checker (default 2).

:func:`add_arguments` adds the same settings as options (``--client-timeout``,
``--time-budget``, ``--threads``) to a ``serve`` parser.
"""

from __future__ import annotations

import argparse
import math
import os

from symptomatic.api.settings import (
    CLIENT_TIMEOUT_ENV,
    CORS_ENV,
    DEFAULT_CLIENT_TIMEOUT,
    DEFAULT_THREADS,
    DEFAULT_TIME_BUDGET,
    KB_ENV,
    THREADS_ENV,
    TIME_BUDGET_ENV,
)

__all__ = ["add_arguments", "cmd_serve"]

#: Each numeric setting: its option, its environment variable, its type and bounds.
_NUMBERS = (
    ("client_timeout", CLIENT_TIMEOUT_ENV, float, 0.1, 3600.0),
    ("time_budget", TIME_BUDGET_ENV, float, 0.1, 3600.0),
    ("threads", THREADS_ENV, int, 1, 256),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``serve`` beyond host, port, workers and CORS (default: environment)."""
    parser.add_argument(
        "--client-timeout",
        type=float,
        metavar="SECONDS",
        help="disconnect a client that has not sent a whole request in this time "
        f"(default {DEFAULT_CLIENT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--time-budget",
        type=float,
        metavar="SECONDS",
        help=f"answer 503 to a request not done in this time (default {DEFAULT_TIME_BUDGET:g})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help=f"threads per worker for the checker (default {DEFAULT_THREADS})",
    )


def _settings(args: argparse.Namespace) -> None:
    """Check the numeric settings (option, else environment) and put them in the
    environment for the workers; one-line error on a bad one."""
    from symptomatic import InputError

    for attr, env, kind, low, high in _NUMBERS:
        given = getattr(args, attr, None)
        raw = str(given) if given is not None else os.environ.get(env, "").strip()
        if not raw:
            continue
        try:
            value = kind(raw)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or not low <= value <= high:
            name = f"--{attr.replace('_', '-')}" if given is not None else env
            raise InputError(name, f"must be a number from {low} to {high:g}", raw)
        os.environ[env] = str(value)


def cmd_serve(args: argparse.Namespace) -> int:
    from symptomatic import SymptomaticError, install_hint, load_knowledge

    try:
        import fastapi  # noqa: F401
        import httptools  # noqa: F401
        import uvicorn
    except ImportError:
        raise SymptomaticError(
            f"serve needs the web extra, which is not installed; install it with: "
            f"{install_hint('web')}"
        ) from None
    from symptomatic.api.server import run

    _settings(args)
    os.environ[CORS_ENV] = ",".join(args.cors_origin)
    if args.kb:
        os.environ[KB_ENV] = args.kb
    load_knowledge(args.kb)  # fail early, with one line, on a broken knowledge base
    del uvicorn
    run(host=args.host, port=args.port, workers=args.workers)
    return 0
