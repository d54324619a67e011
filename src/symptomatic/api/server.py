"""Run the service: uvicorn with the app factory, settings from ``symptomatic serve``."""

from __future__ import annotations

__all__ = ["run"]


def run(*, host: str, port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        "symptomatic.api.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # our own access log names paths only, never bodies or queries
        log_level="info",
    )
