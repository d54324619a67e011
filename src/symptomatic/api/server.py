"""Run the service: uvicorn with the app factory, settings from ``symptomatic serve``.

uvicorn's own timeouts do not drop slow clients: ``timeout_keep_alive`` only closes a
connection idle *after* a response, and is reset by every byte received, so a connection
that never sends a request, or trickles its headers or its body a byte at a time, stays
open for ever. :class:`GuardedHttpToolsProtocol` adds the missing deadline: a client has
``client_timeout`` seconds (default 15, ``SYMPTOMATIC_CLIENT_TIMEOUT``) from the moment the
server waits for a request (the connection opened, or the previous answer was sent) to
send the whole of it, headers and body; then the connection is closed. The clock does not
restart on each byte. A request fully received is never cut: its answer is bounded by the
time budget instead (:class:`~symptomatic.api.service.Service`).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from symptomatic.api.middleware import CSP, SECURITY_HEADERS
from symptomatic.api.settings import CLIENT_TIMEOUT_ENV, DEFAULT_CLIENT_TIMEOUT, env_number

__all__ = [
    "DEFAULT_CLIENT_TIMEOUT",
    "DEFAULT_KEEP_ALIVE",
    "GuardedHttpToolsProtocol",
    "read_client_timeout",
    "run",
]

#: Seconds an idle keep-alive connection stays open after an answer.
DEFAULT_KEEP_ALIVE = 5

log = logging.getLogger("symptomatic.api.server")


def read_client_timeout() -> float:
    """The request-read deadline in seconds, from the environment (set by ``serve``)."""
    return env_number(CLIENT_TIMEOUT_ENV, DEFAULT_CLIENT_TIMEOUT)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a request-read deadline (see the module docstring),
    the security headers on the 400 it writes itself for a malformed request, and never
    uvicorn's access log (it names the path and query string as sent)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # uvicorn's access log writes the path and query string as sent: never (ours, in
        # the middleware, names the route only), whatever handlers logging has
        self.access_log = False
        self._deadline: asyncio.TimerHandle | None = None
        self._reading = False
        self._client_timeout = read_client_timeout()

    # -- the deadline ------------------------------------------------------------------
    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self._client_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self.transport is None or self.transport.is_closing():
            return
        busy = self.cycle is not None and not self.cycle.response_complete
        if busy and not self._reading:
            return  # a whole request is being answered: the time budget bounds it
        log.debug("closed a connection that sent no whole request in %gs", self._client_timeout)
        self.transport.close()

    # -- uvicorn's hooks -----------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading = True

    def on_message_complete(self) -> None:
        self._reading = False
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self._reading or self.cycle is None or self.cycle.response_complete:
            self._arm()  # waiting for (the rest of) the next request

    def send_400_response(self, msg: str) -> None:
        content = [STATUS_LINE[400]]
        headers = [
            *self.server_state.default_headers,
            *SECURITY_HEADERS,
            (b"content-security-policy", CSP.encode()),
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(msg)).encode("ascii")),
            (b"connection", b"close"),
        ]
        for name, value in headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"\r\n", msg.encode("ascii")])
        self.transport.write(b"".join(content))
        self.transport.close()


def run(
    *,
    host: str,
    port: int,
    workers: int,
    client_timeout: float | None = None,
    keep_alive: int = DEFAULT_KEEP_ALIVE,
) -> None:
    """Serve until stopped. ``client_timeout`` (seconds; default from the environment, else
    15) is the request-read deadline; the workers read it from the environment."""
    import uvicorn

    if client_timeout is not None:
        os.environ[CLIENT_TIMEOUT_ENV] = str(client_timeout)
    import copy

    from uvicorn.config import LOGGING_CONFIG

    # Our own loggers (the path-only access log, the type-and-line 500 log) go where
    # uvicorn's go; they never carry a body, a query or a symptom.
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["symptomatic"] = {
        "handlers": ["default"],
        "level": "INFO",
        "propagate": False,
    }
    uvicorn.run(
        "symptomatic.api.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=GuardedHttpToolsProtocol,
        timeout_keep_alive=keep_alive,
        timeout_graceful_shutdown=int(max(1.0, read_client_timeout())),
        access_log=False,  # our own access log names routes only, never bodies or queries
        log_level="info",
        log_config=log_config,
    )
