"""The application: wires routers, error handlers and middleware. Nothing else lives here."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from symptomatic.api import export, pages, routes
from symptomatic.api.errors import install_handlers
from symptomatic.api.middleware import BODY_TIMEOUT, GuardMiddleware
from symptomatic.api.service import Service
from symptomatic.api.settings import (
    CLIENT_TIMEOUT_ENV,
    CORS_ENV,
    DEFAULT_THREADS,
    DEFAULT_TIME_BUDGET,
    KB_ENV,
    THREADS_ENV,
    TIME_BUDGET_ENV,
    env_number,
)

if TYPE_CHECKING:
    from symptomatic import Checker

__all__ = [
    "CLIENT_TIMEOUT_ENV",
    "CORS_ENV",
    "KB_ENV",
    "THREADS_ENV",
    "TIME_BUDGET_ENV",
    "app_factory",
    "create_app",
]


def create_app(
    *,
    cors_origins: Sequence[str] = (),
    checker: Checker | None = None,
    threads: int = DEFAULT_THREADS,
    time_budget: float = DEFAULT_TIME_BUDGET,
    body_timeout: float = BODY_TIMEOUT,
) -> FastAPI:
    """A new app over ``checker`` (default: the packaged knowledge base). CORS is off unless
    ``cors_origins`` names some. The checker runs on ``threads`` threads, ``time_budget``
    seconds at most per request (then 503); a body must arrive within ``body_timeout``."""
    from symptomatic import Checker, __version__

    service = Service(
        checker if checker is not None else Checker(), threads=threads, time_budget=time_budget
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(
        title="symptomatic",
        version=__version__,
        description="Offline symptom checker and triage assistant. Not a diagnosis. "
        "Stateless: every call carries the whole case.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    app.include_router(routes.router)
    app.include_router(pages.router)
    app.include_router(export.router)
    install_handlers(app)
    _exact_openapi(app, service)
    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
        )
    app.add_middleware(GuardMiddleware, body_timeout=body_timeout)
    return app


def _exact_openapi(app: FastAPI, service: Service) -> None:
    """The OpenAPI schema, with each finding described exactly as the server checks it:
    every evidence of the knowledge base served and the values each one takes."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            components = schema["components"]["schemas"]
            components["FindingIn"] = service.finding_schema()
            condition = components.get("ExplainIn", {}).get("properties", {}).get("condition")
            if condition is not None:  # real ids, so that generated calls reach the checker
                condition["examples"] = [c.id for c in service.checker.kb.conditions[:5]]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def app_factory() -> FastAPI:
    """For ``uvicorn --factory``: settings come from the environment (see ``serve``)."""
    origins = [o.strip() for o in os.environ.get(CORS_ENV, "").split(",") if o.strip()]
    kb = os.environ.get(KB_ENV) or None
    checker = None
    if kb:
        from symptomatic import Checker

        checker = Checker(knowledge=kb)
    app = create_app(
        cors_origins=origins,
        checker=checker,
        threads=int(env_number(THREADS_ENV, DEFAULT_THREADS)),
        time_budget=env_number(TIME_BUDGET_ENV, DEFAULT_TIME_BUDGET),
        body_timeout=env_number(CLIENT_TIMEOUT_ENV, BODY_TIMEOUT),
    )
    app.state.service.warm()
    # What is loaded by now (knowledge, language data, tables) lives as long as the worker:
    # keep it out of the garbage collector's full passes, which would otherwise walk
    # hundreds of thousands of objects now and then, in the middle of a request.
    gc.freeze()
    return app
