"""The HTTP service, in process: every endpoint, error bodies, headers, limits, privacy."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from symptomatic.api.app import create_app

CASE: dict[str, Any] = {
    "age": 34,
    "sex": "female",
    "findings": [{"evidence": "fever"}, {"evidence": "cough"}],
    "answers": [{"evidence": "sore-throat", "status": "absent"}],
}
SHAPE = {
    "differential",
    "triage",
    "findings",
    "not_understood",
    "something_else",
    "summary",
    "disclaimer",
    "next_question",
    "should_stop",
}
SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    first: dict[str, Any] = body["errors"][0]
    assert {"field", "problem", "value", "suggestions"} <= first.keys()
    return first


# -- endpoints ------------------------------------------------------------------------------
def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_diagnosis_shape(client: TestClient) -> None:
    r = client.post("/v1/diagnosis", json=CASE)
    assert r.status_code == 200
    data = r.json()
    assert data.keys() >= SHAPE
    first = data["differential"][0]
    assert {"id", "name", "icd10", "probability"} <= first.keys()
    probs = [c["probability"] for c in data["differential"]]
    assert probs == sorted(probs, reverse=True)
    statuses = {f["evidence"]: f["status"] for f in data["findings"]}
    assert statuses == {"fever": "present", "cough": "present", "sore-throat": "absent"}
    assert data["triage"]["level"] in {
        "emergency_ambulance",
        "emergency",
        "consultation_24",
        "consultation",
        "self_care",
    }
    assert data["care"]["title"] and data["care"]["action"]
    assert data["disclaimer"]
    assert isinstance(data["should_stop"], bool)
    if data["next_question"] is not None:
        q = data["next_question"]
        assert {"evidence", "kind", "text", "choices", "why", "remaining"} <= q.keys()
        assert q["why"]


def test_answer_wins_over_finding(client: TestClient) -> None:
    body = {**CASE, "answers": [{"evidence": "fever", "status": "absent"}]}
    data = client.post("/v1/diagnosis", json=body).json()
    statuses = {f["evidence"]: f["status"] for f in data["findings"]}
    assert statuses["fever"] == "absent"


def test_diagnosis_in_french(client: TestClient) -> None:
    data = client.post("/v1/diagnosis", json={**CASE, "lang": "fr"}).json()
    assert data["lang"] == "fr"
    assert data["disclaimer"] != client.post("/v1/diagnosis", json=CASE).json()["disclaimer"]


def test_stateless_same_request_same_answer(client: TestClient) -> None:
    a = client.post("/v1/diagnosis", json=CASE).json()
    client.post("/v1/diagnosis", json={"age": 80, "sex": "male", "findings": []})
    b = client.post("/v1/diagnosis", json=CASE).json()
    assert a == b
    other = TestClient(create_app())
    assert other.post("/v1/diagnosis", json=CASE).json() == a


def test_triage(client: TestClient) -> None:
    r = client.post("/v1/triage", json=CASE)
    assert r.status_code == 200
    data = r.json()
    assert (
        data["triage"]["level"] == client.post("/v1/diagnosis", json=CASE).json()["triage"]["level"]
    )
    assert data["disclaimer"] and data["summary"]


def test_red_flag_escalates(client: TestClient) -> None:
    kb = client.app.state.service.checker.kb  # type: ignore[attr-defined]
    rule = next(r for r in kb.red_flags if r.level == "emergency_ambulance")
    findings = []
    for part in rule.all_of:
        clause = next(c for c in part if c.evidence is not None)
        value = clause.values[0] if clause.values else None
        if clause.min_value is not None:
            value = str(clause.min_value)
        findings.append({"evidence": clause.evidence, "value": value})
    r = client.post("/v1/triage", json={"age": 50, "sex": "male", "findings": findings})
    assert r.status_code == 200, r.text
    assert r.json()["triage"]["level"] == "emergency_ambulance"
    assert r.json()["triage"]["call_emergency_number"] is True


def test_explain(client: TestClient) -> None:
    top = client.post("/v1/diagnosis", json=CASE).json()["differential"][0]["id"]
    r = client.post("/v1/explain", json={**CASE, "condition": top})
    assert r.status_code == 200
    data = r.json()
    assert data["id"] == top
    assert all(x["weight"] > 0 for x in data["reasons_for"])
    assert all(x["weight"] < 0 for x in data["reasons_against"])
    assert data["reasons_for"] or data["reasons_against"]


def test_explain_unknown_condition_suggests(client: TestClient) -> None:
    r = client.post("/v1/explain", json={**CASE, "condition": "pneumonai"})
    err = _error(r, 404)
    assert err["field"] == "condition"
    assert err["value"] == "pneumonai"
    assert "pneumonia" in err["suggestions"]


def test_conditions(client: TestClient) -> None:
    en = client.get("/v1/conditions").json()
    fr = client.get("/v1/conditions", params={"lang": "fr"}).json()
    assert len(en) == len(fr) > 10
    assert {"id", "name", "icd10", "severity", "care_level"} <= en[0].keys()
    assert {c["id"] for c in en} == {c["id"] for c in fr}


def test_evidences_search(client: TestClient) -> None:
    everything = client.get("/v1/evidences").json()
    found = client.get("/v1/evidences", params={"search": "fever"}).json()
    assert 0 < len(found) < len(everything)
    assert "fever" in {e["evidence"] for e in found}
    fr = client.get("/v1/evidences", params={"search": "fièvre", "lang": "fr"}).json()
    assert "fever" in {e["evidence"] for e in fr}


def test_info(client: TestClient) -> None:
    data = client.get("/v1/info").json()
    assert data["version"]
    assert len(data["knowledge_sha256"]) == 64
    assert "DDXPlus" in data["attribution"]
    assert data["datasets"] and "CC-BY" in data["attribution"]


def test_parse(client: TestClient) -> None:
    r = client.post("/v1/parse", json={"text": "I have a fever and a cough, no sore throat"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["lang"] == "en"
    ids = {f["evidence"] for f in data["findings"]}
    assert {"fever", "cough"} <= ids


def test_diagnosis_with_text(client: TestClient) -> None:
    r = client.post("/v1/diagnosis", json={"age": 30, "sex": "male", "text": "fever and cough"})
    assert r.status_code == 200, r.text
    assert r.json()["findings"]


# -- web page and docs ------------------------------------------------------------------------
def test_web_page_and_static(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "/static/app.js" in r.text
    for name, kind in (("app.js", "javascript"), ("style.css", "css")):
        s = client.get(f"/static/{name}")
        assert s.status_code == 200
        assert kind in s.headers["content-type"]
    assert client.get("/static/..%2F__init__.py").status_code == 404
    assert client.get("/static/nope.js").status_code == 404


def test_no_external_urls_anywhere(client: TestClient) -> None:
    for path in ("/", "/static/app.js", "/static/style.css", "/docs", "/docs-assets/init.js"):
        text = client.get(path).text
        assert "http://" not in text and "https://" not in text, path


def test_docs_and_openapi(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/openapi.json" in docs.text or "/docs-assets/init.js" in docs.text
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/diagnosis"]["post"]
    assert {"200", "413", "415", "422"} <= post["responses"].keys()
    assert "404" in schema["paths"]["/v1/explain"]["post"]["responses"]
    for src in ("swagger-ui.css", "swagger-ui-bundle.js"):
        r = client.get(f"/docs-assets/{src}")
        assert r.status_code in (200, 404)


# -- errors -----------------------------------------------------------------------------------
def test_unknown_evidence_suggests(client: TestClient) -> None:
    body = {**CASE, "findings": [{"evidence": "fevr"}]}
    err = _error(client.post("/v1/diagnosis", json=body), 422)
    assert err["field"] == "findings[0].evidence"
    assert err["value"] == "fevr"
    assert "fever" in err["suggestions"]


def test_age_out_of_range(client: TestClient) -> None:
    err = _error(client.post("/v1/diagnosis", json={**CASE, "age": 130}), 422)
    assert err["field"] == "age"
    assert err["value"] == 130
    assert "120" in err["problem"]


def test_bad_sex_suggests(client: TestClient) -> None:
    err = _error(client.post("/v1/diagnosis", json={**CASE, "sex": "femal"}), 422)
    assert err["field"] == "sex"
    assert "female" in err["problem"]


def test_missing_age(client: TestClient) -> None:
    body = {k: v for k, v in CASE.items() if k != "age"}
    err = _error(client.post("/v1/diagnosis", json=body), 422)
    assert err["field"] == "age"


def test_bad_value(client: TestClient) -> None:
    kb = client.app.state.service.checker.kb  # type: ignore[attr-defined]
    multi = next(e for e in kb.evidences if e.kind != "binary" and not e.scale)
    body = {**CASE, "findings": [{"evidence": multi.id, "value": "purple"}]}
    err = _error(client.post("/v1/diagnosis", json=body), 422)
    assert err["field"] == "findings[0].value"
    assert err["value"] == "purple"


def test_too_many_findings(client: TestClient) -> None:
    for field in ("findings", "answers"):
        body = {**CASE, field: [{"evidence": "fever"}] * 301}
        err = _error(client.post("/v1/diagnosis", json=body), 422)
        assert err["field"] == field
        assert "too many" in err["problem"]
    # the limit is per list, as the schema says (maxItems), not on their sum
    both = {
        **CASE,
        "findings": [{"evidence": "fever"}] * 300,
        "answers": [{"evidence": "cough"}] * 300,
    }
    assert client.post("/v1/diagnosis", json=both).status_code == 200


def test_unknown_field_rejected(client: TestClient) -> None:
    err = _error(client.post("/v1/diagnosis", json={**CASE, "agee": 3}), 422)
    assert err["field"] == "…"  # a key we do not know is never echoed
    assert err["value"] is None
    assert err["suggestions"][0] == "age"
    err = _error(client.post("/v1/parse", json={"text": "cough", "age": 3}), 422)
    assert err["field"] == "age"  # a known field in the wrong place is named


def test_body_too_large_413(client: TestClient) -> None:
    big = b'{"age": 30, "sex": "male", "text": "' + b"a" * 300_000 + b'"}'
    r = client.post("/v1/diagnosis", content=big, headers={"content-type": "application/json"})
    err = _error(r, 413)
    assert err["field"] == "body"


def test_body_too_large_chunked_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(300):
            yield b" " * 1024

    r = client.post("/v1/diagnosis", content=chunks(), headers={"content-type": "application/json"})
    _error(r, 413)


def test_wrong_content_type_415(client: TestClient) -> None:
    r = client.post("/v1/diagnosis", content=b"age=3", headers={"content-type": "text/plain"})
    err = _error(r, 415)
    assert err["field"] == "content-type"
    r = client.post("/v1/diagnosis", content=b"{}")
    _error(r, 415)


def test_malformed_json_422(client: TestClient) -> None:
    r = client.post("/v1/diagnosis", content=b"{nope", headers={"content-type": "application/json"})
    _error(r, 422)


def test_not_found_body(client: TestClient) -> None:
    err = _error(client.get("/v1/nothing"), 404)
    assert err["field"] == "request"
    assert err["value"] is None  # a path is never echoed


def test_post_on_a_get_path_is_405(client: TestClient) -> None:
    for ctype in ("text/plain", "application/json"):
        r = client.post("/v1/info", content=b"{}", headers={"content-type": ctype})
        err = _error(r, 405)
        assert err["field"] == "method"
        assert "GET" in r.headers["allow"]
    r = client.get("/v1/diagnosis")
    assert r.status_code == 405 and "POST" in r.headers["allow"]


# -- headers, CORS, privacy ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/healthz", "/v1/info", "/v1/nothing", "/docs"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    r = client.get(path)
    for name, value in SECURITY.items():
        assert r.headers[name] == value
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_security_headers_on_errors(client: TestClient) -> None:
    r = client.post("/v1/diagnosis", content=b"x", headers={"content-type": "text/plain"})
    assert r.headers["x-frame-options"] == "DENY"


def test_cors_off_by_default(client: TestClient) -> None:
    r = client.get("/v1/info", headers={"origin": "https://example.org"})
    assert "access-control-allow-origin" not in r.headers


def test_cors_configurable() -> None:
    with TestClient(create_app(cors_origins=["https://ok.example"])) as c:
        r = c.options(
            "/v1/diagnosis",
            headers={
                "origin": "https://ok.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        assert r.headers["access-control-allow-origin"] == "https://ok.example"
        r = c.get("/v1/info", headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_no_symptom_text_in_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    secret = "zebra-unicorn-pain"
    caplog.set_level(logging.DEBUG)
    client.post("/v1/diagnosis", json={**CASE, "text": f"I have {secret}"})
    client.post("/v1/parse", json={"text": f"I have {secret}"})
    client.post("/v1/diagnosis", json={**CASE, "findings": [{"evidence": secret}]})
    client.get("/v1/evidences", params={"search": secret})
    # the test client (httpx) logs its own URLs; everything the server side logged:
    server = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert any("/v1/diagnosis" in m for m in server)  # the access log did run
    assert not [m for m in server if secret in m or "fever" in m]


def test_serve_cli_registered() -> None:
    from symptomatic.cli import _parser

    args = _parser().parse_args(["serve", "--port", "9", "--workers", "2", "--cors-origin", "x"])
    assert (args.port, args.workers, args.cors_origin, args.host) == (9, 2, ["x"], "127.0.0.1")


def test_serve_without_web_extra_is_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from symptomatic.cli import main

    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "web extra" in err


@pytest.mark.parametrize("module", ["fastapi", "uvicorn", "httptools"])
def test_serve_needs_every_module_of_the_web_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], module: str
) -> None:
    import sys

    from symptomatic._extras import EXTRAS, extra_missing
    from symptomatic.cli import main

    assert module in EXTRAS["web"]
    monkeypatch.setitem(sys.modules, module, None)
    assert extra_missing("web") == module
    assert main(["serve"]) == 2
    assert "web extra" in capsys.readouterr().err


def test_server_settings_are_read_from_one_place(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``serve`` checks, the app factory and the server read the same variables, with the
    same defaults: the body deadline and the request-read deadline are one setting."""
    from symptomatic.api import settings
    from symptomatic.api.app import app_factory
    from symptomatic.api.middleware import BODY_TIMEOUT, GuardMiddleware
    from symptomatic.api.server import read_client_timeout
    from symptomatic.cli import main

    assert read_client_timeout() == BODY_TIMEOUT == settings.DEFAULT_CLIENT_TIMEOUT
    for env in (settings.CLIENT_TIMEOUT_ENV, settings.TIME_BUDGET_ENV, settings.THREADS_ENV):
        with monkeypatch.context() as m:
            m.setenv(env, "lots")
            assert main(["serve"]) == 2
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and env in err
    monkeypatch.setenv(settings.CLIENT_TIMEOUT_ENV, "7")
    monkeypatch.setenv(settings.TIME_BUDGET_ENV, "2.5")
    monkeypatch.setenv(settings.THREADS_ENV, "3")
    app = app_factory()
    service = app.state.service
    assert (service.threads, service.time_budget) == (3, 2.5)
    guard = next(m for m in app.user_middleware if m.cls is GuardMiddleware)
    assert guard.kwargs["body_timeout"] == read_client_timeout() == 7.0
    service.close()


