"""The packaged phrase index: each language's tries, prebuilt, read a word at a time.

Building the tries of a language (:func:`symptomatic.language.text.match.build`) means
reading some 20,000 phrases into words: tens of milliseconds, on every start. The package
ships them prebuilt instead, in ``symptomatic/language/data/compiled/<lang>.index``,
written by ``tools/kb/build_language_index.py`` (never by hand). Decoding a whole prebuilt
trie costs about as much as building it (making the dicts dominates), so the file keeps,
for each trie, the sub-trie under each first word as its own encoded blob: a text decodes
only the sub-tries of the words it has (:class:`LazyRoot`).

The file: 8 bytes of magic (``SYMPIDX\n``) and the length of the blobs, the blobs, then
the head. Every blob and the head are :mod:`marshal` dumps, format version 2 (readable by
every Python 3; no shared references, so the bytes do not depend on the process that wrote
them). A blob is named in the head by its reference (offset << 24 | length) and decoded
from the file's bytes in place, when needed. The head is a dict:

* ``format``: :data:`FORMAT`; ``lang``;
* ``sources``: (file name, sha256) of each of the language's data files the index comes
  from (:data:`SOURCES`);
* ``vocabulary``: every word of those phrases (and the filler words), sorted;
* ``speller``: first letter -> the blob of the deletion index of the speller's words
  (:func:`~symptomatic.language.text.tokens.deletion_index`);
* ``entries``: the blob of each entry of ``lexicon.json``;
* ``tries``: trie name -> {first word -> the blob of its sub-trie}. In the main trie a
  lexicon entry is written as its position in ``entries``, and read back as a
  :class:`~symptomatic.language._resources.LexEntry` equal to the one
  :func:`~symptomatic.language._resources.load_language` gives.

:func:`load` trusts nothing: it checks the format and the sha256 of the data files the
package holds now (about half a millisecond for English: a choice, so that a package whose
data was edited without rebuilding the index still reads text correctly), and returns
``None`` when the index is missing, unreadable or was built from other data. The caller
then builds the tries in memory, as for any data not packaged: a stale index costs time,
never a wrong reading. ``symptomatic validate`` (:func:`problems`) reports it, and a test
compares the index with a fresh build (which also catches a change to the code that builds
the tries), so that it is rebuilt.
"""

from __future__ import annotations

import hashlib
import marshal
import struct
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from symptomatic.knowledge._io import Node
from symptomatic.language._resources import Implied, LexEntry, data_dir
from symptomatic.language.text.tokens import deletion_index, speller_words

__all__ = [
    "FORMAT",
    "SOURCES",
    "TRIES",
    "LazyRoot",
    "PackagedIndex",
    "encode",
    "index_dir",
    "load",
    "problems",
    "source_hashes",
]

FORMAT = 2
#: The files of ``data/<lang>/`` the tries and the vocabulary are made from.
SOURCES = ("context.json", "lexicon.json", "outside_terms.json", "red_flag_phrases.json")
#: The tries of :class:`~symptomatic.language.text.match.Compiled`, by name.
TRIES = ("main", "phrases", "cues", "triggers", "questions")
_MARSHAL_VERSION = 2
_MAGIC = b"SYMPIDX\n"
_PREFIX = struct.Struct("<8sQ")  # the magic, the length of the blobs that follow
_LENGTH_BITS = 24  # a blob's reference: its offset in the file, then its length
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1
_KNOWN_MAX = 50_000
_END = "\0"


def index_dir() -> Node:
    return data_dir() / "compiled"


def source_hashes(lang: str, directory: Node | None = None) -> tuple[tuple[str, str], ...]:
    """(file name, sha256) of ``lang``'s files the index is built from."""
    base = (data_dir() if directory is None else directory) / lang
    return tuple((name, hashlib.sha256((base / name).read_bytes()).hexdigest()) for name in SOURCES)


