"""Property-based API test: schemathesis against the app's own OpenAPI schema, every check.

Every built-in check runs (no 5xx, only documented status codes, content types and bodies,
schema-valid requests accepted, schema-invalid ones rejected, 405 with ``Allow`` for an
undeclared method, ...), with positive and negative data.

The schema lists every evidence and value of the knowledge base served, so the coverage
phase (one case per enum value and boundary) over the packaged base runs thousands of
cases per operation: here it runs over the tiny test base (same code, same schema
builder), and the packaged base gets the examples and fuzzing phases. Bounded so the file
runs in well under a minute; ``tools/bench_load.py --schemathesis`` runs every phase on
the packaged base against a live server.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("schemathesis")

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from symptomatic import Checker
from symptomatic.api.app import create_app
from tests.conftest import TINY

load_all_checks()
#: Every check schemathesis has (the function ones; the class-based ones need its runner).
ALL_CHECKS = [c for c in CHECKS.get_all() if inspect.isfunction(c)]

tiny = schemathesis.openapi.from_asgi("/openapi.json", create_app(checker=Checker(knowledge=TINY)))
packaged = schemathesis.openapi.from_asgi("/openapi.json", create_app())
packaged.config.phases.coverage.enabled = False
for _schema in (tiny, packaged):
    # A body over the size limit is rejected with 413 before it is read as JSON: a
    # rejection too (schemathesis lists the usual ones, without 413).
    _schema.config.checks.negative_data_rejection.expected_statuses.append("413")


def test_every_builtin_check_is_used() -> None:
    names = {c.__name__ for c in ALL_CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "positive_data_acceptance",
        "negative_data_rejection",
        "unsupported_method",
    } <= names


_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@tiny.parametrize()  # type: ignore[untyped-decorator, unused-ignore]
@_SETTINGS
def test_api_conforms(case: Any) -> None:  # a schemathesis.Case
    response = case.call()
    case.validate_response(response, checks=ALL_CHECKS)


@packaged.parametrize()  # type: ignore[untyped-decorator, unused-ignore]
@_SETTINGS
def test_api_conforms_packaged(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=ALL_CHECKS)
