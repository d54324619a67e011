"""``symptomatic serve`` drops slow and idle clients: a real server process, raw sockets.

Connections that send nothing, trickle their headers, trickle their body, or keep a
connection open after an answer by trickling bytes are all closed once the request-read
deadline has passed (``SYMPTOMATIC_CLIENT_TIMEOUT``; 15 s by default, 1.5 s here so the
test is quick), while the server keeps answering everyone else.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("httptools")

from symptomatic.api.server import DEFAULT_CLIENT_TIMEOUT
from tests.api.conftest import free_port, stop_group

TIMEOUT = 1.5
#: Connections of each kind.
EACH = 25
#: A generous bound on "closed": the deadline plus slack for a loaded machine.
SLACK = 6.0


def test_default_deadline_is_at_most_15_seconds() -> None:
    assert 0 < DEFAULT_CLIENT_TIMEOUT <= 15


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {**os.environ, "SYMPTOMATIC_CLIENT_TIMEOUT": str(TIMEOUT)}
    cmd = [sys.executable, "-m", "symptomatic.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"symptomatic serve did not start: {err[-500:]}") from None
            time.sleep(0.1)
    try:
        yield "127.0.0.1", port
    finally:
        stop_group(proc)


GET = b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"
BODY_START = (
    b"POST /v1/parse HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
    b"content-length: 5000\r\n\r\n{"
)
KINDS = {
    # kind: (what is sent at once, what is trickled every 0.2 s)
    "idle": (b"", b""),
    "headers": (b"POST /v1/parse HTTP/1.1\r\n", b"x-a: b\r\n"),
    "body": (BODY_START, b" "),
    "after an answer": (GET + b"GET /healthz HTTP/1.1\r\n", b"x-a: b\r\n"),
}


def test_slow_and_idle_clients_are_dropped(server: tuple[str, int]) -> None:
    host, port = server
    selector = selectors.DefaultSelector()
    opened: dict[socket.socket, str] = {}
    for kind, (first, _) in KINDS.items():
        for _ in range(EACH):
            s = socket.create_connection((host, port))
            s.setblocking(False)
            if first:
                s.sendall(first)
            opened[s] = kind
            selector.register(s, selectors.EVENT_READ)
    start = time.monotonic()
    closed: dict[str, list[float]] = {kind: [] for kind in KINDS}
    answered = 0
    next_trickle = start
    while opened and time.monotonic() - start < TIMEOUT + SLACK:
        now = time.monotonic()
        if now >= next_trickle:
            next_trickle = now + 0.2
            for s, kind in opened.items():
                if KINDS[kind][1]:
                    with contextlib.suppress(OSError):
                        s.send(KINDS[kind][1])
            with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=5) as r:
                answered += r.status == 200  # the server answers others meanwhile
        for key, _ in selector.select(timeout=0.05):
            ready = key.fileobj
            assert isinstance(ready, socket.socket)
            try:
                data = ready.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                data = b""
            if data:
                continue  # e.g. the answer to GET, before the connection is dropped
            closed[opened.pop(ready)].append(time.monotonic() - start)
            selector.unregister(ready)
            ready.close()
    for s in opened:
        s.close()
    still_open = {kind: sum(1 for k in opened.values() if k == kind) for kind in KINDS}
    assert not opened, f"still open after {TIMEOUT + SLACK} s: {still_open}"
    for kind, times in closed.items():
        assert len(times) == EACH, kind
        assert min(times) >= TIMEOUT / 2, (kind, min(times))  # at the deadline, not at once
    assert answered >= 3
