from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from symptomatic import load_knowledge
from symptomatic.engine import CompiledModel, compile_model
from tests.conftest import TINY


@pytest.fixture(scope="module")
def model() -> CompiledModel:
    return compile_model(load_knowledge(TINY))


@pytest.fixture(scope="module")
def open_model(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The tiny base with an open-world hypothesis ("something else")."""
    target = tmp_path_factory.mktemp("open") / "kb"
    shutil.copytree(TINY, target)
    cal: dict[str, Any] = {"generated": "test", "temperature": 1.0, "other_prior": 0.2}
    (target / "calibration.json").write_text(json.dumps(cal), encoding="utf-8")
    return compile_model(load_knowledge(target))


def by_id(model: CompiledModel, probs: Any) -> dict[str, float]:
    return {c: float(p) for c, p in zip(model.condition_ids, probs, strict=False)}


def tiny_dir() -> Path:
    return TINY
