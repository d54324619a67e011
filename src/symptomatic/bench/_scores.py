"""Precision, recall and F1 from counts, shared by the language benchmarks."""

from __future__ import annotations


def prf(
    precise: int, found: int, recalled: int, expected: int, *, places: int = 4
) -> dict[str, float]:
    """Precision ``precise/found``, recall ``recalled/expected`` and their F1, rounded.

    An empty denominator counts as perfect: nothing found is nothing wrong.
    """
    precision = precise / found if found else 1.0
    recall = recalled / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, places),
        "recall": round(recall, places),
        "f1": round(f1, places),
    }