def test_question_offers_body_parts_of_the_case_sex_only(client: TestClient) -> None:
    """The server leaves out the other sex's body parts (the page keeps no list of its own)
    and names the choice that means "none of these"."""
    kb = client.app.state.service.checker.kb  # type: ignore[attr-defined]
    seen = set()
    for sex in ("female", "male"):
        body = {"age": 40, "sex": sex, "findings": [{"evidence": "pain"}]}
        q = client.post("/v1/diagnosis", json=body).json()["next_question"]
        ev = kb.evidence_by_id[q["evidence"]]
        assert ev.kind == "multi" and "location" in ev.roles  # where is the pain?
        offered = {c["value"] for c in q["choices"]}
        other = {v for v in ev.values if kb.values[v].sex not in (None, sex)}
        own = {v for v in ev.values if kb.values[v].sex == sex}
        assert other and own and not offered & other and own <= offered
        assert q["default"] == ev.default and q["default"] in offered
        seen.add(frozenset(offered))
    assert len(seen) == 2
    q = client.post("/v1/diagnosis", json=CASE).json()["next_question"]
    assert q["default"] == kb.evidence_by_id[q["evidence"]].default


# -- the serialised fast path -----------------------------------------------------------------
FAST_CASES: list[dict[str, Any]] = [
    CASE,
    {**CASE, "lang": "fr"},
    {"age": 80, "sex": "male", "findings": []},
    {"age": 3, "sex": "M", "text": "fever and a rash, no cough"},
    {"age": 45, "sex": "male", "lang": "en", "text": "crushing chest pain, I am sweating"},
    {"age": 29, "sex": "F", "lang": "fr", "text": "j'ai mal à la gorge et de la fièvre"},
    {"age": 61, "sex": "female", "text": "I broke my arm"},
    {
        "age": 34,
        "sex": "female",
        "findings": [{"evidence": "fever"}, {"evidence": "cough"}],
        "answers": [
            {"evidence": "sore-throat", "status": "absent"},
            {"evidence": "runny-nose", "status": "present"},
            {"evidence": "fever", "status": "unknown"},
        ],
    },
]


