"""``symptomatic interview``: questions on standard input, one at a time, then the answer.

Everyday answers are understood in both languages ("yeah", "nope", "not sure", "ouais",
"je ne sais pas"); "back" goes to the previous question and "stop" ends with the answer so
far, as end of input or Ctrl-C does.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from symptomatic.cli._output import print_result, write_json


def cmd_interview(args: argparse.Namespace) -> int:
    from symptomatic import Checker, InputError, Interview, ui_words

    answer_meaning = Interview.understand

    say = ui_words(args.lang)["cli"]
    out = sys.stderr if args.json else sys.stdout
    checker = Checker(knowledge=args.kb)
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
        checker.case(age=age, sex=sex)  # a bad --age or --sex fails here, with one line
        while age is None:
            try:
                age = float(ask(say["age"]).replace(",", "."))
                checker.case(age=age)
            except (ValueError, InputError):
                age = None
                out.write(say["age_invalid"] + "\n")
        while sex is None:
            try:
                sex = ask(say["sex"])
                checker.case(sex=sex)
            except InputError:
                sex = None
                out.write(say["invalid"].format(error="male/female, m/f") + "\n")
        while interview is None:
            text = ask(say["complaint"])
            if answer_meaning(text, args.lang) == "stop":
                raise EOFError
            try:
                candidate = Interview(
                    checker,
                    age=age,
                    sex=sex,
                    text=text,
                    lang=args.lang,
                    max_questions=args.max_questions,
                )
            except InputError as exc:
                out.write(say["complaint_invalid"] + f" ({exc})\n")
                continue
            if not candidate.case().findings:
                out.write(say["complaint_invalid"] + "\n")
                continue
            interview = candidate
        while (q := interview.next_question()) is not None:
            out.write("\n" + say["progress"].format(k=q.number, n=q.number + q.remaining) + "\n")
            out.write(q.text + "\n" + say["why_label"] + q.why + "\n")
            out.write(_choices_text(q, say) + "\n" + say["why_key"] + "\n")
            while True:
                line = ask("> ")
                meaning = answer_meaning(line, args.lang)
                if meaning == "back":
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
        if interview is not None:
            interview.stop()
    if interview is None:
        out.write(say["no_result"] + "\n")
        return 0
    if args.json:
        write_json(
            {
                "stop_reason": interview.stop_reason,
                "questions_asked": interview.questions_asked,
                "transcript": interview.transcript,
                "result": interview.result().to_dict(),
            }
        )
    else:
        if interview.stop_message:
            out.write("\n" + interview.stop_message + "\n")
        print_result(interview.result())
    return 0


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
