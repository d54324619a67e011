"""Shared fixtures: a tiny knowledge base written to a temporary directory."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "ddxplus"

TINY: dict[str, Any] = {
    "ddxplus_model.json": {
        "generated": "test fixture",
        "source": {"attribution": "test fixture"},
        "floor": 1e-7,
        "conditions": [
            {
                "source_name": "Cold",
                "icd10": "J06.9",
                "severity": 5,
                "prior": 0.6,
                "train_count": 60,
                "evidences": ["E_1", "E_2"],
            },
            {
                "source_name": "Flu",
                "icd10": "J11.1",
                "severity": 3,
                "prior": 0.3,
                "train_count": 30,
                "evidences": ["E_1", "E_2", "E_3", "E_4"],
            },
            {
                "source_name": "Clot",
                "icd10": "I26",
                "severity": 1,
                "prior": 0.1,
                "train_count": 10,
                "evidences": ["E_3", "E_4", "E_5"],
            },
        ],
        "evidences": [
            {
                "code": "E_1",
                "type": "binary",
                "parent": None,
                "antecedent": False,
                "values": [],
                "default": None,
                "scale": False,
            },
            {
                "code": "E_2",
                "type": "binary",
                "parent": None,
                "antecedent": False,
                "values": [],
                "default": None,
                "scale": False,
            },
            {
                "code": "E_3",
                "type": "binary",
                "parent": None,
                "antecedent": False,
                "values": [],
                "default": None,
                "scale": False,
            },
            {
                "code": "E_4",
                "type": "multi",
                "parent": "E_3",
                "antecedent": False,
                "values": ["V_0", "V_1", "V_2"],
                "default": "V_0",
                "scale": False,
            },
            {
                "code": "E_5",
                "type": "binary",
                "parent": None,
                "antecedent": True,
                "values": [],
                "default": None,
                "scale": False,
            },
        ],
        "likelihood": {
            "E_1": [0.9, 0.8, 1e-7],
            "E_2": [0.7, 0.3, 1e-7],
            "E_3": [1e-7, 0.2, 0.9],
            "E_4": [[1e-7, 1e-7, 1e-7], [0.1, 0.8, 0.1], [0.1, 0.2, 0.7]],
            "E_5": [1e-7, 1e-7, 0.5],
        },
        "age_model": None,
        "sex_model": None,
        "sex_model_reason": "test fixture",
    },
    "conditions.json": {
        "about": "test fixture",
        "conditions": [
            {
                "id": "cold",
                "source_name": "Cold",
                "name": {"en": "Cold", "fr": "Rhume"},
                "care_level": "self_care",
            },
            {
                "id": "flu",
                "source_name": "Flu",
                "name": {"en": "Flu", "fr": "Grippe"},
                "care_level": "self_care",
            },
            {
                "id": "clot",
                "source_name": "Clot",
                "name": {"en": "Clot", "fr": "Caillot"},
                "care_level": "emergency_ambulance",
            },
        ],
    },
    "evidence_text.json": {
        "about": "test fixture",
        "evidences": {
            code: {
                "slug": slug,
                "en": {"question": f"{slug}?", "present": slug, "absent": f"no {slug}"},
                "fr": {"question": f"{slug} ?", "present": slug, "absent": f"pas de {slug}"},
            }
            for code, slug in [
                ("E_1", "runny-nose"),
                ("E_2", "sneezing"),
                ("E_3", "chest-pain"),
                ("E_4", "chest-pain-where"),
                ("E_5", "recent-surgery"),
            ]
        },
        "values": {
            "V_0": {"en": "nowhere", "fr": "nulle part"},
            "V_1": {"en": "left side", "fr": "côté gauche"},
            "V_2": {"en": "middle", "fr": "milieu"},
        },
    },
    "red_flags.json": {
        "about": "test fixture",
        "policy": {
            "severe_plausible": {"1": 0.05, "2": 0.1},
            "leading_min_probability": 0.2,
            "outside_knowledge_level": "consultation",
            "no_symptoms_level": "consultation",
        },
        "rules": [
            {
                "id": "chest-pain-middle",
                "level": "emergency",
                "all_of": [{"evidence": "E_4", "values": ["V_2"]}],
                "reason": {"en": "Central chest pain.", "fr": "Douleur au milieu."},
                "source": "test fixture",
            },
        ],
    },
}


def write_kb(directory: Path, docs: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (directory / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.fixture
def tiny_docs() -> dict[str, Any]:
    return copy.deepcopy(TINY)


@pytest.fixture
def tiny_kb_dir(tmp_path: Path) -> Path:
    return write_kb(tmp_path / "tiny", copy.deepcopy(TINY))


@pytest.fixture
def make_kb_dir(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    counter = iter(range(10_000))

    def make(docs: dict[str, Any]) -> Path:
        return write_kb(tmp_path / f"kb{next(counter)}", docs)

    return make


requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="needs ../shared/data/ddxplus beside the checkout"
)
