"""The ``symptomatic`` command line.

Thin: every command calls the public Python API and adds nothing medical of its own; the
words it prints come from the language data (:func:`symptomatic.ui_words`). Imports are
lazy so that ``symptomatic check --json`` starts fast. Bad input prints one line
``symptomatic: error: ...`` and exits with code 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence

__all__ = ["main", "run"]

#: Commands that give one answer and exit (the garbage collector waits until then).
_ONE_ANSWER = frozenset({"check", "conditions", "evidences", "validate"})

EXIT_INPUT = 2
EXIT_KNOWLEDGE = 3


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to 65535 (got {text!r})"
        ) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535 (got {port})")
    return port


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high} (got {n})")
        return n

    return parse


def _command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names (after the global options), or None if it is not clear."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--kb":
            i += 2
        elif arg.startswith("--kb=") or arg == "--version":
            i += 1
        else:
            return arg if arg in COMMANDS else None
    return None


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``only``, the other commands are listed but their options
    are not built (they cost several milliseconds at every start)."""
    p = argparse.ArgumentParser(
        prog="symptomatic",
        description="Offline symptom checker and triage assistant. Not a diagnosis.",
    )
    p.add_argument("--version", action="store_true", help="print version and knowledge base")
    p.add_argument("--kb", metavar="DIR", help="use the knowledge base in DIR")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (text, add_options) in COMMANDS.items():
        if only is None or name == only:
            add_options(sub.add_parser(name, help=text))
        else:
            sub.add_parser(name, help=text, add_help=False)
    return p


def _add_check(c: argparse.ArgumentParser) -> None:
    c.add_argument("text", nargs="*", help="symptoms in your own words (English or French)")
    c.add_argument("--age", type=float, help="age in years (0-120)")
    c.add_argument("--sex", help="male or female (also M or F)")
    for flag, helptext in (
        ("--yes", "an evidence that is present (id or code, ID=VALUE for a choice); repeatable"),
        ("--no", "an evidence that is absent; repeatable"),
        ("--unknown", "asked, but the answer is not known; repeatable"),
    ):
        c.add_argument(flag, action="append", default=[], metavar="EVIDENCE", help=helptext)
    c.add_argument("--lang", choices=["en", "fr"], help="language of the text and the answer")
    c.add_argument("--json", action="store_true", help="print the JSON answer")
    c.add_argument(
        "--semantic",
        action="store_true",
        help="also read unrecognised phrases with the optional sentence model",
    )


def _add_conditions(lc: argparse.ArgumentParser) -> None:
    lc.add_argument("--lang", choices=["en", "fr"], default="en")
    lc.add_argument("--json", action="store_true")


def _add_evidences(le: argparse.ArgumentParser) -> None:
    le.add_argument("--search", metavar="WORD", help="only those whose id or wording has WORD")
    le.add_argument("--lang", choices=["en", "fr"], default="en")
    le.add_argument("--json", action="store_true")


def _add_nothing(_: argparse.ArgumentParser) -> None:
    pass


def _add_interview(iv: argparse.ArgumentParser) -> None:
    iv.add_argument("--age", type=float, help="age in years (0-120); asked if not given")
    iv.add_argument("--sex", help="male or female (also M or F); asked if not given")
    iv.add_argument("--lang", choices=["en", "fr"], default="en")
    iv.add_argument("--max-questions", type=_count(1, 100), default=30, metavar="N")
    iv.add_argument("--json", action="store_true", help="print the transcript and result as JSON")


def _add_bench(b: argparse.ArgumentParser) -> None:
    bsub = b.add_subparsers(dest="bench", metavar="BENCH")
    bw = bsub.add_parser("words", help="readability of every rendered answer")
    bw.add_argument("--json", action="store_true")
    bl = bsub.add_parser("language", help="how well everyday English and French are read")
    bl.add_argument("--patients", metavar="PATIENTS_CSV", help="DDXPlus CSV for end to end")
    bl.add_argument("--limit", type=_count(0, 10**7), default=300, help="patients (0: skip)")
    bl.add_argument("--json", action="store_true")
    bt = bsub.add_parser("triage", help="care levels on the blind triage set")
    bt.add_argument("--json", action="store_true")
    bs = bsub.add_parser("synthetic", help="patients sampled from the knowledge base itself")
    bs.add_argument("--per-condition", type=_count(1, 10_000), default=20)
    bs.add_argument("--seed", type=_count(0, 2**31 - 1), default=0)
    bs.add_argument("--json", action="store_true")
    bd = bsub.add_parser("ddxplus", help="run on patients in the DDXPlus CSV format")
    bd.add_argument("patients_csv", metavar="PATIENTS_CSV")
    bd.add_argument("--mode", choices=["full", "interactive"], default="full")
    bd.add_argument("--max-questions", type=_count(1, 300), default=30)
    bd.add_argument("--limit", type=_count(1, 10**8), help="only the first N patients")
    bd.add_argument("--json", action="store_true")


def _add_serve(sv: argparse.ArgumentParser) -> None:
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    sv.add_argument("--port", type=_port, default=8000)
    sv.add_argument("--workers", type=_count(1, 64), default=1, help="worker processes")
    sv.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow cross-origin calls from ORIGIN; repeatable (CORS is off by default)",
    )
    from symptomatic.cli.serve import add_arguments

    add_arguments(sv)


#: The commands in the order ``--help`` lists them: their one-line help and how their
#: options are added.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("differential and care level for one case", _add_check),
    "conditions": ("list the conditions the model knows", _add_conditions),
    "evidences": ("list or search the evidences (symptoms, history)", _add_evidences),
    "validate": ("validate the knowledge base and the language data", _add_nothing),
    "interview": ("answer a few questions, one at a time", _add_interview),
    "bench": ("benchmarks", _add_bench),
    "serve": ("run the HTTP service and web page (needs the web extra)", _add_serve),
}


def _fail(message: str, code: int = EXIT_INPUT) -> int:
    print(f"symptomatic: error: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser(_command_of(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)  # --help and a bad option end here, before any import
    from symptomatic import InputError, KnowledgeError, SymptomaticError, tune_process

    tune_process()  # before any command loads numpy
    try:
        if args.version:
            from symptomatic.cli.listing import cmd_version

            return cmd_version(args)
        if args.command is None:
            parser.print_help()
            return EXIT_INPUT
        if args.command == "check":
            from symptomatic.cli.check import cmd_check as handler
        elif args.command in ("conditions", "evidences", "validate"):
            from symptomatic.cli import listing

            handler = getattr(listing, f"cmd_{args.command}")
        elif args.command == "interview":
            from symptomatic.cli.interview import cmd_interview as handler
        elif args.command == "bench":
            from symptomatic.cli.bench import cmd_bench as handler
        else:
            from symptomatic.cli.serve import cmd_serve as handler
        code: int = handler(args)
        return code
    except InputError as exc:
        return _fail(str(exc))
    except KnowledgeError as exc:
        return _fail(f"knowledge base: {exc}", EXIT_KNOWLEDGE)
    except SymptomaticError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def run() -> int:
    """The ``symptomatic`` program: :func:`main` on the process's arguments, in a process
    that ends right after (so it can spare the garbage collector's work, which ``main``
    called from other code must not)."""
    if _command_of(sys.argv[1:]) in _ONE_ANSWER:
        # One answer, then exit: what is loaded lives until then, so looking for reference
        # cycles among it while it loads is wasted work.
        gc.disable()
    try:
        return main()
    finally:
        # Nothing loaded needs collecting at exit: skip the interpreter's last full pass.
        gc.freeze()
