"""The application: wires routers, error handlers and middleware. Nothing else lives here."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import FastAPI

from symptomatic.api import pages, routes
from symptomatic.api.errors import install_handlers
from symptomatic.api.middleware import GuardMiddleware
from symptomatic.api.service import Service

if TYPE_CHECKING:
    from symptomatic import Checker

__all__ = ["app_factory", "create_app"]

#: Comma-separated CORS origins for :func:`app_factory` (set by ``symptomatic serve``).
CORS_ENV = "SYMPTOMATIC_CORS_ORIGINS"
#: Knowledge-base directory for :func:`app_factory` (set by ``symptomatic --kb DIR serve``).
KB_ENV = "SYMPTOMATIC_KB"


def create_app(*, cors_origins: Sequence[str] = (), checker: Checker | None = None) -> FastAPI:
    """A new app over ``checker`` (default: the packaged knowledge base). CORS is off unless
    ``cors_origins`` names some."""
    from symptomatic import Checker, __version__

    app = FastAPI(
        title="symptomatic",
        version=__version__,
        description="Offline symptom checker and triage assistant. Not a diagnosis. "
        "Stateless: every call carries the whole case.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = Service(checker if checker is not None else Checker())
    app.include_router(routes.router)
    app.include_router(pages.router)
    install_handlers(app)
    if cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["content-type"],
        )
    app.add_middleware(GuardMiddleware)
    return app


def app_factory() -> FastAPI:
    """For ``uvicorn --factory``: settings come from the environment (see ``serve``)."""
    origins = [o.strip() for o in os.environ.get(CORS_ENV, "").split(",") if o.strip()]
    kb = os.environ.get(KB_ENV) or None
    checker = None
    if kb:
        from symptomatic import Checker

        checker = Checker(knowledge=kb)
    return create_app(cors_origins=origins, checker=checker)
