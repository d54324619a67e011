"""Property-based API test: schemathesis against the app's own OpenAPI schema.

No 5xx, no status code the schema does not document, and bodies that match the schema.
Bounded (a few examples per operation) so it runs in well under a minute.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("schemathesis")

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from symptomatic.api.app import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()  # type: ignore[untyped-decorator, unused-ignore]
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms(case: Any) -> None:  # a schemathesis.Case
    response = case.call()
    case.validate_response(response, checks=CHECKS)
