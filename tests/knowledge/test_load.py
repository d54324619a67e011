"""Loading: the typed view, aliases, lazily read information, the compiled form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from symptomatic import KnowledgeBase, ModelIntegrityError, load_knowledge
from symptomatic.knowledge._compile import write_compiled
from symptomatic.knowledge._validate import validate_knowledge
from tests.conftest import TINY


def test_typed_view(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    assert isinstance(kb, KnowledgeBase)
    assert [c.id for c in kb.conditions] == ["clot", "cold", "flu"]
    where = kb.evidence_by_id["chest-pain-where"]
    assert where.kind == "multi" and where.parent == "chest-pain" and where.default == "nowhere"
    assert "location" in where.roles
    assert kb.evidence_alias["T_RUNNY_NOSE"] == "runny-nose"
    assert kb.value_alias["V_MIDDLE"] == "middle"
    assert kb.children("chest-pain") == (where,)
    assert kb.value_label("chest-pain-where", "middle", "fr") == "milieu"
    assert kb.attribution == "test fixture"


def test_information_is_read_on_first_use(tiny_kb_dir: Path) -> None:
    kb = load_knowledge(tiny_kb_dir)
    info = kb.info("flu", "fr")
    assert info is not None and info.what == "A test condition."
    assert kb.info("flu", "en") is kb.info("flu", "en")


def test_loaded_once_per_directory(tiny_kb_dir: Path) -> None:
    assert load_knowledge(tiny_kb_dir) is load_knowledge(tiny_kb_dir)


def test_compiled_form_loads_the_same_arrays(tiny_kb_dir: Path, tmp_path: Path) -> None:
    plain = load_knowledge(tiny_kb_dir)
    other = tmp_path / "compiled_copy"
    shutil.copytree(tiny_kb_dir, other)
    write_compiled(other)
    compiled = load_knowledge(other)
    assert isinstance(compiled.arrays.likelihood, np.memmap)
    np.testing.assert_array_equal(plain.arrays.likelihood, compiled.arrays.likelihood)
    np.testing.assert_array_equal(plain.arrays.shows, compiled.arrays.shows)
    assert plain.sha256 == compiled.sha256
    assert [c.id for c in compiled.conditions] == [c.id for c in plain.conditions]


def test_changed_compiled_file_is_refused(tiny_kb_dir: Path) -> None:
    write_compiled(tiny_kb_dir)
    path = tiny_kb_dir / "compiled" / "likelihood.npy"
    arr = np.load(path)
    arr[0, 0] = 1.5
    np.save(path, arr)
    with pytest.raises(ModelIntegrityError, match="does not match"):
        load_knowledge(tiny_kb_dir, validate=False)


def test_stale_compiled_form_is_reported(tiny_kb_dir: Path) -> None:
    write_compiled(tiny_kb_dir)
    node = tiny_kb_dir / "conditions" / "cold.json"
    doc = json.loads(node.read_text(encoding="utf-8"))
    doc["prior"]["p"] = 0.5
    node.write_text(json.dumps(doc), encoding="utf-8")
    assert any(
        "compiled form was made from other files" in str(p) for p in validate_knowledge(tiny_kb_dir)
    )


def test_unknown_directory() -> None:
    from symptomatic import KnowledgeError

    with pytest.raises(KnowledgeError, match="not a directory"):
        load_knowledge(TINY / "nowhere")
