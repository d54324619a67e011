"""Process settings for a program that answers many small questions quickly.

:func:`tune_process` is called by the command line (before numpy is imported) and by each
server worker; a library user may call it too. It does two things, both measured in
BENCHMARKS.md:

* **One BLAS thread.** Every array operation here is small (one case, a few hundred
  conditions); OpenBLAS's second thread only spins, and on a busy two-core machine it
  stalls in 4 ms steps. The thread-count variables are read when numpy loads, so they are
  set only if numpy is not loaded yet, and never over a value the user set.
* **No heap-trim cycle.** glibc returns the top of the heap to the kernel as soon as a
  large temporary is freed, and the next call faults the pages back in (hundreds of page
  faults per interview step). Raising the trim and mmap thresholds keeps that memory in
  the process, a few MB at most; the same settings go into the environment, so the
  server's worker processes (started by ``symptomatic serve``) have them from their start.

Nothing happens at import time.
"""

from __future__ import annotations

import os
import sys

from symptomatic._types import public

__all__ = ["tune_process"]

_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_KEEP_BYTES = 64 * 1024 * 1024
_done: list[bool] = []


@public
def tune_process() -> None:
    """Set one BLAS thread (if numpy is not loaded yet) and keep freed heap memory."""
    if _done:
        return
    _done.append(True)
    if "numpy" not in sys.modules:
        for name in _THREAD_VARIABLES:
            os.environ.setdefault(name, "1")
    # Child processes (the server's workers) read these when they start.
    os.environ.setdefault("MALLOC_TRIM_THRESHOLD_", str(_KEEP_BYTES))
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(_KEEP_BYTES // 2))
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            libc.mallopt(_M_TRIM_THRESHOLD, _KEEP_BYTES)
            libc.mallopt(_M_MMAP_THRESHOLD, _KEEP_BYTES // 2)
        except (OSError, AttributeError):  # not glibc: nothing to tune
            pass
