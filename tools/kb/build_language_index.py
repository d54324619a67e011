"""Build the packaged phrase index of each language (``symptomatic/language/data/compiled``).

Usage::

    python tools/kb/build_language_index.py          # write <lang>.index for every language
    python tools/kb/build_language_index.py --check  # fail if they are not what a build gives

Run it after any change to a language's ``lexicon.json``, ``context.json``,
``outside_terms.json`` or ``red_flag_phrases.json`` (``symptomatic validate`` says when),
or to how the tries are built (``symptomatic.language.text.match``: the tests compare the
index with tries built in memory). ``tools/kb/build.py`` runs it too. The format and why it
exists: :mod:`symptomatic.language.text.index`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from symptomatic._types import LANGS  # noqa: E402
from symptomatic.language import _resources  # noqa: E402
from symptomatic.language.text import index  # noqa: E402
from symptomatic.language.text.match import build_tries  # noqa: E402

OUT = ROOT / "src" / "symptomatic" / "language" / "data" / "compiled"
README = """\
# Generated: do not edit

`<lang>.index` is each language's phrase index (its tries, prebuilt), written by
`tools/kb/build_language_index.py` from the files of `../<lang>/` whose sha256 it records
(`{sources}`). The format: `symptomatic.language.text.index`. When the data changes, run
the script again; until then the index is not used (the tries are built at run time) and
`symptomatic validate` reports it.
"""


def index_bytes(lang: str) -> bytes:
    """``lang``'s index, as a build from the package's data gives it."""
    data = _resources.build(lang)
    tries, vocabulary = build_tries(data)
    return index.encode(lang, tries, vocabulary, data.lexicon.entries, index.source_hashes(lang))


def outputs() -> dict[str, bytes]:
    files = {f"{lang}.index": index_bytes(lang) for lang in LANGS}
    files["README.md"] = README.format(sources=", ".join(index.SOURCES)).encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the index is stale")
    args = parser.parse_args(argv)
    files = outputs()
    if args.check:
        stale = [
            n for n, b in files.items() if not (OUT / n).is_file() or (OUT / n).read_bytes() != b
        ]
        for name in stale:
            print(f"{OUT / name} is stale: run {Path(__file__).name}", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (OUT / name).write_bytes(content)
    sizes = ", ".join(f"{n} {len(b) // 1024} KiB" for n, b in files.items() if n != "README.md")
    print(f"wrote {OUT} ({sizes})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
