"""Pure ASGI middleware: security headers, body rules, a last-resort 500, a private access log.

- Every response carries the security headers, the 500 this middleware sends included.
- A request body (read only by an endpoint that takes one, so a POST on a GET path still
  gets its 405) must be ``application/json`` (415), at most ``max_body`` bytes (413), and
  arrive within ``body_timeout`` seconds of the request (408, and the connection is closed):
  the checks run as the endpoint reads the body and end it with an ``HTTPException``, which
  the error handlers turn into the usual error body.
- An exception no handler took becomes a plain 500. It is logged by type and code location
  only: an exception's message, and so a traceback, may hold what the person wrote.
- The access log names method, route (the template, e.g. ``/static/{name}``, never the path
  as sent, nor the query string), status and time, nothing else.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from symptomatic.api.errors import BodyRejected, error_body
from symptomatic.api.models import ErrorItem
from symptomatic.api.settings import DEFAULT_CLIENT_TIMEOUT

__all__ = ["BODY_TIMEOUT", "MAX_BODY", "SECURITY_HEADERS", "GuardMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Largest request body accepted, in bytes: room for the largest schema-valid request (5,000
#: characters of text, each escaped as \uXXXX\uXXXX, and 300 findings and 300 answers).
MAX_BODY = 256 * 1024
#: Seconds a request body may take to arrive, counted from the request's start: the
#: client timeout (one setting with the server's read deadline).
BODY_TIMEOUT = DEFAULT_CLIENT_TIMEOUT

log = logging.getLogger("symptomatic.api.access")
errors_log = logging.getLogger("symptomatic.api.error")

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets inline styles; its page alone allows them.
DOCS_CSP = CSP.replace("img-src", "style-src 'self' 'unsafe-inline'; img-src")

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_INTERNAL = "internal error; nothing about the request was kept, please try again"


def where(exc: BaseException) -> str:
    """Where ``exc`` came from, as ``file:line in function`` frames (innermost last): no
    message, no source line, no value."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    return " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in frames)


class GuardMiddleware:
    """Adds security headers to every response, enforces the body rules, turns an escaped
    exception into a 500 and writes the access log."""

    def __init__(
        self, app: ASGIApp, *, max_body: int = MAX_BODY, body_timeout: float = BODY_TIMEOUT
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path: str = scope.get("path", "")
        csp = (DOCS_CSP if path == "/docs" else CSP).encode()
        status_seen = [0]

        async def send_wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen[0] = int(message["status"])
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"content-security-policy"
                ]
                headers.append((b"content-security-policy", csp))
                headers.extend(SECURITY_HEADERS)
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, self._guarded(scope, receive, start), send_wrapped)
        except Exception as exc:  # the last resort: never a traceback, never a value
            errors_log.error(
                "%s %s: unhandled %s at %s",
                scope.get("method"),
                _route(scope),
                type(exc).__name__,
                where(exc),
            )
            if status_seen[0] == 0:
                await _reply(send_wrapped, 500, [ErrorItem(field="request", problem=_INTERNAL)])
        finally:
            if log.isEnabledFor(logging.INFO):
                ms = 1000 * (time.perf_counter() - start)
                log.info("%s %s %d %.1fms", scope.get("method"), _route(scope), status_seen[0], ms)

    def _guarded(self, scope: Scope, receive: Receive, start: float) -> Receive:
        """``receive`` with the body rules, checked as the endpoint reads the body."""
        headers = dict(scope.get("headers", []))
        state = {"checked": False, "size": 0}

        async def guarded() -> Message:
            if not state["checked"]:
                state["checked"] = True
                self._check_headers(headers)
            message: Message | None = None
            with anyio.move_on_after(max(0.0, start + self.body_timeout - time.perf_counter())):
                message = await receive()
            if message is None:
                raise BodyRejected(
                    408, "body", f"must arrive within {self.body_timeout:g} s", close=True
                )
            if message["type"] == "http.request":
                state["size"] += len(message.get("body", b""))
                if state["size"] > self.max_body:
                    raise self._too_large(state["size"])
            return message

        return guarded

    def _check_headers(self, headers: dict[bytes, bytes]) -> None:
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if ctype != b"application/json":  # the type sent is not echoed: a header says anything
            raise BodyRejected(415, "content-type", "must be application/json")
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            raise self._too_large(int(length))

    def _too_large(self, size: int) -> BodyRejected:
        problem = f"must be at most {self.max_body} bytes"
        return BodyRejected(413, "body", problem, size, close=True)


def _route(scope: Scope) -> str:
    """The route template that answered (never the path as sent), or ``-``."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    return template if isinstance(template, str) else "-"


async def _reply(send: Send, status: int, items: list[ErrorItem]) -> None:
    body = error_body(status, items)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
