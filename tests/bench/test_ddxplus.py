from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from symptomatic import InputError
from symptomatic.bench.ddxplus import (
    differential_metrics,
    expected_calibration_error,
    read_patients,
    top_k_accuracy,
)


def test_top_k() -> None:
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    truth = np.array([1, 2])
    assert top_k_accuracy(probs, truth, 1) == 0.5
    assert top_k_accuracy(probs, truth, 2) == 1.0


def test_differential_metrics_drop_small() -> None:
    probs = np.array([[0.6, 0.395, 0.005]])
    gt = [{0: 0.5, 2: 0.5}]
    m = differential_metrics(probs, gt)
    assert m["ddr"] == 0.5 and m["ddp"] == 0.5 and m["ddf1"] == 0.5


def test_ece_perfect_and_overconfident() -> None:
    assert expected_calibration_error(np.array([1.0, 1.0]), np.array([True, True])) == 0.0
    assert expected_calibration_error(
        np.array([0.9, 0.9]), np.array([False, False])
    ) == pytest.approx(0.9)


def test_reader_parses_official_format(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(
        "AGE,DIFFERENTIAL_DIAGNOSIS,SEX,PATHOLOGY,EVIDENCES,INITIAL_EVIDENCE\n"
        "21,\"[['URTI', 0.6], ['Influenza', 0.4]]\",F,URTI,"
        "\"['fever', 'pain-type_@_stabbing', 'pain-intensity_@_7']\",fever\n",
        encoding="utf-8",
    )
    (pt,) = list(read_patients(csv))
    assert pt.age == 21 and pt.pathology == "URTI"
    assert pt.answers() == {
        "fever": ["present"],
        "pain-type": ["stabbing"],
        "pain-intensity": ["7"],
    }
    assert pt.differential == (("URTI", 0.6), ("Influenza", 0.4))


def test_reader_rejects_bad_rows(tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("AGE,SEX,PATHOLOGY,EVIDENCES,INITIAL_EVIDENCE\nold,F,URTI,[],fever\n", "utf-8")
    with pytest.raises(InputError) as info:
        list(read_patients(csv))
    assert "row 2" in info.value.field
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(InputError) as info:
        list(read_patients(other))
    assert "missing DDXPlus columns" in info.value.rule
