"""Non-API routes: the web page, its static files, ``/healthz`` and offline ``/docs``.

Everything is served from package files (importlib.resources); nothing from a CDN.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from symptomatic.api.errors import errors
from symptomatic.api.models import HealthOut

__all__ = ["router"]

router = APIRouter(include_in_schema=True)

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
_SWAGGER = ("swagger-ui.css", "swagger-ui-bundle.js")


@cache
def _static(name: str) -> bytes | None:
    if "/" in name or name.startswith(".") or not any(name.endswith(s) for s in _TYPES):
        return None
    node = resources.files("symptomatic.web") / "static" / name
    return node.read_bytes() if node.is_file() else None


@cache
def _swagger(name: str) -> bytes | None:
    if name not in _SWAGGER:
        return None
    try:
        import swagger_ui_bundle  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    from pathlib import Path

    path = Path(swagger_ui_bundle.swagger_ui_path) / name
    return path.read_bytes() if path.is_file() else None


def _file(body: bytes | None, name: str) -> Response:
    from fastapi import HTTPException

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
def docs() -> HTMLResponse:
    """Swagger UI from the swagger-ui-bundle package if installed, else a plain page."""
    if _swagger("swagger-ui-bundle.js") is not None:
        return HTMLResponse(_DOCS_SWAGGER)
    return HTMLResponse(_DOCS_PLAIN)


_DOCS_INIT = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
    deepLinking: true, validatorUrl: null, presets: [SwaggerUIBundle.presets.apis]});
});
"""

_DOCS_SWAGGER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>symptomatic API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
</head><body>
<div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/docs-assets/init.js"></script>
</body></html>
"""

_DOCS_PLAIN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>symptomatic API</title></head><body>
<h1>symptomatic API</h1>
<p>The OpenAPI description of this service is at <a href="/openapi.json">/openapi.json</a>.
Endpoints live under <code>/v1</code>; see also <a href="/healthz">/healthz</a>.</p>
</body></html>
"""
