"""The HTTP service (FastAPI; install the ``web`` extra): ``create_app`` builds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]

if TYPE_CHECKING:
    from symptomatic.api.app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from symptomatic.api.app import create_app

        return create_app
    raise AttributeError(name)
