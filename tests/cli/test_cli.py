from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from symptomatic.cli import main
from tests.conftest import SHARED, requires_shared


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--age",
        "41",
        "--sex",
        "male",
        "--yes",
        "fever",
        "--yes",
        "cough",
        "--no",
        "sore-throat",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert {
        "differential",
        "triage",
        "findings",
        "not_understood",
        "something_else",
        "summary",
        "disclaimer",
    } <= data.keys()
    first = data["differential"][0]
    assert {"id", "name", "icd10", "probability"} <= first.keys()
    probs = [c["probability"] for c in data["differential"]]
    assert probs == sorted(probs, reverse=True)
    assert data["triage"]["level"] in {
        "emergency_ambulance",
        "emergency",
        "consultation_24",
        "consultation",
        "self_care",
    }
    statuses = {f["evidence"]: f["status"] for f in data["findings"]}
    assert statuses == {"fever": "present", "cough": "present", "sore-throat": "absent"}
    other = data["something_else"]
    assert set(other) == {"likely", "reason", "probability"}
    assert 0.0 <= other["probability"] <= 1.0 and other["likely"] is False


def test_check_categorical_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--yes",
        "pain-intensity=8",
        "--yes",
        "pain-location=upper-part-of-the-chest",
        "--json",
    )
    assert code == 0
    found = {(f["evidence"], f["value"]) for f in json.loads(out)["findings"]}
    assert (
        ("pain-intensity", "8") in found
        and ("pain-location", "upper-part-of-the-chest") in found
        and ("pain", None) in found
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--age", "130"], "age: must be a number of years from 0 to 120"),
        (["--yes", "feverr"], "did you mean 'fever'"),
        (["--yes", "fever", "--no", "fever"], "both present and absent"),
        (["--yes", "pain-intensity=eleven"], "whole number from 0 to 10"),
        (["--yes", "travel-abroad=Mars"], "not a value of travel-abroad"),
        (["--sex", "x"], "sex: must be male or female"),
        (["--no", "fever=1"], "takes an evidence without a value"),
    ],
)
def test_bad_input_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    code, out, err = run(capsys, "check", *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("symptomatic: error:")
    assert fragment in err


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--yes", "fever", "--yes", "cough")
    assert code == 0
    assert "Possible conditions" in out and "not a diagnosis" in out


def test_conditions_and_evidences(capsys: pytest.CaptureFixture[str]) -> None:
    from symptomatic import load_knowledge

    code, out, _ = run(capsys, "conditions", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == len(load_knowledge().conditions)
    assert all(r["icd10"] and r["care_level"] for r in rows)
    code, out, _ = run(capsys, "evidences", "--search", "cough", "--json")
    rows = json.loads(out)
    assert code == 0 and any(r["evidence"] == "cough" and "E_201" in r["codes"] for r in rows)
    assert all("cough" in (r["evidence"] + r["question"]).lower() for r in rows)


def test_listings_are_the_apis(capsys: pytest.CaptureFixture[str]) -> None:
    """``conditions`` and ``evidences --search`` give the rows /v1 gives, found the same way
    (a French word found from the English listing, a space for an id's hyphen)."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from symptomatic.api.app import create_app

    with TestClient(create_app()) as client:
        for lang in ("en", "fr"):
            _, out, _ = run(capsys, "conditions", "--lang", lang, "--json")
            assert json.loads(out) == client.get("/v1/conditions", params={"lang": lang}).json()
            for word in ("toux", "FEVER", "sore throat", "E_201", "  ", "zzzq"):
                _, out, _ = run(capsys, "evidences", "--search", word, "--lang", lang, "--json")
                api = client.get("/v1/evidences", params={"lang": lang, "search": word}).json()
                assert json.loads(out) == api, (lang, word)
        _, out, _ = run(capsys, "evidences", "--search", "toux", "--lang", "en", "--json")
        assert any(r["evidence"] == "cough" for r in json.loads(out))
        _, out, _ = run(capsys, "evidences", "--search", "sore throat", "--json")
        assert any(r["evidence"] == "sore-throat" for r in json.loads(out))


def test_listing_needs_no_web_extra() -> None:
    code = "import sys, symptomatic.api.listing; print('fastapi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and "knowledge base" in out and "CC-BY" in out


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate")
    assert code == 0 and "conditions" in out and "language data valid" in out


@requires_shared
def test_bench_full_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "bench",
        "ddxplus",
        str(SHARED / "ddxplus" / "release_validate_patients_sample.csv"),
        "--mode",
        "full",
        "--limit",
        "120",
        "--json",
    )
    assert code == 0 and err == ""
    data = json.loads(out)
    for key in ("n", "gtpa@1", "gtpa@3", "gtpa@5", "ddr", "ddp", "ddf1", "ece", "cases_per_second"):
        assert key in data
    assert data["n"] == 120 and data["gtpa@1"] >= 0.95


def test_bench_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "bench", "ddxplus", "/nonexistent.csv", "--json")
    assert code == 2 and "file not found" in err


def test_cli_as_process_has_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "symptomatic.cli", "check", "--yes", "nonsense-thing"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_python_dash_m_symptomatic() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "symptomatic", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and "knowledge base" in proc.stdout


def test_help_loads_nothing_and_commands_tune_the_process_first() -> None:
    """``--help`` ends before the package's types load; a command still sets one BLAS
    thread before numpy loads."""
    import os

    code = (
        "import sys; from symptomatic.cli import main\n"
        "try: main(['--help'])\n"
        "except SystemExit: pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('symptomatic'))))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ["symptomatic", "symptomatic.api", "symptomatic.api.settings", "symptomatic.cli"]
    assert proc.stderr == repr([*loaded, "symptomatic.cli.serve"])
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    code = (
        "import os, sys; from symptomatic.cli import main; "
        "main(['check','--yes','fever','--json']); "
        "sys.stderr.write(os.environ.get('OPENBLAS_NUM_THREADS', 'unset'))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert proc.stderr == "1"


def test_json_path_imports_no_web_framework_or_rich() -> None:
    code = (
        "import sys; from symptomatic.cli import main; "
        "main(['check','--yes','fever','--json']); "
        "bad=[m for m in ('fastapi','pandas','rich','pydantic','starlette') if m in sys.modules]; "
        "sys.stderr.write(repr(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr == "[]"


def test_text_with_markup_prints_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "my [/reverse] [bold]throat[/bold] hurts [red]")
    assert code == 0 and "not a diagnosis" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["serve", "--port", "99999"], "1 to 65535"),
        (["serve", "--port", "http"], "1 to 65535"),
        (["interview", "--max-questions", "-5"], "from 1 to 100"),
        (["serve", "--workers", "0"], "from 1 to 64"),
    ],
)
def test_bad_numbers_are_refused(
    capsys: pytest.CaptureFixture[str], args: list[str], fragment: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2 and fragment in capsys.readouterr().err


def _options(parser: argparse.ArgumentParser, command: str) -> list[tuple[object, ...]]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return [
        (
            tuple(a.option_strings),
            a.dest,
            a.default,
            list(a.choices) if isinstance(a.choices, dict) else a.choices,  # subcommands
            a.nargs,
            a.help,
        )
        for a in sub.choices[command]._actions
    ]


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--json"],
        ["--kb", "DIR", "conditions"],
        ["--kb=DIR", "evidences"],
        ["--version", "validate"],
        ["interview"],
        ["bench", "ddxplus", "x.csv"],
        ["serve"],
    ],
)
def test_one_command_parser_is_the_whole_parsers_command(argv: list[str]) -> None:
    """Only the named command's options are built at start; they are the same options, and
    every command is still listed."""
    from symptomatic.cli import COMMANDS, _command_of, _parser

    command = _command_of(argv)
    assert command in COMMANDS and command in argv
    whole, one = _parser(), _parser(command)
    assert _options(one, command) == _options(whole, command)
    assert one.format_help() == whole.format_help()
    assert vars(one.parse_args(argv)) == vars(whole.parse_args(argv))


def test_unclear_command_builds_the_whole_parser() -> None:
    from symptomatic.cli import _command_of

    assert _command_of([]) is None
    assert _command_of(["--kb"]) is None
    assert _command_of(["chek"]) is None
    assert _command_of(["-h"]) is None


@pytest.mark.parametrize(("argv", "disabled"), [(["validate"], True), (["interview", "-h"], False)])
def test_program_spares_the_collector_only_for_one_answer_commands(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    disabled: bool,
) -> None:
    """The ``symptomatic`` program (``run``) turns the garbage collector off for a command
    that answers once and exits, and always skips the last pass at exit; ``main`` called
    from other code leaves the collector alone."""
    import gc

    from symptomatic import cli

    calls: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: calls.append("disable"))
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(sys, "argv", ["symptomatic", *argv])
    try:
        code = cli.run()
    except SystemExit as exc:  # --help
        code = int(exc.code or 0)
    assert code == 0
    assert calls == (["disable", "freeze"] if disabled else ["freeze"])
    calls.clear()
    assert main(["validate"]) == 0
    assert calls == []
    capsys.readouterr()