def test_diagnosis_json_is_a_valid_answer(client: TestClient) -> None:
    """The route's JSON, serialised once from the result, is a valid DiagnosisOut."""
    from symptomatic.api.models import CaseIn, DiagnosisOut

    service = client.app.state.service  # type: ignore[attr-defined]
    kb = service.checker.kb
    painful = next(e for e in kb.evidences if e.kind == "multi")
    cases = [
        *FAST_CASES,
        {
            "age": 50,
            "sex": "male",
            "findings": [{"evidence": painful.id, "value": v} for v in painful.values[:3]],
        },
    ]
    for body in cases:
        case = CaseIn.model_validate(body)
        fast = service.diagnosis_json(case)
        model = DiagnosisOut.model_validate_json(fast)
        assert model.model_dump_json().encode() == fast, body
        r = client.post("/v1/diagnosis", json=body)
        assert r.status_code == 200
        assert r.content == fast
        assert r.headers["content-type"] == "application/json"


def _diagnosis_by_deep_copy(service: Any, body: dict[str, Any]) -> bytes:
    """The diagnosis answer built the plain way: ``Result.to_dict()`` (a deep copy), every
    condition's information validated anew."""
    from pydantic_core import to_json

    from symptomatic.api.models import CaseIn, ConditionAbout
    from symptomatic.language.compose.answer import sections

    case = CaseIn.model_validate(body)
    assessment, lang = service._assess(case)
    result = service.checker.result_of(assessment, lang=lang)
    question, stop = service._next_question(case, assessment, lang)
    out: dict[str, Any] = result.to_dict()
    for c in out["differential"]:
        about = service.checker.kb.info(c["id"], lang)
        c["about"] = (
            None
            if about is None
            else ConditionAbout.model_validate(about, from_attributes=True).model_dump()
        )
    words = service.words[lang]
    level = result.triage.level
    out["care"] = {"title": words["level_name"][level], "action": words["level_now"][level]}
    out["next_question"] = question
    out["should_stop"] = stop
    out["sections"] = sections(
        service.checker.kb,
        differential=result.differential,
        triage=result.triage,
        findings=result.findings,
        something_else=result.something_else,
        lang=result.lang,
        age=assessment.age,
        text=assessment.reading.text,
        worried=assessment.reading.worried,
    )
    encoded: bytes = to_json(out)
    return encoded


