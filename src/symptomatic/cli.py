"""The ``symptomatic`` command line.

Thin: every command calls the public Python API and adds nothing medical of its own.
Imports are lazy so that ``symptomatic check --json`` starts fast. Bad input prints one
line ``symptomatic: error: ...`` and exits with code 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from symptomatic._checker import Result
    from symptomatic.knowledge import KnowledgeBase

EXIT_INPUT = 2
EXIT_KNOWLEDGE = 3


def _parser() -> argparse.ArgumentParser:
    from symptomatic import __version__

    p = argparse.ArgumentParser(
        prog="symptomatic",
        description="Offline symptom checker and triage assistant. Not a diagnosis.",
    )
    p.add_argument("--version", action="store_true", help="print version and knowledge base")
    p.add_argument("--kb", metavar="DIR", help="use the knowledge base in DIR")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="differential and care level for one case")
    c.add_argument("text", nargs="*", help="symptoms in your own words (English or French)")
    c.add_argument("--age", type=float, help="age in years (0-120)")
    c.add_argument("--sex", help="male or female (also M or F)")
    c.add_argument(
        "--yes",
        action="append",
        default=[],
        metavar="EVIDENCE[=VALUE]",
        help="an evidence that is present, by code or short name; repeatable",
    )
    c.add_argument(
        "--no",
        action="append",
        default=[],
        metavar="EVIDENCE",
        help="an evidence that is absent; repeatable",
    )
    c.add_argument(
        "--unknown",
        action="append",
        default=[],
        metavar="EVIDENCE",
        help="asked, but the answer is not known; repeatable",
    )
    c.add_argument("--lang", choices=["en", "fr"], help="language of the text and the answer")
    c.add_argument("--json", action="store_true", help="print the JSON answer")
    c.add_argument(
        "--semantic",
        action="store_true",
        help="also read unrecognised phrases with the optional sentence model "
        "(symptomatic[semantic])",
    )

    lc = sub.add_parser("conditions", help="list the conditions the model knows")
    lc.add_argument("--lang", choices=["en", "fr"], default="en")
    lc.add_argument("--json", action="store_true")

    le = sub.add_parser("evidences", help="list or search the evidences (symptoms, history)")
    le.add_argument("--search", metavar="WORD", help="only those whose name or question has WORD")
    le.add_argument("--lang", choices=["en", "fr"], default="en")
    le.add_argument("--json", action="store_true")

    sub.add_parser("validate", help="validate the knowledge base against its schema")

    iv = sub.add_parser("interview", help="answer a few questions, one at a time")
    iv.add_argument("--age", type=float, help="age in years (0-120); asked if not given")
    iv.add_argument("--sex", help="male or female (also M or F); asked if not given")
    iv.add_argument("--lang", choices=["en", "fr"], default="en")
    iv.add_argument("--max-questions", type=int, default=30, metavar="N")
    iv.add_argument("--json", action="store_true", help="print the transcript and result as JSON")

    b = sub.add_parser("bench", help="benchmarks")
    bsub = b.add_subparsers(dest="bench", metavar="BENCH")
    bw = bsub.add_parser("words", help="readability of every rendered answer")
    bw.add_argument("--json", action="store_true")
    bl = bsub.add_parser("language", help="how well everyday English and French are read")
    bl.add_argument("--patients", metavar="PATIENTS_CSV", help="DDXPlus CSV for end to end")
    bl.add_argument("--limit", type=int, default=300, help="patients for end to end (0: skip)")
    bl.add_argument("--json", action="store_true")
    bd = bsub.add_parser("ddxplus", help="run on patients in the DDXPlus CSV format")
    bd.add_argument("patients_csv", metavar="PATIENTS_CSV")
    bd.add_argument("--mode", choices=["full", "interactive"], default="full")
    bd.add_argument("--max-questions", type=int, default=30)
    bd.add_argument("--limit", type=int, help="only the first N patients")
    bd.add_argument("--json", action="store_true")
    sv = sub.add_parser("serve", help="run the HTTP service and web page (needs the web extra)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=1, help="worker processes")
    sv.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow cross-origin calls from ORIGIN; repeatable (CORS is off by default)",
    )
    p.set_defaults(version_string=f"symptomatic {__version__}")
    return p


def _fail(message: str, code: int = EXIT_INPUT) -> int:
    print(f"symptomatic: error: {message}", file=sys.stderr)
    return code


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    from symptomatic.knowledge import load_knowledge

    return load_knowledge(args.kb)


def _findings(args: argparse.Namespace) -> list[Any]:
    from symptomatic._case import Finding

    out = []
    for status, items in (("present", args.yes), ("absent", args.no), ("unknown", args.unknown)):
        for item in items:
            name, sep, value = item.partition("=")
            if sep and status != "present":
                return _bad_value(item)
            out.append(Finding(name, status, value if sep else None))  # type: ignore[arg-type]
    return out


def _bad_value(item: str) -> list[Any]:
    from symptomatic._errors import InputError

    raise InputError("--no/--unknown", "takes an evidence without a value", item)


def cmd_check(args: argparse.Namespace) -> int:
    from symptomatic._checker import Checker

    checker = Checker(knowledge=_kb(args))
    text = " ".join(args.text) if args.text else None
    result = checker.check(
        age=args.age,
        sex=args.sex,
        findings=_findings(args),
        text=text,
        lang=args.lang,
        semantic=args.semantic,
    )
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        _print_result(result)
    return 0


_LEVEL_STYLE = {
    "emergency_ambulance": "bold white on red",
    "emergency": "bold white on red",
    "consultation_24": "bold black on yellow",
    "consultation": "bold black on cyan",
    "self_care": "bold black on green",
}


def _print_result(result: Result) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    from symptomatic.language.compose import phrases

    console = Console()
    level_name = phrases(result.lang)["level_name"][result.triage.level]
    console.print(Panel(level_name, style=_LEVEL_STYLE[result.triage.level], expand=False))
    if result.differential:
        table = Table(title="Possible conditions" if result.lang == "en" else "Problèmes possibles")
        table.add_column("#", justify="right")
        table.add_column("condition" if result.lang == "en" else "problème")
        table.add_column("ICD-10")
        table.add_column("chance", justify="right")
        table.add_column("for" if result.lang == "en" else "pour")
        table.add_column("against" if result.lang == "en" else "contre")
        for i, c in enumerate(result.differential, start=1):
            table.add_row(
                str(i),
                c.name,
                c.icd10,
                f"{100 * c.probability:.0f} %",
                ", ".join(r.label for r in c.reasons_for[:3]),
                ", ".join(r.label for r in c.reasons_against[:2]),
            )
        console.print(table)
    if result.not_understood:
        label = "Not understood" if result.lang == "en" else "Pas compris"
        console.print(f"[dim]{label}: " + "; ".join(s.text for s in result.not_understood) + "[/]")
    console.print(result.summary, markup=False, highlight=False)


def cmd_conditions(args: argparse.Namespace) -> int:
    kb = _kb(args)
    rows = [
        {
            "id": c.id,
            "name": c.name[args.lang],
            "icd10": c.icd10,
            "severity": c.severity,
            "care_level": c.care_level,
        }
        for c in kb.conditions
    ]
    rows.sort(key=lambda r: str(r["name"]))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} conditions")
    for col in ("id", "name", "icd10", "severity", "care_level"):
        table.add_column(col)
    for r in rows:
        table.add_row(*(str(r[k]) for k in ("id", "name", "icd10", "severity", "care_level")))
    Console().print(table)
    return 0


def cmd_evidences(args: argparse.Namespace) -> int:
    from symptomatic._case import _slug

    kb = _kb(args)
    word = _slug(args.search) if args.search else None
    rows = []
    for e in kb.evidences:
        t = e.text[args.lang]
        hay = _slug(" ".join([e.code, e.slug, t.question, t.present, e.text["en"].question]))
        if word and word not in hay:
            continue
        rows.append(
            {
                "code": e.code,
                "name": e.slug,
                "type": e.type,
                "parent": e.parent,
                "history": e.antecedent,
                "question": t.question,
                "values": []
                if e.scale
                else [{"value": v, "label": kb.value_labels[v][args.lang]} for v in e.values],
                "scale": e.scale,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} evidences")
    for col in ("code", "name", "type", "question"):
        table.add_column(col)
    for r in rows:
        kind = "0-10" if r["scale"] else str(r["type"])
        table.add_row(str(r["code"]), str(r["name"]), kind, str(r["question"]))
    Console().print(table)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from importlib import resources

    from symptomatic.knowledge import validate_knowledge

    where = args.kb or resources.files("symptomatic.knowledge") / "data"
    problems = validate_knowledge(where)
    for prob in problems:
        print(f"symptomatic: invalid: {prob}", file=sys.stderr)
    if problems:
        return EXIT_KNOWLEDGE
    kb = _kb(args)
    print(
        f"knowledge base valid: {len(kb.conditions)} conditions, {len(kb.evidences)} "
        f"evidences, {len(kb.red_flags)} red-flag rules, sha256 {kb.sha256[:16]}"
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.bench == "words":
        from symptomatic.bench.words import run_words

        _print_mapping(run_words(_kb(args)), as_json=args.json)
        return 0
    if args.bench == "language":
        from symptomatic.bench.language import run_language

        out = run_language(_kb(args), patients_csv=args.patients, limit=args.limit)
        _print_mapping(out, as_json=args.json)
        return 0
    if args.bench != "ddxplus":
        return _fail("bench: choose a benchmark: ddxplus")
    from symptomatic.bench.ddxplus import default_progress, run_full
    from symptomatic.engine import compile_model

    kb = _kb(args)
    model = compile_model(kb)
    progress = None if args.json else default_progress()
    if args.mode == "full":
        out = run_full(kb, model, args.patients_csv, limit=args.limit, progress=progress)
    else:
        from symptomatic.bench.interactive import run_interactive

        out = run_interactive(
            kb,
            args.patients_csv,
            max_questions=args.max_questions,
            limit=args.limit,
            progress=progress,
        )
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        for k, v in out.items():
            print(f"{k:>28}  {v}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        return _fail("serve needs the web extra: pip install 'symptomatic[web]'")
    if args.workers < 1:
        return _fail(f"--workers: must be at least 1 (got {args.workers})")
    os.environ["SYMPTOMATIC_CORS_ORIGINS"] = ",".join(args.cors_origin)
    if args.kb:
        os.environ["SYMPTOMATIC_KB"] = args.kb
    _kb(args)  # fail early, with one line, on a broken knowledge base
    uvicorn.run(
        "symptomatic.api.app:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # our own access log names paths only, never bodies or queries
        log_level="info",
    )
    return 0


def cmd_interview(args: argparse.Namespace) -> int:
    """Ask questions on stdin line by line; EOF or Ctrl-C ends with the result so far."""
    from symptomatic._case import check_age, check_sex
    from symptomatic._checker import Checker
    from symptomatic._errors import InputError
    from symptomatic.interview import Interview, interview_phrases

    words = interview_phrases(args.lang)
    say = words["cli"]
    out = sys.stderr if args.json else sys.stdout
    checker = Checker(knowledge=_kb(args))
    interview: Interview | None = None

    def ask(prompt: str) -> str:
        out.write(prompt)
        out.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.strip()

    try:
        out.write(say["intro"] + "\n")
        age, sex = args.age, args.sex
        check_age(age)
        check_sex(sex)
        while age is None:
            try:
                age = check_age(float(ask(say["age"]).replace(",", ".")))
            except (ValueError, InputError):
                out.write(say["age_invalid"] + "\n")
        while sex is None:
            try:
                sex = check_sex(ask(say["sex"]))
            except InputError:
                out.write(say["invalid"].format(error="male/female, m/f") + "\n")
        while interview is None:
            try:
                findings = _complaint(checker, ask(say["complaint"]), args.lang)
                interview = Interview(
                    checker,
                    age=age,
                    sex=sex,
                    findings=findings,
                    lang=args.lang,
                    max_questions=args.max_questions,
                )
            except InputError as exc:
                out.write(say["complaint_invalid"] + f" ({exc})\n")
        while (q := interview.next_question()) is not None:
            out.write("\n" + say["progress"].format(k=q.number, n=q.max_questions) + "\n")
            out.write(q.text + "\n" + say["why_label"] + q.why + "\n")
            out.write(_choices_text(q, say) + "\n" + say["why_key"] + "\n")
            while True:
                line = ask("> ")
                if line.lower() in ("b", "back", "r", "retour"):
                    try:
                        interview.back()
                        out.write(say["back"] + "\n")
                    except InputError:
                        out.write(say["nothing_back"] + "\n")
                    break
                try:
                    interview.answer(_cli_answer(q, line))
                    break
                except InputError as exc:
                    out.write(say["invalid"].format(error=exc) + "\n")
    except (EOFError, KeyboardInterrupt):
        out.write("\n" + say["stopped"] + "\n")
    if interview is None:
        out.write(say["no_result"] + "\n")
        return 0
    if args.json:
        data = {
            "stop_reason": interview.stop_reason,
            "questions_asked": interview.questions_asked,
            "transcript": interview.transcript,
            "result": interview.result().to_dict(),
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    else:
        if interview.stop_message:
            out.write("\n" + interview.stop_message + "\n")
        _print_result(interview.result())
    return 0


def _complaint(checker: Any, text: str, lang: str) -> list[Any]:
    """Findings from the first complaint: free text if the parser exists, else a name."""
    import importlib

    from symptomatic._case import Finding, _slug, resolve_evidence

    if not text:
        return []
    try:  # the free-text reader, when the language layer has it
        parse = importlib.import_module("symptomatic.language.parse").parse
    except (ImportError, AttributeError):
        parse = None
    if parse is not None:
        parsed = parse(checker.kb, text, lang=lang)
        if parsed.findings:
            return list(parsed.findings)
    name, sep, value = text.partition("=")
    wanted = _slug(name)
    for ev in checker.kb.evidences:  # the evidence's own short label, e.g. "toux"
        if ev.type == "binary" and wanted in (_slug(ev.text[lang].present), ev.slug):
            return [Finding(ev.code)]
    ev = resolve_evidence(checker.kb, name, field="complaint")
    return [Finding(ev.code, "present", value.strip() if sep else None)]


def _choices_text(q: Any, say: dict[str, Any]) -> str:
    if q.kind == "binary":
        return str(say["keys_binary"])
    if q.kind == "scale":
        ends = f"0 = {q.choices[0].label}, 10 = {q.choices[10].label}"
        return f"{say['keys_scale']} ({ends})"
    items = [f"{i}) {c.label}" for i, c in enumerate(q.choices[:-1], start=1)]
    keys = say["keys_multi"] if q.kind == "multi" else say["keys_choice"]
    sep = "\n" if len(items) <= 20 else "   "
    return sep.join(items) + "\n" + str(keys)


def _cli_answer(q: Any, line: str) -> Any:
    """Map choice numbers to values; everything else goes to Interview.answer as typed."""
    values = [c.value for c in q.choices[:-1]]
    if q.kind in ("categorical", "multi"):
        parts = [p.strip() for p in line.split(",") if p.strip()]
        if parts and all(p.isdigit() for p in parts):
            if parts == ["0"] and q.kind == "multi":
                return "none"
            picked = [values[int(p) - 1] for p in parts if 1 <= int(p) <= len(values)]
            if len(picked) == len(parts):
                return picked if q.kind == "multi" else picked[0] if len(picked) == 1 else line
    return line


def _print_mapping(out: Mapping[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(out, indent=1, ensure_ascii=False))
    else:
        for k, v in out.items():
            print(f"{k:>28}  {v}")


def main(argv: Sequence[str] | None = None) -> int:
    from symptomatic._errors import InputError, KnowledgeError, SymptomaticError

    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.version:
            kb = _kb(args)
            print(
                f"{args.version_string} (knowledge base {kb.version}, sha256 "
                f"{kb.sha256[:16]}; {kb.attribution})"
            )
            return 0
        handlers = {
            "check": cmd_check,
            "conditions": cmd_conditions,
            "evidences": cmd_evidences,
            "validate": cmd_validate,
            "bench": cmd_bench,
            "serve": cmd_serve,
            "interview": cmd_interview,
        }
        handler = handlers.get(args.command)
        if handler is None:
            parser.print_help()
            return EXIT_INPUT
        return handler(args)
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


if __name__ == "__main__":
    raise SystemExit(main())
