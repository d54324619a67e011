"""`symptomatic interview` with piped stdin."""

from __future__ import annotations

import io
import json

import pytest

from symptomatic.cli import main


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], stdin: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["interview", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_transcript_and_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = "\n".join(["cough"] + ["n"] * 40) + "\n"
    code, out, err = _run(
        monkeypatch,
        capsys,
        ["--age", "30", "--sex", "f", "--json", "--max-questions", "5"],
        answers,
    )
    assert code == 0
    data = json.loads(out)
    assert data["transcript"] and len(data["transcript"]) <= 5
    assert data["result"]["differential"]
    assert data["result"]["triage"]["level"]
    assert data["stop_reason"] in ("confident", "no_gain", "max_questions", "red_flag")
    assert "Question 1 of at most 5" in err  # prompts go to stderr with --json


def test_asks_age_and_sex_and_shows_result(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = "abc\n30\nx\nmale\nnot-a-symptom\nfever\nmaybe\nd\n" + "n\n" * 40
    code, out, _ = _run(monkeypatch, capsys, ["--max-questions", "3"], stdin)
    assert code == 0
    assert "How old are you" in out
    assert "Please type your age" in out
    assert "I did not recognise that" in out
    assert "did not understand that answer" in out
    assert "Question 1 of at most 3" in out
    assert "This is not a diagnosis" in out


def test_end_of_input_gives_the_result_so_far(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(monkeypatch, capsys, ["--age", "50", "--sex", "m", "--json"], "cough\ny\n")
    assert code == 0
    data = json.loads(out)
    assert len(data["transcript"]) == 1
    assert data["result"]["findings"]


def test_nothing_typed(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(monkeypatch, capsys, [], "")
    assert code == 0
    assert "nothing to show" in out


def test_ctrl_c_ends_cleanly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = iter(["cough\n", "n\n"])

    class Keyboard(io.StringIO):
        def readline(self, size: int | None = -1) -> str:
            try:
                return next(lines)
            except StopIteration:
                raise KeyboardInterrupt from None

    monkeypatch.setattr("sys.stdin", Keyboard())
    code = main(["interview", "--age", "40", "--sex", "f", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and len(data["transcript"]) == 1


def test_french_keys_and_numbers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = "toux\n" + "o\n?\n1\n5\n" * 10
    code, out, err = _run(
        monkeypatch, capsys, ["--age", "40", "--sex", "h", "--lang", "fr", "--json"], stdin
    )
    assert code == 0
    data = json.loads(out)
    assert data["result"]["lang"] == "fr"
    statuses = {t["status"] for t in data["transcript"]}
    assert "present" in statuses
    assert "Question 1 sur" in err


def test_back(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = "cough\nn\nb\ny\n"
    code, out, err = _run(monkeypatch, capsys, ["--age", "40", "--sex", "f", "--json"], stdin)
    assert code == 0
    data = json.loads(out)
    assert "Going back" in err
    assert data["transcript"][0]["status"] == "present"
