"""The ``/v1`` endpoints. Each one is a few lines over :class:`~symptomatic.api.service.Service`.

The work of a POST (reading text, checking the case) runs on the service's threads within
the time budget (:meth:`Service.run`), never on the event loop; the listings are
precomputed and answered on the loop.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from symptomatic import Lang
from symptomatic.api.errors import errors
from symptomatic.api.models import (
    CaseIn,
    ConditionOut,
    DiagnosisOut,
    EvidenceOut,
    ExplainIn,
    ExplainOut,
    InfoOut,
    ParseIn,
    ParseOut,
    TriageAnswerOut,
)
from symptomatic.api.service import Service

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["v1"])

_POST_ERRORS = errors(408, 413, 415, 422, 503)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


@router.post("/parse", responses=_POST_ERRORS)
async def parse(body: ParseIn, request: Request) -> ParseOut:
    """Read free text: what was understood, what was not, and red flags it raises."""
    service = _service(request)
    return await service.run(service.parse, body)


@router.post("/diagnosis", response_model=DiagnosisOut, responses=_POST_ERRORS)
async def diagnosis(body: CaseIn, request: Request) -> Response:
    """Differential, care level and plain answer for the whole case, and the next question."""
    # The JSON is serialised once from the result (tests check it against DiagnosisOut);
    # response_model above documents the answer in the OpenAPI schema.
    service = _service(request)
    answer = await service.run(service.diagnosis_json, body)
    return Response(answer, media_type="application/json")


@router.post("/triage", responses=_POST_ERRORS)
async def triage(body: CaseIn, request: Request) -> TriageAnswerOut:
    """Only the care level, its reasons and what to do."""
    service = _service(request)
    return await service.run(service.triage, body)


@router.post("/explain", responses=errors(404, 408, 413, 415, 422, 503))
async def explain(body: ExplainIn, request: Request) -> ExplainOut:
    """For one condition: the findings that argue for it and against it."""
    service = _service(request)
    return await service.run(service.explain, body)


@router.get("/conditions", responses=errors(422))
async def conditions(request: Request, lang: Annotated[Lang, Query()] = "en") -> list[ConditionOut]:
    """The conditions the model knows, by name."""
    return _service(request).conditions[lang]


@router.get("/evidences", responses=errors(422))
async def evidences(
    request: Request,
    lang: Annotated[Lang, Query()] = "en",
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> list[EvidenceOut]:
    """The evidences (symptoms, history); ``search`` keeps those whose wording has the word."""
    return _service(request).list_evidences(lang, search)


@router.get("/words", responses=errors(422))
async def words(request: Request, lang: Annotated[Lang, Query()] = "en") -> dict[str, Any]:
    """Every word the web page shows, in one language (the page keeps none of its own)."""
    return _service(request).words[lang]


@router.get("/info")
async def info(request: Request) -> InfoOut:
    """Version, knowledge-base checksum, sources and licences."""
    return _service(request).info
