"""``POST /v1/export/fhir``: the whole answer as a FHIR R4 Bundle to take to a doctor.

The body is the same case as ``/v1/diagnosis``. The answer is a Bundle of type
``collection``: a Patient (sex only, no name), the person's own words and age, one
Observation per finding (present, absent or not known, with the evidence id, its source
code and its label), and a RiskAssessment whose predictions are the differential (ICD-10
code, probability), whose mitigation is the care level and what to do, and whose notes say
that this is not a diagnosis. Built with plain typed models: no FHIR library at run time.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict

from symptomatic import Result
from symptomatic.api.errors import errors
from symptomatic.api.models import CaseIn
from symptomatic.api.service import Service

__all__ = ["FHIR_JSON", "Bundle", "bundle_for", "router"]

router = APIRouter(prefix="/v1", tags=["v1"])

#: The media type of a FHIR resource in JSON.
FHIR_JSON = "application/fhir+json"

EVIDENCE_SYSTEM = "urn:symptomatic:evidence"
VALUE_SYSTEM = "urn:symptomatic:value"
SOURCE_SYSTEM = "urn:ddxplus:code"
CONDITION_SYSTEM = "urn:symptomatic:condition"
CARE_SYSTEM = "urn:symptomatic:care-level"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

_INTERPRETATION = {
    "present": ("POS", "Positive"),
    "absent": ("NEG", "Negative"),
    "unknown": ("IND", "Indeterminate"),
}


class _Fhir(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Coding(_Fhir):
    system: str | None = None
    code: str | None = None
    display: str | None = None


class CodeableConcept(_Fhir):
    coding: list[Coding] | None = None
    text: str | None = None


class Reference(_Fhir):
    reference: str | None = None
    display: str | None = None


class Annotation(_Fhir):
    text: str


class Quantity(_Fhir):
    value: float
    unit: str
    system: str
    code: str


class Meta(_Fhir):
    tag: list[Coding] | None = None


class Patient(_Fhir):
    resourceType: Literal["Patient"] = "Patient"
    id: str
    gender: Literal["male", "female"] | None = None


class Observation(_Fhir):
    resourceType: Literal["Observation"] = "Observation"
    id: str
    status: Literal["final"] = "final"
    category: list[CodeableConcept]
    code: CodeableConcept
    subject: Reference
    effectiveDateTime: str
    valueBoolean: bool | None = None
    valueString: str | None = None
    valueQuantity: Quantity | None = None
    valueCodeableConcept: CodeableConcept | None = None
    dataAbsentReason: CodeableConcept | None = None
    interpretation: list[CodeableConcept] | None = None
    note: list[Annotation] | None = None


class Prediction(_Fhir):
    outcome: CodeableConcept
    probabilityDecimal: float | None = None
    rationale: str | None = None


class RiskAssessment(_Fhir):
    resourceType: Literal["RiskAssessment"] = "RiskAssessment"
    id: str
    meta: Meta | None = None
    status: Literal["final"] = "final"
    method: CodeableConcept
    code: CodeableConcept
    subject: Reference
    occurrenceDateTime: str
    basis: list[Reference] | None = None
    prediction: list[Prediction] | None = None
    mitigation: str
    note: list[Annotation]


class Entry(_Fhir):
    fullUrl: str
    resource: Patient | Observation | RiskAssessment


class Bundle(_Fhir):
    """A FHIR R4 Bundle (type ``collection``) with the resources above."""

    resourceType: Literal["Bundle"] = "Bundle"
    id: str
    type: Literal["collection"] = "collection"
    timestamp: str
    entry: list[Entry]


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _urn() -> tuple[str, str]:
    ident = str(uuid.uuid4())
    return ident, f"urn:uuid:{ident}"


def bundle_for(service: Service, case: CaseIn, *, now: datetime | None = None) -> Bundle:
    """The FHIR Bundle for ``case``: the same check as ``/v1/diagnosis``, as resources."""
    result: Result = service.check(case)
    lang = result.lang
    words = service.words[lang]
    when = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    pid, purl = _urn()
    patient = Reference(reference=purl)
    entries = [Entry(fullUrl=purl, resource=Patient(id=pid, gender=_gender(case.sex)))]
    survey = [CodeableConcept(coding=[Coding(system=CATEGORY, code="survey", display="Survey")])]

    def observation(**fields: object) -> Reference:
        oid, ourl = _urn()
        obs = Observation.model_validate(
            {"id": oid, "category": survey, "subject": patient, "effectiveDateTime": when} | fields
        )
        entries.append(Entry(fullUrl=ourl, resource=obs))
        return Reference(reference=ourl)

    basis: list[Reference] = []
    if case.text and case.text.strip():
        basis.append(
            observation(
                code=CodeableConcept(
                    coding=[
                        Coding(
                            system=LOINC,
                            code="10154-3",
                            display="Chief complaint Narrative - Reported",
                        )
                    ],
                    text=words.get("fhir_own_words", "In the person's own words"),
                ),
                valueString=case.text.strip(),
            )
        )
    if result.age is not None:
        basis.append(
            observation(
                code=CodeableConcept(
                    coding=[Coding(system=LOINC, code="30525-0", display="Age")], text="Age"
                ),
                valueQuantity=Quantity(value=result.age, unit="years", system=UCUM, code="a"),
            )
        )
    codes = {e.evidence: e.codes for e in service.evidences[lang]}
    for f in result.findings:
        coding = [Coding(system=EVIDENCE_SYSTEM, code=f.evidence, display=f.label)]
        coding += [Coding(system=SOURCE_SYSTEM, code=c) for c in codes.get(f.evidence, [])[:1]]
        code, display = _INTERPRETATION.get(f.status, _INTERPRETATION["unknown"])
        fields: dict[str, object] = {
            "code": CodeableConcept(coding=coding, text=f.label),
            "interpretation": [
                CodeableConcept(
                    coding=[Coding(system=INTERPRETATION, code=code, display=display)],
                    text=f.status,
                )
            ],
        }
        if f.status == "unknown":
            fields["dataAbsentReason"] = CodeableConcept(
                coding=[
                    Coding(system=ABSENT_REASON, code="asked-unknown", display="Asked But Unknown")
                ]
            )
        elif f.value is not None:
            fields["valueCodeableConcept"] = CodeableConcept(
                coding=[Coding(system=VALUE_SYSTEM, code=f.value, display=f.value_label)],
                text=f.value_label or f.value,
            )
        else:
            fields["valueBoolean"] = f.status == "present"
        if f.text:
            fields["note"] = [Annotation(text=f.text)]
        basis.append(observation(**fields))

    predictions = [
        Prediction(
            outcome=CodeableConcept(
                coding=[
                    Coding(system=ICD10, code=c.icd10, display=c.name),
                    Coding(system=CONDITION_SYSTEM, code=c.id, display=c.name),
                ],
                text=c.name,
            ),
            probabilityDecimal=round(c.probability, 4),
            rationale=", ".join(r.label for r in c.reasons_for[:5]) or None,
        )
        for c in result.differential
    ]
    se = result.something_else
    if se.likely:
        predictions.append(
            Prediction(
                outcome=CodeableConcept(text=words.get("fhir_something_else", "Something else")),
                probabilityDecimal=None if se.probability is None else round(se.probability, 4),
                rationale=se.reason or None,
            )
        )
    level = result.triage.level
    title = words["level_name"][level]
    ra_id, ra_url = _urn()
    info = service.info
    notes = [Annotation(text=f"{title}. " + " ".join(dict.fromkeys(result.triage.reasons)))]
    notes.append(Annotation(text=result.disclaimer))
    assessment = RiskAssessment(
        id=ra_id,
        meta=Meta(tag=[Coding(system=CARE_SYSTEM, code=level, display=title)]),
        method=CodeableConcept(
            text=f"symptomatic {info.version} (knowledge base {info.knowledge_sha256[:12]}); "
            f"{info.attribution}"
        ),
        code=CodeableConcept(
            coding=[Coding(system=CARE_SYSTEM, code=level, display=title)],
            text=words.get("fhir_title", "Symptom check: possible conditions and care level"),
        ),
        subject=patient,
        occurrenceDateTime=when,
        basis=basis or None,
        prediction=predictions or None,
        mitigation=f"{title}: {words['level_now'][level]}",
        note=notes,
    )
    entries.append(Entry(fullUrl=ra_url, resource=assessment))
    return Bundle(id=str(uuid.uuid4()), timestamp=when, entry=entries)


def _gender(sex: str) -> Literal["male", "female"]:
    return "male" if sex.lower() in ("male", "m") else "female"


@router.post(
    "/export/fhir",
    response_model=Bundle,
    response_model_exclude_none=True,
    responses={
        **errors(408, 413, 415, 422, 503),
        200: {"content": {FHIR_JSON: {}}, "description": "a FHIR R4 Bundle (collection)"},
    },
)
async def export_fhir(body: CaseIn, request: Request) -> Response:
    """The answer for the whole case as a FHIR R4 Bundle for a health record: the findings
    as Observations, the differential (ICD-10, probability) and the care level as a
    RiskAssessment, and the reminder that this is not a diagnosis."""
    service = _service(request)
    bundle = await service.run(bundle_for, service, body)  # off the event loop, time-boxed
    day = bundle.timestamp[:10]
    return Response(
        bundle.model_dump_json(exclude_none=True),
        media_type=FHIR_JSON,
        headers={"content-disposition": f'attachment; filename="symptom-check-{day}.json"'},
    )
