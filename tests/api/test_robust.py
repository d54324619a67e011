"""The service under bad input and faults: never a 500 for input, the work off the event
loop and within a time budget, the case computed once, the schema exactly what is accepted.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from symptomatic import Checker
from symptomatic.api.app import create_app
from symptomatic.api.middleware import MAX_BODY
from tests.api.conftest import closed_within, live_server

CASE: dict[str, Any] = {"age": 40, "sex": "male", "findings": [{"evidence": "fever"}]}
SECURITY = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _error(r: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text[:500]
    for name, value in SECURITY.items():
        assert r.headers[name] == value
    item: dict[str, Any] = r.json()["errors"][0]
    if field is not None:
        assert item["field"] == field, item
    return item


def _kb(client: TestClient) -> Any:
    return client.app.state.service.checker.kb  # type: ignore[attr-defined]


# -- bad input is a 422, never a 500 -------------------------------------------------------
POSTS: dict[str, dict[str, Any]] = {
    "/v1/diagnosis": {"age": 40, "sex": "male"},
    "/v1/triage": {"age": 40, "sex": "male"},
    "/v1/explain": {"age": 40, "sex": "male", "condition": "x"},
    "/v1/parse": {"text": "cough"},
}


@pytest.mark.parametrize("path", sorted(POSTS))
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "1" * 5000])
def test_non_finite_numbers_are_422(client: TestClient, path: str, number: str) -> None:
    base = json.dumps(POSTS[path])[:-1]
    r = client.post(path, content=f'{base}, "age": {number}}}'.encode(), headers=JSON)
    _error(r, 422)
    json.dumps(r.json(), allow_nan=False)  # the body is strict JSON


@pytest.mark.parametrize("path", sorted(POSTS))
@pytest.mark.parametrize(
    "field", ["text", "sex", "lang", "condition", "findings.evidence", "findings.value"]
)
def test_lone_surrogates_are_422(client: TestClient, path: str, field: str) -> None:
    body = dict(POSTS[path])
    bad = "ab\ud800cd"
    if field.startswith("findings."):
        body["findings"] = [{"evidence": "fever", field.split(".")[1]: bad}]
    else:
        body[field] = bad
    raw = json.dumps(body).encode()  # "\ud800" escaped: valid JSON text, invalid Unicode
    item = _error(client.post(path, content=raw, headers=JSON), 422)
    assert item["value"] is None


def test_hostile_bodies_are_422(client: TestClient) -> None:
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000, b"\xff\xfe", b"null"):
        _error(client.post("/v1/diagnosis", content=raw, headers=JSON), 422)
    _error(client.post("/v1/diagnosis", json=[CASE]), 422)


def test_422_never_echoes_text(client: TestClient) -> None:
    long = "I have had a sore throat " * 300
    for path, body in (
        ("/v1/diagnosis", {**CASE, "text": long}),
        ("/v1/parse", {"text": long}),
        ("/v1/triage", {**CASE, "text": "ich habe Kopfschmerzen und Fieber seit gestern"}),
    ):
        item = _error(client.post(path, json=body), 422)
        assert item["value"] is None, item
        assert "sore" not in json.dumps(item) and "Kopf" not in json.dumps(item)


# -- the published schema is what the server accepts ---------------------------------------
def test_evidence_and_value_names_exact(client: TestClient) -> None:
    kb = _kb(client)
    item = _error(
        client.post("/v1/diagnosis", json={**CASE, "findings": [{"evidence": "FEVER"}]}), 422
    )
    assert item["field"] == "findings[0].evidence" and item["suggestions"] == ["fever"]
    body = {**CASE, "answers": [{"evidence": "fever", "value": "yes"}]}
    _error(client.post("/v1/diagnosis", json=body), 422, "answers[0].value")
    scale = next(e for e in kb.evidences if e.scale)
    for value, status in (("7", 200), ("07", 422), ("11", 422)):
        body = {**CASE, "findings": [{"evidence": scale.id, "value": value}]}
        assert client.post("/v1/diagnosis", json=body).status_code == status, value
    body = {**CASE, "findings": [{"evidence": scale.id}]}
    _error(client.post("/v1/diagnosis", json=body), 422, "findings[0].value")
    choice = next(e for e in kb.evidences if e.kind != "binary" and not e.scale)
    code = next(c for v in choice.values for cs in kb.values[v].aliases.values() for c in cs)
    alias = next(c for cs in choice.aliases.values() for c in cs)
    body = {**CASE, "findings": [{"evidence": alias, "value": code}]}
    assert client.post("/v1/diagnosis", json=body).status_code == 200
    for strict in ({"age": "40"}, {"age": True}, {"sex": "MALE"}, {"lang": "EN"}):
        _error(client.post("/v1/diagnosis", json={**CASE, **strict}), 422)


def test_openapi_states_the_vocabulary_and_bounds(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    parts = schema["components"]["schemas"]
    finding = parts["FindingIn"]
    names = {n for b in finding["anyOf"] for n in b["properties"]["evidence"]["enum"]}
    listed = client.get("/v1/evidences").json()
    assert names == {n for e in listed for n in [e["evidence"], *e["codes"]]}
    for branch in finding["anyOf"]:
        assert branch["additionalProperties"] is False
    case = parts["CaseIn"]["properties"]
    assert case["age"]["minimum"] == 0 and case["age"]["maximum"] == 120
    assert set(case["sex"]["enum"]) == {"male", "female", "M", "F", "m", "f"}
    assert case["text"]["anyOf"][0]["maxLength"] == 5000
    assert case["findings"]["maxItems"] == case["answers"]["maxItems"] == 300
    post = schema["paths"]["/v1/diagnosis"]["post"]["responses"]
    assert {"200", "413", "415", "422", "503"} <= post.keys()


def test_largest_valid_request_fits_the_body_limit(client: TestClient) -> None:
    service = client.app.state.service  # type: ignore[attr-defined]
    longest = max(service.evidence_names, key=len)
    ev = service.evidence_names[longest]
    item: dict[str, Any] = {"evidence": longest, "status": "unknown"}
    if ev.kind != "binary":
        item["value"] = max(service.value_names[ev.id], key=len)
    body = {**CASE, "text": "😷" * 5000, "findings": [item] * 300, "answers": [item] * 300}
    raw = json.dumps(body).encode()  # ensure_ascii: every emoji is \\ud83d\\ude37
    assert len(raw) <= MAX_BODY
    assert client.post("/v1/diagnosis", content=raw, headers=JSON).status_code == 200


# -- contradictions: the later statement wins ----------------------------------------------
def _statuses(data: dict[str, Any]) -> dict[tuple[str, Any], str]:
    return {(f["evidence"], f["value"]): f["status"] for f in data["findings"]}


def test_later_statement_wins(client: TestClient) -> None:
    kb = _kb(client)
    service = client.app.state.service  # type: ignore[attr-defined]
    child = next(e for e in kb.evidences if e.parent and e.kind == "categorical")
    values = list(service.value_names[child.id])
    value = values[0]
    parent = child.parent

    def post(findings: list[Any], answers: Sequence[Any] = ()) -> dict[tuple[str, Any], str]:
        body = {**CASE, "findings": findings, "answers": list(answers)}
        r = client.post("/v1/diagnosis", json=body)
        assert r.status_code == 200, r.text[:300]
        return _statuses(r.json())

    got = post([{"evidence": "fever"}, {"evidence": "fever", "status": "absent"}])
    assert got[("fever", None)] == "absent"
    got = post([{"evidence": "fever", "status": "absent"}, {"evidence": "fever"}])
    assert got[("fever", None)] == "present"
    two = [{"evidence": child.id, "value": v} for v in values[:2]]
    got = post(two)
    assert got.get((child.id, values[1])) == "present"
    assert (child.id, values[0]) not in got
    follow = {"evidence": child.id, "value": value}
    got = post([follow, {"evidence": parent, "status": "absent"}])
    assert got[(parent, None)] == "absent" and (child.id, value) not in got
    got = post([{"evidence": parent, "status": "absent"}, follow])
    assert got[(parent, None)] == "present" and got[(child.id, value)] == "present"
    got = post([follow], [{"evidence": parent, "status": "absent"}])
    assert got[(parent, None)] == "absent" and (child.id, value) not in got


# -- faults: 500 and 503 are clean, the loop stays free -------------------------------------
def test_internal_error_is_a_clean_500(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("the checker broke")

    monkeypatch.setattr(client.app.state.service.checker, "assess", boom)  # type: ignore[attr-defined]
    for path, body in (("/v1/diagnosis", CASE), ("/v1/triage", CASE), ("/v1/parse", {"text": "x"})):
        item = _error(client.post(path, json=body), 500, "request")
        assert "broke" not in item["problem"]
        assert "default-src" in client.post(path, json=body).headers["content-security-policy"]


@pytest.fixture()
def slow_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FastAPI, threading.Event]]:
    """An app whose checker blocks until released, with a 0.5 s time budget."""
    app = create_app(checker=Checker(), time_budget=0.5, threads=2)
    release = threading.Event()
    checker = app.state.service.checker
    real = checker.assess

    def blocked(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(checker, "assess", blocked)
    try:
        yield app, release
    finally:
        release.set()


def test_time_budget_gives_a_quick_503_and_the_loop_stays_free(
    slow_app: tuple[FastAPI, threading.Event],
) -> None:
    app, release = slow_app
    with live_server(app) as url, httpx.Client(base_url=url, timeout=20) as client:
        start = time.monotonic()
        r = client.post("/v1/diagnosis", json=CASE)
        waited = time.monotonic() - start
        item = _error(r, 503, "request")
        assert r.headers["retry-after"]
        assert "try again" in item["problem"]
        assert waited < 5  # the budget is 0.5 s; the checker would have taken 10
        # the abandoned work still holds a thread: the loop still answers at once
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
            assert client.get("/v1/conditions").status_code == 200
        release.set()
        time.sleep(0.3)
        assert client.post("/v1/diagnosis", json=CASE).status_code == 200


def test_checker_runs_off_the_event_loop(slow_app: tuple[FastAPI, threading.Event]) -> None:
    app, release = slow_app
    app.state.service.time_budget = 30.0
    with live_server(app) as url:
        results: list[int] = []

        def call() -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                results.append(c.post("/v1/diagnosis", json=CASE).status_code)

        worker = threading.Thread(target=call)
        worker.start()
        time.sleep(0.3)  # the diagnosis is now blocked inside the checker
        with httpx.Client(base_url=url, timeout=5) as c:
            assert c.get("/healthz").status_code == 200
        assert not results  # ... and it was still running while /healthz answered
        release.set()
        worker.join(20)
        assert results == [200]


# -- one computation per diagnosis ---------------------------------------------------------
def test_diagnosis_computes_the_case_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    checker = client.app.state.service.checker  # type: ignore[attr-defined]
    calls = {"assess_case": 0, "probabilities": 0, "read": 0}
    for name in calls:
        real = getattr(checker, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(checker, name, counted)
    body = {
        **CASE,
        "text": "I have a cough",
        "answers": [{"evidence": "fever", "status": "absent"}],
    }
    r = client.post("/v1/diagnosis", json=body)
    assert r.status_code == 200 and r.json()["next_question"] is not None
    assert calls == {"assess_case": 1, "probabilities": 1, "read": 1}


# -- the body deadline and malformed HTTP -------------------------------------------------
def test_trickled_body_gets_408_and_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYMPTOMATIC_CLIENT_TIMEOUT", "30")  # the middleware's deadline first
    app = create_app(body_timeout=0.5)
    with live_server(app) as url:
        host, port = url.rsplit("/", 1)[1].split(":")
        with socket.create_connection((host, int(port))) as s:
            s.sendall(
                b"POST /v1/parse HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                b"content-length: 100\r\n\r\n{"
            )
            s.settimeout(10)
            answer = b""
            while b"\r\n\r\n" not in answer:
                answer += s.recv(4096)
            assert answer.startswith(b"HTTP/1.1 408")
            assert b"x-frame-options: DENY" in answer
            assert closed_within(s, 10) is not None


def test_malformed_http_gets_400_with_security_headers() -> None:
    with live_server(create_app()) as url:
        host, port = url.rsplit("/", 1)[1].split(":")
        with socket.create_connection((host, int(port))) as s:
            s.sendall(b"GET / HTTP/1.1\r\nhost: x\r\nbad header\r\n\r\n")
            s.settimeout(10)
            answer = s.recv(65536)
            assert answer.startswith(b"HTTP/1.1 400")
            assert b"x-content-type-options: nosniff" in answer