def test_diagnosis_json_is_the_deep_copy_byte_for_byte(client: TestClient) -> None:
    """The shallow serialisation and the kept condition information change no byte, in
    both languages, with and without text, on a first call and a later one."""
    from symptomatic.api.models import CaseIn

    service = client.app.state.service  # type: ignore[attr-defined]
    seen = set()
    for body in FAST_CASES:
        for _ in range(2):
            fast = service.diagnosis_json(CaseIn.model_validate(body))
            assert fast == _diagnosis_by_deep_copy(service, body), body
        seen.add((body.get("lang"), "text" in body, bool(json.loads(fast)["differential"])))
    assert {lang for lang, _, _ in seen} >= {None, "en", "fr"}
    assert {text for _, text, _ in seen} == {True, False}


def test_sections_are_the_summary_in_parts(client: TestClient) -> None:
    """``sections`` are the parts the summary is rendered from, at every level reached."""
    from symptomatic.api.models import SectionsOut
    from symptomatic.language.compose.answer import SECTION_KEYS, render

    assert tuple(SectionsOut.model_fields) == SECTION_KEYS
    levels = set()
    cases = [
        *FAST_CASES,
        {"age": 70, "sex": "male", "text": "I have a sore throat and a runny nose"},
        {"age": 30, "sex": "female", "text": "I am pregnant and I have a headache, I'm worried"},
        {"age": 25, "sex": "female", "text": "I have a runny nose and I sneeze"},
    ]
    for body in cases:
        r = client.post("/v1/diagnosis", json=body)
        assert r.status_code == 200
        data = r.json()
        level = data["triage"]["level"]
        levels.add(level)
        parts = data["sections"]
        assert list(parts) == list(SECTION_KEYS)
        assert render(parts, level=level) == data["summary"], body
        assert parts["action"][0] == data["care"]["action"]
        assert bool(parts["self_care"]) == (level == "self_care")
    assert len(levels) >= 3, levels


