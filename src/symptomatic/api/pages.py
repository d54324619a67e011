"""Non-API routes: the web page, its static files, ``/healthz`` and offline ``/docs``.

Everything is served from package files (importlib.resources); nothing from a CDN.

``/docs`` needs a Swagger UI that reads OpenAPI 3.1 (what FastAPI writes), that is Swagger
UI 5 or later. It is taken from an installed package that ships one (``fastapi-offline``,
or ``swagger-ui-bundle`` once it bundles Swagger UI 5); without one, ``/docs`` is a plain
page listing every operation, with the command that installs the interactive page.
"""

from __future__ import annotations

import contextlib
import html
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from symptomatic.api.errors import errors
from symptomatic.api.models import HealthOut

__all__ = ["SWAGGER_MIN_MAJOR", "SwaggerUI", "router", "swagger_ui"]

router = APIRouter(include_in_schema=True)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
_SWAGGER = ("swagger-ui.css", "swagger-ui-bundle.js")
#: The first Swagger UI major version that reads OpenAPI 3.1.
SWAGGER_MIN_MAJOR = 5
_VERSION = re.compile(rb'PACKAGE_VERSION:"(\d+)\.(\d+)\.(\d+)"')


@dataclass(frozen=True)
class SwaggerUI:
    """An installed Swagger UI: the package it comes from, its version and its folder."""

    package: str
    version: tuple[int, int, int]
    folder: Traversable


def _candidates() -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    with contextlib.suppress(ImportError, TypeError):
        found.append(("fastapi-offline", resources.files("fastapi_offline") / "static"))
    try:
        import swagger_ui_bundle  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        pass
    else:
        from pathlib import Path

        found.append(("swagger-ui-bundle", Path(str(swagger_ui_bundle.swagger_ui_path))))
    return found


@cache
def swagger_ui() -> SwaggerUI | None:
    """The newest installed Swagger UI that reads OpenAPI 3.1, or None."""
    best: SwaggerUI | None = None
    for package, folder in _candidates():
        bundle = folder / "swagger-ui-bundle.js"
        if not (bundle.is_file() and (folder / "swagger-ui.css").is_file()):
            continue
        match = _VERSION.search(bundle.read_bytes())
        if match is None:
            continue
        major, minor, patch = (int(g) for g in match.groups())
        version = (major, minor, patch)
        if major >= SWAGGER_MIN_MAJOR and (best is None or version > best.version):
            best = SwaggerUI(package, version, folder)
    return best


@cache
def _static(name: str) -> bytes | None:
    if "/" in name or name.startswith(".") or not any(name.endswith(s) for s in _TYPES):
        return None
    node = resources.files("symptomatic.web") / "static" / name
    return node.read_bytes() if node.is_file() else None


@cache
def _swagger(name: str) -> bytes | None:
    ui = swagger_ui()
    if name not in _SWAGGER or ui is None:
        return None
    node = ui.folder / name
    return node.read_bytes() if node.is_file() else None


def _file(body: bytes | None, name: str) -> Response:
    if body is None:
        raise HTTPException(404, "no such file")
    ctype = _TYPES["." + name.rsplit(".", 1)[-1]]
    return Response(body, media_type=ctype, headers={"cache-control": "no-cache"})


@router.get("/healthz", tags=["service"])
async def healthz() -> HealthOut:
    """Liveness: the process answers and the knowledge base is loaded."""
    return HealthOut()


@router.get("/", include_in_schema=False)
def index() -> Response:
    return _file(_static("index.html"), "index.html")


@router.get("/static/{name}", include_in_schema=False, responses=errors(404))
def static(name: str) -> Response:
    return _file(_static(name), name)


@router.get("/docs-assets/{name}", include_in_schema=False)
def docs_asset(name: str) -> Response:
    if name == "init.js":
        return _file(_DOCS_INIT.encode(), name)
    return _file(_swagger(name), name)


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    """Swagger UI (5 or later, it reads OpenAPI 3.1) if installed, else a plain page that
    lists the operations and says how to install the interactive one."""
    if swagger_ui() is not None:
        return HTMLResponse(_DOCS_SWAGGER)
    return HTMLResponse(_plain_docs(request.app.openapi()))


def _plain_docs(schema: dict[str, Any]) -> str:
    from symptomatic import install_hint

    rows = []
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict):
                continue
            summary = html.escape(str(op.get("summary", "")))
            rows.append(
                f"<li><code>{html.escape(method.upper())} {html.escape(path)}</code> {summary}</li>"
            )
    hint = html.escape(install_hint("web"))
    return _DOCS_PLAIN.format(operations="\n".join(rows), hint=hint)


_DOCS_INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
    deepLinking: true, validatorUrl: null, presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"});
});
"""

_DOCS_SWAGGER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>symptomatic API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
</head><body>
<main id="swagger-ui"></main>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/docs-assets/init.js"></script>
</body></html>
"""

_DOCS_PLAIN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>symptomatic API</title></head><body><main>
<h1>symptomatic API</h1>
<p>The OpenAPI description of this service is at <a href="/openapi.json">/openapi.json</a>.
Endpoints live under <code>/v1</code>; see also <a href="/healthz">/healthz</a>.</p>
<h2>Operations</h2>
<ul>
{operations}
</ul>
<p>For the interactive page, install the web extra: <code>{hint}</code></p>
</main></body></html>
"""
