"""Pure ASGI middleware: security headers, body limits, content type, a path-only access log.

Request bodies are never logged: the access log names method, path (no query string),
status and time, nothing else.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["MAX_BODY", "GuardMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Largest request body accepted, in bytes.
MAX_BODY = 64 * 1024

log = logging.getLogger("symptomatic.api.access")

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets inline styles; its page alone allows them.
DOCS_CSP = CSP.replace("img-src", "style-src 'self' 'unsafe-inline'; img-src")

_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _error(status: int, field: str, problem: str, value: object = None) -> bytes:
    body = {
        "status": status,
        "errors": [{"field": field, "problem": problem, "value": value, "suggestions": []}],
    }
    return json.dumps(body).encode()


class GuardMiddleware:
    """Adds security headers to every response and rejects oversized or non-JSON bodies."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

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
                headers.extend(_HEADERS)
                message["headers"] = headers
            await send(message)

        try:
            if scope.get("method") in _BODY_METHODS:
                replay = await self._check_body(scope, receive, send_wrapped)
                if replay is None:
                    return
                receive = replay
            await self.app(scope, receive, send_wrapped)
        finally:
            if log.isEnabledFor(logging.INFO):
                ms = 1000 * (time.perf_counter() - start)
                log.info("%s %s %d %.1fms", scope.get("method"), path, status_seen[0], ms)

    async def _check_body(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Read the whole body (at most max_body); None once an error answer was sent."""
        headers = dict(scope.get("headers", []))
        ctype = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if ctype != b"application/json":
            await _reply(send, 415, "content-type", "must be application/json", ctype.decode())
            return None
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _reply(send, 413, "body", f"must be at most {self.max_body} bytes", int(length))
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await _reply(send, 413, "body", f"must be at most {self.max_body} bytes", size)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        done = [False]

        async def replay() -> Message:
            if not done[0]:
                done[0] = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay


async def _reply(send: Send, status: int, field: str, problem: str, value: object) -> None:
    body = _error(status, field, problem, value)
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
