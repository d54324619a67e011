"""Error answers: every error body names the field, the problem, the value and suggestions.

:class:`~symptomatic.InputError` from the core maps to 422 (404 for an unknown condition);
request validation errors are reshaped the same way; :class:`TimeBudgetExceeded` is a 503.

Bodies never echo free text back, and are always valid JSON: a value is shown only when it
is a number, a boolean or a short code in a code field (an evidence id such as ``fevr``, so
that the error can say what is wrong), never for the free-text fields (``text``,
``search``), never a path, a header or the value of an unknown field; a value that JSON
cannot carry (NaN, infinities) is named; a field name the API does not know is shown as
``…`` (its closest known names are the suggestions). The problem is the rule broken, never
the value.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from symptomatic import InputError, UnknownConditionError
from symptomatic.api.models import CaseIn, ErrorBody, ErrorItem, ExplainIn, FindingIn, ParseIn

__all__ = [
    "BUSY_MESSAGE",
    "ERRORS",
    "BodyRejected",
    "TimeBudgetExceeded",
    "error_body",
    "error_response",
    "errors",
    "install_handlers",
    "one_error",
    "safe_value",
]

#: Fields that carry the person's own words: their value is never echoed.
FREE_TEXT_FIELDS = frozenset({"text", "search", "body"})
#: What a 503 says when a request ran out of its time budget.
BUSY_MESSAGE = (
    "the service is busy and could not answer in time; nothing was kept, please try again "
    "in a moment"
)
#: Seconds a client is asked to wait after a 503 (the Retry-After header).
RETRY_AFTER = "2"

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/+=-]{0,59}")
#: Field names an error may name: those of the request models (any other key a client
#: sends is shown as ``…``, with the closest known names as suggestions).
KNOWN_FIELDS = frozenset(
    name for model in (CaseIn, ExplainIn, ParseIn, FindingIn) for name in model.model_fields
) | {"lang", "search"}
_BIGGEST = 10**15


class TimeBudgetExceeded(Exception):
    """A request waited for or used the worker's threads longer than its time budget."""


class BodyRejected(StarletteHTTPException):
    """The request body broke a rule (408, 413, 415): raised while the endpoint reads it."""

    def __init__(
        self, status: int, field: str, problem: str, value: object = None, *, close: bool = False
    ) -> None:
        super().__init__(status, problem, headers={"connection": "close"} if close else None)
        self.field = field
        self.value = value


def _leaf(field: str) -> str:
    return re.sub(r"\[\d+\]", "", field).rsplit(".", 1)[-1]


def safe_value(field: str, value: object) -> str | int | float | bool | None:
    """``value`` as an error body may show it (see the module docstring), or None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -_BIGGEST < value < _BIGGEST else None
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if _leaf(field) in FREE_TEXT_FIELDS:
        return None
    if isinstance(value, str) and _CODE.fullmatch(value):
        return value
    return None


def error_body(status: int, items: Sequence[ErrorItem]) -> bytes:
    """The JSON bytes of an error answer."""
    return ErrorBody(status=status, errors=list(items)).model_dump_json().encode()


def error_response(
    status: int, items: Sequence[ErrorItem], headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        ErrorBody(status=status, errors=list(items)).model_dump(), status, headers=headers
    )


def one_error(
    status: int,
    field: str,
    problem: str,
    value: object = None,
    suggestions: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    item = ErrorItem(
        field=field,
        problem=problem,
        value=safe_value(field, value),
        suggestions=[s for s in suggestions if isinstance(s, str) and _CODE.fullmatch(s)],
    )
    return error_response(status, [item], headers)


def _field(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if part in ("body", "query", "path") and not out:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = part if part in KNOWN_FIELDS else "…"
        out += f".{name}" if out else name
    return out or "body"


def _problem(err: Any) -> str:
    problem = str(err.get("msg", "invalid"))
    value = err.get("input")
    if isinstance(value, str) and len(value) >= 16 and value in problem:
        return str(err.get("type", "invalid"))  # never the value, even inside a message
    return problem


def _choices(err: Any) -> list[str]:
    """For a value outside a list of choices, the closest of them."""
    value = err.get("input")
    expected = str((err.get("ctx") or {}).get("expected", ""))
    if err.get("type") != "literal_error" or not isinstance(value, str):
        return []
    options = re.findall(r"'([^']*)'", expected)
    return difflib.get_close_matches(value, options, n=3, cutoff=0.3) or options[:3]


async def _on_input_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    status = 404 if isinstance(exc, UnknownConditionError) else 422
    return one_error(status, exc.field, exc.rule, exc.value, exc.suggestions)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = []
    for err in exc.errors():
        loc = err.get("loc", ())
        field = _field(loc)
        problem = _problem(err)
        value = err.get("input")
        if err.get("type") == "json_invalid":
            field, problem = "body", "is not valid JSON text in UTF-8"
        suggestions = _choices(err)
        if err.get("type") == "extra_forbidden":
            value = None  # a field we do not know: its name and value could be anything
            key = loc[-1] if loc else ""
            suggestions = difflib.get_close_matches(str(key), sorted(KNOWN_FIELDS), n=3)
        if err.get("type") == "too_long" and loc and loc[-1] in ("findings", "answers"):
            problem = f"too many findings: {problem}"
        items.append(
            ErrorItem(
                field=field,
                problem=problem,
                value=safe_value(field, value),
                suggestions=suggestions,
            )
        )
    return error_response(422, items)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, BodyRejected):
        return one_error(exc.status_code, exc.field, exc.detail, exc.value, headers=exc.headers)
    if exc.status_code == 400:  # FastAPI: the body could not be decoded at all
        return one_error(422, "body", "is not valid JSON text in UTF-8")
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        problem = f"method not allowed here; use {allowed}" if allowed else "method not allowed"
        return one_error(405, "method", problem, request.method, headers=exc.headers)
    if exc.status_code == 404:  # the path is never echoed: it may hold anything
        return one_error(404, "request", str(exc.detail).lower() or "not found")
    return one_error(exc.status_code, "request", str(exc.detail), headers=exc.headers)


async def _on_busy(request: Request, exc: Exception) -> JSONResponse:
    return one_error(503, "request", BUSY_MESSAGE, headers={"retry-after": RETRY_AFTER})


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(InputError, _on_input_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(TimeBudgetExceeded, _on_busy)


def _doc(text: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": text}


#: Error answers documented in the OpenAPI schema, by status.
ERRORS: dict[int | str, dict[str, Any]] = {
    404: _doc("unknown condition id; suggestions holds the closest ids"),
    408: _doc("the request body did not arrive in time; the connection is closed"),
    413: _doc("request body over 256 KB (any schema-valid request in compact JSON fits)"),
    415: _doc("content type is not application/json"),
    422: _doc("invalid input: field, problem, value received and closest valid values"),
    500: _doc("internal error; nothing about the request is logged or echoed"),
    503: _doc("over the time budget (busy); retry after the Retry-After seconds"),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {c: ERRORS[c] for c in codes}
