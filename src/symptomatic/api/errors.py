"""Error answers: every 4xx body names the field, the problem, the value and suggestions.

:class:`~symptomatic.InputError` from the core maps to 422 (404 for an unknown condition);
request validation errors are reshaped the same way. Bodies never echo free text back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from symptomatic import InputError, UnknownConditionError
from symptomatic.api.models import ErrorBody, ErrorItem

__all__ = ["ERRORS", "error_response", "install_handlers"]

_MAX_VALUE = 120


def _scalar(value: object) -> str | int | float | bool | None:
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE] + "…"


def error_response(status: int, items: Sequence[ErrorItem]) -> JSONResponse:
    return JSONResponse(ErrorBody(status=status, errors=list(items)).model_dump(), status)


def one_error(
    status: int, field: str, problem: str, value: object = None, suggestions: Sequence[str] = ()
) -> JSONResponse:
    item = ErrorItem(
        field=field, problem=problem, value=_scalar(value), suggestions=list(suggestions)
    )
    return error_response(status, [item])


def _field(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if part in ("body", "query", "path") and not out:
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


async def _on_input_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    status = 404 if isinstance(exc, UnknownConditionError) else 422
    return one_error(status, exc.field, exc.rule, exc.value, exc.suggestions)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = []
    for err in exc.errors():
        loc = err.get("loc", ())
        value = err.get("input")
        problem = str(err.get("msg", "invalid"))
        if err.get("type") == "too_long" and loc and loc[-1] in ("findings", "answers"):
            problem = f"too many findings: {problem}"
        if isinstance(value, dict | list):
            value = None
        items.append(ErrorItem(field=_field(loc), problem=problem, value=_scalar(value)))
    return error_response(422, items)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI: the body could not be decoded at all
        return one_error(422, "body", "is not valid JSON text in UTF-8")
    response = one_error(exc.status_code, "request", str(exc.detail), request.url.path)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InputError, _on_input_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)


def _doc(text: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": text}


#: Error answers documented in the OpenAPI schema, by status.
ERRORS: dict[int | str, dict[str, Any]] = {
    404: _doc("unknown condition id; suggestions holds the closest ids"),
    413: _doc("request body over 64 KB"),
    415: _doc("content type is not application/json"),
    422: _doc("invalid input: field, problem, value received and closest valid values"),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: ERRORS[c] for c in codes}