def _lex_refs(node: dict[str, Any], position: Mapping[int, int]) -> dict[str, Any]:
    """A copy of a trie with each lexicon entry written as its position."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == _END:
            out[key] = [
                (kind, position[id(payload)]) if kind == "lex" else (kind, payload)
                for kind, payload in value
            ]
        else:
            out[key] = _lex_refs(value, position)
    return out


def _entry_fields(e: LexEntry) -> tuple[Any, ...]:
    with_ = tuple((w.evidence, w.values) for w in e.with_)
    return (e.evidence, e.values, e.terms, e.needs, with_, e.family, e.family_mother)


def _entry(fields: tuple[Any, ...]) -> LexEntry:
    evidence, values, terms, needs, with_, family, family_mother = fields
    return LexEntry(
        evidence=evidence,
        values=values,
        terms=terms,
        needs=needs,
        with_=tuple(Implied(ev, vs) for ev, vs in with_),
        family=family,
        family_mother=family_mother,
    )


def encode(
    lang: str,
    tries: Mapping[str, dict[str, Any]],
    vocabulary: frozenset[str],
    entries: Sequence[LexEntry],
    sources: tuple[tuple[str, str], ...],
) -> bytes:
    """The index file of tries built in memory (see the module docstring)."""
    position = {id(e): i for i, e in enumerate(entries)}
    payload = bytearray()

    def put(value: Any) -> int:
        blob = marshal.dumps(value, _MARSHAL_VERSION)
        if len(blob) > _LENGTH_MASK:
            raise ValueError(f"a {lang} index blob of {len(blob)} bytes is too long")
        ref = ((_PREFIX.size + len(payload)) << _LENGTH_BITS) | len(blob)
        payload.extend(blob)
        return ref

    head = {
        "format": FORMAT,
        "lang": lang,
        "sources": sources,
        "vocabulary": tuple(sorted(vocabulary)),
        "entries": tuple(put(_entry_fields(e)) for e in entries),
        "speller": {
            letter: put(deletion_index(sorted(ws)))
            for letter, ws in sorted(speller_words(vocabulary).items())
        },
        "tries": {
            name: {word: put(_lex_refs(sub, position)) for word, sub in tries[name].items()}
            for name in TRIES
        },
    }
    prefix = _PREFIX.pack(_MAGIC, len(payload))
    return prefix + bytes(payload) + marshal.dumps(head, _MARSHAL_VERSION)


def _resolve(node: dict[str, Any], entry: Callable[[int], LexEntry]) -> dict[str, Any]:
    """Lexicon entries back in place of their positions (in place)."""
    for key, value in node.items():
        if key == _END:
            node[key] = [
                (kind, entry(payload)) if kind == "lex" else (kind, payload)
                for kind, payload in value
            ]
        else:
            _resolve(value, entry)
    return node


class LazyRoot(Mapping[str, Any]):
    """The root of a packaged trie: a sub-trie is decoded when its first word is read, and
    kept. :func:`~symptomatic.language.text.match.scan` reads ``known`` (first word -> its
    sub-trie, or ``None`` for a word that starts no phrase) and calls :meth:`load` for a
    word not in it yet."""

    __slots__ = ("_entry", "_file", "_refs", "known")

    def __init__(self, file: _File, refs: Mapping[str, int], entry: Callable[[int], LexEntry]):
        self._file = file
        self._refs = refs
        self._entry = entry
        self.known: dict[str, dict[str, Any] | None] = {}

    def load(self, word: str) -> dict[str, Any] | None:
        """``word``'s sub-trie (``None``: no phrase starts with it), decoded and kept."""
        ref = self._refs.get(word)
        node = None if ref is None else _resolve(self._file.value(ref), self._entry)
        # Words that start no phrase are kept too, up to a bound (a server reads any word).
        # Two threads may both decode a word: equal results, the last one kept.
        if node is not None or len(self.known) < _KNOWN_MAX:
            self.known[word] = node
        return node

    def __contains__(self, word: object) -> bool:
        return word in self._refs

    def __getitem__(self, word: str) -> dict[str, Any]:
        node = self.known.get(word)
        if node is None:
            node = self.load(word)
            if node is None:
                raise KeyError(word)
        return node

    def __iter__(self) -> Iterator[str]:
        return iter(self._refs)

    def __len__(self) -> int:
        return len(self._refs)


class _File:
    """An index file's bytes, and its head (the dict of the module docstring)."""

    __slots__ = ("_view", "head")

    def __init__(self, raw: bytes) -> None:
        magic, size = _PREFIX.unpack_from(raw)
        if magic != _MAGIC:
            raise ValueError("not a symptomatic phrase index")
        self._view = memoryview(raw)
        self.head: Any = marshal.loads(self._view[_PREFIX.size + size :])

    def value(self, ref: int) -> Any:
        """The value marshalled at ``ref`` (its offset and length)."""
        start = ref >> _LENGTH_BITS
        return marshal.loads(self._view[start : start + (ref & _LENGTH_MASK)])


class PackagedIndex:
    """A language's index as read from the package, its sources checked: the vocabulary,
    the tries (:class:`LazyRoot`) and the lexicon entries they name, each decoded once, when
    first matched (``lexicon.json`` itself is not read)."""

    __slots__ = ("_entries", "_file", "lang", "tries", "vocabulary")

    def __init__(self, file: _File) -> None:
        head = file.head
        self._file = file
        self.lang: str = head["lang"]
        self.vocabulary = frozenset(head["vocabulary"])
        refs: tuple[int, ...] = head["entries"]
        self._entries: list[LexEntry | None] = [None] * len(refs)

        def entry(i: int) -> LexEntry:
            found = self._entries[i]
            if found is None:
                found = self._entries[i] = _entry(file.value(refs[i]))
            return found

        self.tries = {name: LazyRoot(file, head["tries"][name], entry) for name in TRIES}

    def deletions(self, letter: str) -> dict[str, tuple[str, ...]]:
        """The speller's deletion index of the words starting with ``letter``."""
        ref = self._file.head["speller"].get(letter)
        if ref is None:
            return {}
        index: dict[str, tuple[str, ...]] = self._file.value(ref)
        return index


def _read(lang: str) -> _File | None:
    try:
        file = _File((index_dir() / f"{lang}.index").read_bytes())
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None
    head = file.head
    if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("lang") != lang:
        return None
    return file


def load(lang: str) -> PackagedIndex | None:
    """``lang``'s packaged index; ``None`` when it is missing, unreadable or stale."""
    file = _read(lang)
    if file is None:
        return None
    try:
        if tuple(file.head["sources"]) != source_hashes(lang):
            return None
        return PackagedIndex(file)
    except (OSError, KeyError, TypeError):
        return None


def problems(lang: str) -> list[str]:
    """What is wrong with ``lang``'s packaged index (empty when it is current)."""
    file = _read(lang)
    if file is None:
        return [f"missing or unreadable (format {FORMAT} expected)"]
    was = dict(file.head.get("sources", ()))
    return [
        f"built from another {name}"
        for name, digest in source_hashes(lang)
        if was.get(name) != digest
    ]
