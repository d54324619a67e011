"""The one way the benchmarks time a function: one warm-up call, then each call timed."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["timings"]


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` calls of ``fn``, after one untimed warm-up call."""
    fn()
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out
