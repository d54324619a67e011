"""The five care levels, most urgent first (the contract in DESIGN.md)."""

from __future__ import annotations

from typing import Final, Literal

CareLevel = Literal[
    "emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"
]

CARE_LEVELS: Final[tuple[CareLevel, ...]] = (
    "emergency_ambulance",
    "emergency",
    "consultation_24",
    "consultation",
    "self_care",
)

#: Levels at which every answer also tells the person to call the local emergency number.
URGENT_LEVELS: Final[frozenset[str]] = frozenset({"emergency_ambulance", "emergency"})


def urgency(level: str) -> int:
    """0 for the most urgent level, 4 for self-care."""
    return CARE_LEVELS.index(level)  # type: ignore[arg-type,unused-ignore]


def most_urgent(levels: list[CareLevel]) -> CareLevel:
    """The most urgent of ``levels`` (which must not be empty)."""
    return min(levels, key=urgency)