def test_parse_is_the_results_findings(client: TestClient) -> None:
    """/v1/parse builds no whole answer, and says what the whole answer would say."""
    from symptomatic.api.models import ParseIn, ParseOut

    service = client.app.state.service  # type: ignore[attr-defined]
    said = [
        ("I have a fever and a dry cough, and my blorf is zingy", None),
        ("crushing chest pain, I am sweating", "en"),
        ("j'ai mal à la gorge et de la fièvre depuis deux jours", "fr"),
        ("my 3 year old has a rash and no cough", "en"),
        ("nothing at all", None),
    ]
    for text, lang in said:
        req = ParseIn.model_validate({"text": text, "lang": lang})
        assessment, out_lang = service.checker.assess(text=text, lang=lang)
        whole = service.checker.result_of(assessment, lang=out_lang).to_dict()
        expected = ParseOut.model_validate(
            {
                "lang": out_lang,
                "findings": [f for f in whole["findings"] if f["source"] == "text"],
                "not_understood": whole["not_understood"],
                "red_flags": [rule.reason[out_lang] for rule in assessment.fired],
                "age_in_text": assessment.reading.age,
            }
        )
        got = service.parse(req)
        assert got.model_dump_json() == expected.model_dump_json(), text
        r = client.post("/v1/parse", json={"text": text, "lang": lang})
        assert r.status_code == 200 and r.json() == expected.model_dump(), text


def test_diagnosis_schema_still_documents_the_answer(client: TestClient) -> None:
    post = client.get("/openapi.json").json()["paths"]["/v1/diagnosis"]["post"]
    ok = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/DiagnosisOut"}


def test_api_enums_are_the_cores(client: TestClient) -> None:
    """Care levels, languages, statuses and question kinds in the schema are the core's own."""
    import symptomatic
    from symptomatic import CARE_LEVELS, LANGS
    from symptomatic.api import models

    for name in ("CareLevel", "Lang", "Status", "QuestionKind"):
        assert getattr(models, name) is getattr(symptomatic, name), name
    schema = client.get("/openapi.json").json()
    parts = schema["components"]["schemas"]
    assert tuple(parts["TriageOut"]["properties"]["level"]["enum"]) == CARE_LEVELS
    assert tuple(parts["ConditionOut"]["properties"]["care_level"]["enum"]) == CARE_LEVELS
    params = schema["paths"]["/v1/conditions"]["get"]["parameters"]
    assert tuple(next(p for p in params if p["name"] == "lang")["schema"]["enum"]) == LANGS
