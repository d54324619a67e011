"""Helpers for the HTTP tests: a real uvicorn server in a thread, free ports, raw sockets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own group: TERM, then KILL after 20 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def live_server(app: Any, **config: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn and the service's own protocol (the request-read
    deadline, from ``SYMPTOMATIC_CLIENT_TIMEOUT``) in a thread; yields the base URL.
    uvicorn's logging is left unconfigured, so its records reach pytest's ``caplog``."""
    import uvicorn

    from symptomatic.api.server import GuardedHttpToolsProtocol

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings: dict[str, Any] = {
        "http": GuardedHttpToolsProtocol,
        "log_config": None,
        "log_level": "debug",
        "access_log": False,  # as `symptomatic serve` runs it: uvicorn's log has queries
        "lifespan": "on",
    }
    settings.update(config)
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()


def closed_within(sock: socket.socket, limit: float, *, trickle: bytes = b"") -> float | None:
    """Seconds until the server closes ``sock`` (sending ``trickle`` every 0.2 s meanwhile),
    or None if it is still open after ``limit`` seconds."""
    start = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - start < limit:
        try:
            if trickle:
                sock.sendall(trickle)
            data = sock.recv(65536)
        except TimeoutError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - start
        if data == b"":
            return time.monotonic() - start
    return None
