"""Taking the result to a doctor: ``POST /v1/export/fhir`` (FHIR R4 Bundle), and ``/docs``.

The Bundle is validated with ``fhir.resources`` (its R4B models: R4 with fixes), skipped
with the reason when that package is missing.
"""

from __future__ import annotations

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
    "lang": "en",
    "text": "I have a cough and a fever since yesterday",
    "findings": [{"evidence": "pain-location", "value": "upper-part-of-the-chest"}],
    "answers": [
        {"evidence": "sore-throat", "status": "absent"},
        {"evidence": "short-of-breath", "status": "unknown"},
    ],
}
ICD10 = "http://hl7.org/fhir/sid/icd-10"


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


@pytest.fixture(scope="module")
def bundle(client: TestClient) -> dict[str, Any]:
    r = client.post("/v1/export/fhir", json=CASE)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    assert "attachment" in r.headers["content-disposition"]
    body: dict[str, Any] = r.json()
    return body


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_is_valid_fhir_r4(bundle: dict[str, Any]) -> None:
    r4b = pytest.importorskip("fhir.resources.R4B.bundle", reason="needs fhir.resources")
    parsed = r4b.Bundle.model_validate(bundle)
    assert parsed.type in ("collection", "document")
    for entry in bundle["entry"]:
        assert entry["fullUrl"].startswith("urn:uuid:")


def test_findings_are_observations(bundle: dict[str, Any], client: TestClient) -> None:
    diagnosis = client.post("/v1/diagnosis", json=CASE).json()
    observations = _resources(bundle, "Observation")
    by_evidence: dict[str, dict[str, Any]] = {}
    for o in observations:
        for coding in o["code"].get("coding", []):
            if coding["system"] == "urn:symptomatic:evidence":
                by_evidence[coding["code"]] = o
                assert coding["display"]  # the plain label
    assert {f["evidence"] for f in diagnosis["findings"]} <= by_evidence.keys()
    assert by_evidence["sore-throat"]["valueBoolean"] is False
    assert by_evidence["sore-throat"]["interpretation"][0]["coding"][0]["code"] == "NEG"
    assert by_evidence["cough"]["valueBoolean"] is True
    unknown = by_evidence["short-of-breath"]
    assert unknown["dataAbsentReason"]["coding"][0]["code"] == "asked-unknown"
    location = by_evidence["pain-location"]["valueCodeableConcept"]["coding"][0]
    assert location["code"] == "upper-part-of-the-chest" and location["display"]
    words = [o for o in observations if "valueString" in o]
    assert words and words[0]["valueString"] == CASE["text"]  # the person's own words


def test_differential_is_a_risk_assessment(bundle: dict[str, Any], client: TestClient) -> None:
    diagnosis = client.post("/v1/diagnosis", json=CASE).json()
    known = {c["icd10"] for c in client.get("/v1/conditions").json()}
    (risk,) = _resources(bundle, "RiskAssessment")
    predictions = [p for p in risk["prediction"] if "coding" in p["outcome"]]
    assert len(predictions) == len(diagnosis["differential"])
    for p, c in zip(predictions, diagnosis["differential"], strict=True):
        icd = next(x for x in p["outcome"]["coding"] if x["system"] == ICD10)
        assert icd["code"] == c["icd10"] and icd["code"] in known
        assert 0 <= p["probabilityDecimal"] <= 1
    level = diagnosis["triage"]["level"]
    assert risk["code"]["coding"][0]["code"] == level
    assert risk["mitigation"]
    notes = " ".join(n["text"] for n in risk["note"]).lower()
    assert "not a diagnosis" in notes
    assert risk["subject"]["reference"] == _patient_url(bundle)
    assert all(b["reference"].startswith("urn:uuid:") for b in risk["basis"])


def _patient_url(bundle: dict[str, Any]) -> str:
    (entry,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    url: str = entry["fullUrl"]
    assert entry["resource"]["gender"] == "female"
    assert "name" not in entry["resource"]  # nothing that names the person
    return url


def test_french_and_emergency(client: TestClient) -> None:
    body = {"age": 60, "sex": "M", "lang": "fr", "text": "douleur écrasante dans la poitrine"}
    r = client.post("/v1/export/fhir", json={**body, "findings": [{"evidence": "short-of-breath"}]})
    assert r.status_code == 200
    (risk,) = _resources(r.json(), "RiskAssessment")
    assert risk["code"]["coding"][0]["code"] in ("emergency", "emergency_ambulance")
    assert "diagnostic" in " ".join(n["text"] for n in risk["note"]).lower()


def test_bad_case_is_a_422_naming_the_field(client: TestClient) -> None:
    r = client.post("/v1/export/fhir", json={**CASE, "age": 300})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "age"
    assert "cough" not in r.text  # never echoes the words back


def test_export_is_documented(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    post = schema["paths"]["/v1/export/fhir"]["post"]
    assert "application/fhir+json" in post["responses"]["200"]["content"]
    assert {"413", "415", "422"} <= post["responses"].keys()


# -- /docs ---------------------------------------------------------------------------------------
def test_docs_serve_a_swagger_ui_that_reads_openapi_31(client: TestClient) -> None:
    from symptomatic.api.pages import SWAGGER_MIN_MAJOR, swagger_ui

    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    ui = swagger_ui()
    page = client.get("/docs").text
    if ui is None:  # the plain page: every operation, and how to get the interactive one
        assert "/v1/diagnosis" in page and "/v1/export/fhir" in page
        assert "pip install" in page
        return
    assert ui.version[0] >= SWAGGER_MIN_MAJOR
    assert "/docs-assets/swagger-ui-bundle.js" in page
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and f'PACKAGE_VERSION:"{ui.version[0]}.' in js.text


def test_plain_docs_list_operations_and_the_install_hint(client: TestClient) -> None:
    from symptomatic import install_hint
    from symptomatic.api.pages import _plain_docs

    page = _plain_docs(client.app.openapi())  # type: ignore[attr-defined]
    assert "POST /v1/diagnosis" in page
    assert install_hint("web").replace("'", "&#x27;") in page
