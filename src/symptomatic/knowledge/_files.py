"""The files of a knowledge base directory, and its identity (sha256)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from symptomatic._errors import KnowledgeError
from symptomatic.knowledge._io import Node, package_dir, read_bytes

__all__ = ["HASHED_FILES", "kb_digest", "list_conditions", "packaged_dir"]

#: Hand-written or calibrated files read beside the compiled arrays (and hashed with them).
HASHED_FILES = ("red_flags.json", "triage_policy.json", "calibration.json", "sources.json")


def packaged_dir() -> Node:
    """The packaged knowledge base directory."""
    return package_dir("symptomatic.knowledge", "data")


def list_conditions(directory: Node) -> list[str]:
    """Condition ids of a directory (its ``conditions/*.json``), sorted."""
    folder = directory / "conditions"
    if not folder.is_dir():
        raise KnowledgeError("conditions/", "$", "folder is missing")
    return sorted(n.name[:-5] for n in folder.iterdir() if n.name.endswith(".json"))


def kb_digest(directory: Node, condition_ids: Sequence[str]) -> str:
    """sha256 over the knowledge files (names and bytes): the knowledge base's identity."""
    digest = hashlib.sha256()
    names = ["vocabulary.json", *HASHED_FILES] + [f"conditions/{c}.json" for c in condition_ids]
    for name in names:
        node = directory
        for part in name.split("/"):
            node = node / part
        if name == "calibration.json" and not node.is_file():
            continue
        digest.update(name.encode() + b"\0" + read_bytes(directory, name))
    return digest.hexdigest()
