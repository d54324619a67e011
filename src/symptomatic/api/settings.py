"""The server's settings, each defined once: the environment variables that carry them to
every worker process (``symptomatic serve`` sets them), and their defaults.

Plain Python, no web framework: the command line builds its ``serve`` options from it.
"""

from __future__ import annotations

import os

__all__ = [
    "CLIENT_TIMEOUT_ENV",
    "CORS_ENV",
    "DEFAULT_CLIENT_TIMEOUT",
    "DEFAULT_THREADS",
    "DEFAULT_TIME_BUDGET",
    "KB_ENV",
    "THREADS_ENV",
    "TIME_BUDGET_ENV",
    "env_number",
]

#: Comma-separated CORS origins (``symptomatic serve --cors-origin``).
CORS_ENV = "SYMPTOMATIC_CORS_ORIGINS"
#: Knowledge-base directory (``symptomatic --kb DIR serve``).
KB_ENV = "SYMPTOMATIC_KB"
#: Threads per worker that run the checker.
THREADS_ENV = "SYMPTOMATIC_THREADS"
#: Seconds one request may take, waiting included, before a 503.
TIME_BUDGET_ENV = "SYMPTOMATIC_TIME_BUDGET"
#: Seconds a client has to send a whole request, headers and body: the server's read
#: deadline and the middleware's body deadline.
CLIENT_TIMEOUT_ENV = "SYMPTOMATIC_CLIENT_TIMEOUT"

#: Threads per worker process that run the checker (the event loop only does I/O).
DEFAULT_THREADS = 2
#: Seconds one request may wait for and use those threads before it gets a 503.
DEFAULT_TIME_BUDGET = 5.0
#: Seconds a client has to send a whole request (headers and body) before it is dropped.
DEFAULT_CLIENT_TIMEOUT = 15.0


def env_number(name: str, default: float) -> float:
    """The number in the environment variable ``name``; ``default`` when unset or blank."""
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default
