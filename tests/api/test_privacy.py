"""Privacy canary: what a person writes never reaches a log or an error body.

A unique canary goes through every error path of a real server (uvicorn in a thread, the
service's own protocol): 422 for each kind of field, 404, 405, 413, 415, a 500 from a
checker that raises with the canary in its message, and the 503 of the time budget. Every
log record of every logger (uvicorn's included, at its most verbose), everything written
to stdout and stderr, every response body and header is searched for it. Every response
carries the security headers, the 500 and the 503 included.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import httpx
from fastapi import FastAPI

from symptomatic.api.app import create_app
from tests.api.conftest import live_server

#: The secret: in free-text form (as a person writes), and as one code-like word.
WORD = "zqxcanary7731"
SECRET = f"my {WORD} rash burns since Tuesday"
CASE: dict[str, Any] = {"age": 30, "sex": "female"}
SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(time_budget=0.5)


def _requests() -> list[tuple[str, str, dict[str, Any], int]]:
    """(method, path, httpx arguments, expected status) for every error path."""
    json = "application/json"
    posts: list[tuple[str, dict[str, Any], int]] = [
        # 422, one per kind of field (free text, codes, numbers, enums, lists, keys)
        ("/v1/diagnosis", {"json": {**CASE, "age": SECRET}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "sex": SECRET}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "lang": SECRET}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "text": SECRET * 300}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "text": [SECRET]}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "text": f"{WORD} " * 1000}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "findings": [{"evidence": SECRET}]}}, 422),
        (
            "/v1/diagnosis",
            {"json": {**CASE, "findings": [{"evidence": "fever", "status": SECRET}]}},
            422,
        ),
        (
            "/v1/diagnosis",
            {"json": {**CASE, "findings": [{"evidence": "fever", "value": SECRET}]}},
            422,
        ),
        ("/v1/diagnosis", {"json": {**CASE, "answers": [SECRET]}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, SECRET: SECRET, WORD: WORD}}, 422),
        ("/v1/diagnosis", {"json": {**CASE, "findings": {"evidence": SECRET}}}, 422),
        (
            "/v1/triage",
            {
                "json": {
                    **CASE,
                    "text": f"ich habe {WORD} und Kopfschmerzen seit gestern und Fieber",
                }
            },
            422,
        ),
        ("/v1/explain", {"json": {**CASE, "condition": SECRET}}, 404),
        ("/v1/explain", {"json": {**CASE, "condition": SECRET * 10}}, 422),
        ("/v1/parse", {"json": {"text": SECRET, "age": SECRET}}, 422),
        (
            "/v1/parse",
            {
                "content": f'{{"text": "{SECRET}\\ud800"}}'.encode(),
                "headers": {"content-type": json},
            },
            422,
        ),
        (
            "/v1/parse",
            {"content": f'{{"text": "{SECRET}'.encode(), "headers": {"content-type": json}},
            422,
        ),
        (
            "/v1/parse",
            {
                "content": b'{"text": "\xff' + SECRET.encode() + b'"}',
                "headers": {"content-type": json},
            },
            422,
        ),
        (
            "/v1/diagnosis",
            {
                "content": f'{{"age": NaN, "sex": "{SECRET}"}}'.encode(),
                "headers": {"content-type": json},
            },
            422,
        ),
        # 413, 415, 405, 404
        (
            "/v1/diagnosis",
            {
                "content": (f'{{"text": "{SECRET}' + " " * 300_000 + '"}').encode(),
                "headers": {"content-type": json},
            },
            413,
        ),
        ("/v1/parse", {"content": SECRET.encode(), "headers": {"content-type": "text/plain"}}, 415),
        (
            "/v1/parse",
            {"content": SECRET.encode(), "headers": {"content-type": f"text/{WORD}"}},
            415,
        ),
        ("/v1/info", {"json": {"text": SECRET}}, 405),
        (f"/v1/{WORD}", {"json": {"text": SECRET}}, 404),
    ]
    out = [("POST", path, kwargs, status) for path, kwargs, status in posts]
    out += [
        ("GET", f"/static/{WORD}.js", {}, 404),
        ("GET", f"/v1/{WORD}", {"params": {"q": SECRET}}, 404),
        ("GET", "/v1/evidences", {"params": {"search": SECRET * 10}}, 422),
        ("GET", "/v1/conditions", {"params": {"lang": SECRET}}, 422),
    ]
    return out


def _assert_private(response: Any, status: int) -> None:
    assert response.status_code == status, (response.request.url.path, response.text[:300])
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (status, name)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    text = response.content.decode("utf-8", "replace") + repr(dict(response.headers))
    assert WORD not in text, (status, text[:500])
    assert "Tuesday" not in text, (status, text[:500])


def test_canary_never_logged_nor_echoed(
    app: FastAPI,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "symptomatic", "fastapi"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=10) as client:
        for method, path, kwargs, status in _requests():
            _assert_private(client.request(method, path, **kwargs), status)

        # 500: a checker that fails with the canary in its message and its arguments
        service = app.state.service

        def boom(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError(f"failed on {SECRET!r}")

        monkeypatch.setattr(service.checker, "assess", boom)
        for path in ("/v1/diagnosis", "/v1/triage", "/v1/parse"):
            body = {"text": SECRET} if path == "/v1/parse" else {**CASE, "text": SECRET}
            r = client.post(path, json=body)
            _assert_private(r, 500)
            assert r.json()["errors"][0]["field"] == "request"

        # 503: the time budget (0.5 s here) runs out while the checker works
        release = threading.Event()

        def slow(*args: Any, **kwargs: Any) -> Any:
            release.wait(5)
            raise RuntimeError(f"late {SECRET!r}")

        monkeypatch.setattr(service.checker, "assess", slow)
        try:
            r = client.post("/v1/diagnosis", json={**CASE, "text": SECRET})
            _assert_private(r, 503)
            assert r.headers["retry-after"]
            assert "try again" in r.json()["errors"][0]["problem"]
        finally:
            release.set()
        time.sleep(0.2)  # the abandoned work ends (and must not log the canary either)

    out, err = capfd.readouterr()
    assert WORD not in out and WORD not in err
    records = caplog.records
    assert any(r.name == "symptomatic.api.error" for r in records)  # the 500s were logged
    assert any(r.name.startswith("uvicorn") for r in records)  # uvicorn's logs were seen
    for record in records:
        if record.name.startswith(("httpx", "httpcore")):
            continue  # the test's own HTTP client logs the URLs it calls
        shown = record.getMessage() + (record.exc_text or "") + repr(record.args)
        if record.exc_info:
            shown += logging.Formatter().formatException(record.exc_info)
        assert WORD not in shown and "Tuesday" not in shown, (record.name, shown[:500])
    # the access log names routes, never the path as sent
    access = [r.getMessage() for r in records if r.name == "symptomatic.api.access"]
    assert any("/v1/diagnosis" in m for m in access)
