"""``claimstance infer`` in-process (``cli.main``), and once as the installed console script."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimstance.cli import main

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO / "configs" / "infer" / "default.yaml"


@pytest.fixture(autouse=True)
def _loaded(pipeline):
    """Load spaCy once for the session (``main`` builds its pipeline on the cached model)."""


def infer(*args) -> int:
    return main(["infer", *map(str, args)])


def test_bad_input(bad_case, write_input, tmp_path, capsys, contract):
    path = write_input("articles.jsonl", bad_case.content())
    out = tmp_path / "out" / "results.jsonl"  # the output folder is created
    expected = bad_case.expected()
    failed = sum(e.error is not None for e in expected)
    assert infer(path, "--output", out, *bad_case.overrides) == (3 if failed else 0)  # 3: some records failed
    records = contract.check_output(out.read_bytes(), bad_case.expected())
    assert records[-1]["statements"], "the batch must go on after a bad record"
    assert f"{len(expected)} records: {len(expected) - failed} ok, {failed} failed" in capsys.readouterr().err


def test_stdin_to_stdout_in_process(monkeypatch, capsysbinary, contract):
    E = contract.Expect
    data = b"".join(json.dumps(r).encode() + b"\n" for r in [
        {"id": "a", "text": contract.GOOD_A}, {"id": "e", "text": ""}, {"id": "b", "text": contract.GOOD_B}])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n" + b"{bad\n" + data)))
    assert infer("-", "-o", "-") == 3  # finished; some records are error records
    captured = capsysbinary.readouterr()
    contract.check_output(captured.out, [E("stdin:2", error="InvalidJSON"), contract.good("a", contract.GOOD_A),
                                         E("e", error="EmptyText"), contract.good("b", contract.GOOD_B)])
    assert b"4 records: 2 ok, 2 failed" in captured.err
    print("stdout still open")  # the CLI must not close the caller's stdout
    assert capsysbinary.readouterr().out == b"stdout still open\n"


@pytest.mark.slow  # starts the installed console script
def test_console_script_stdin_to_stdout(tmp_path, contract):
    """The installed ``claimstance`` script, every bad-input case at once, JSONL on stdin, results on stdout."""
    script = Path(sys.executable).parent / "claimstance"
    assert script.exists(), f"console script not installed at {script}"
    data, expected = b"", []
    for case in contract.BAD_CASES:
        if case.prefix:
            continue  # a byte-order mark only counts before the first line
        data += case.content()
        expected += [_restart_line_ids(e) for e in case.expected()]
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}  # the output must be UTF-8 regardless
    proc = subprocess.run([str(script), "infer", "-", "--output", "-", "max_chars=200000"], input=data,
                          capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 3, proc.stderr.decode(errors="replace")  # finished, with error records
    contract.check_output(proc.stdout, expected)
    assert f"{len(expected)} records:".encode() in proc.stderr


def _restart_line_ids(e):
    """Fallback ids hold the line number, which changes when cases are concatenated: accept any stdin line."""
    import dataclasses
    import re

    return dataclasses.replace(e, id=re.compile(r"stdin:\d+")) if isinstance(e.id, re.Pattern) else e


def test_txt_file(write_input, tmp_path, contract):
    path = write_input("kenya-railway.txt", contract.GOOD_B)
    out = tmp_path / "out.jsonl"
    assert infer(path, "-o", out) == 0
    contract.check_output(out.read_text("utf-8"), [contract.good("kenya-railway", contract.GOOD_B)])


def test_txt_file_with_invalid_utf8(write_input, tmp_path, contract):
    raw = b"\xfe" + contract.GOOD_A.encode() + b"\x80"
    out = tmp_path / "out.jsonl"
    assert infer(write_input("bytes.txt", raw), "-o", out) == 0
    text = raw.decode("utf-8", errors="replace")
    contract.check_output(out.read_text("utf-8"), [contract.Expect("bytes", text, warning="invalid UTF-8", min_statements=2)])


def test_directory_of_txt_files(write_input, tmp_path, contract):
    write_input("in/2.txt", contract.GOOD_B)
    write_input("in/1.txt", contract.GOOD_A)
    write_input("in/3.txt", b"")
    out = tmp_path / "out.jsonl"
    assert infer(tmp_path / "in", "-o", out) == 3  # one record (the empty file) failed
    contract.check_output(out.read_text("utf-8"), [contract.good("1", contract.GOOD_A), contract.good("2", contract.GOOD_B),
                                                   contract.Expect("3", error="EmptyText")])


def test_missing_input_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert infer(tmp_path / "nope.jsonl", "-o", out) == 2
    err = capsys.readouterr().err
    assert "claimstance: error:" in err and "input not found" in err and "nope.jsonl" in err
    assert not out.exists(), "no output file for an input that does not exist"


def test_output_onto_the_input_exits_2(write_input, tmp_path, capsys, monkeypatch, contract):
    path = write_input("in.jsonl", [{"id": "a", "text": contract.GOOD_A}])
    before = path.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert infer(path, "-o", "in.jsonl") == 2
    assert "is the input file" in capsys.readouterr().err
    assert path.read_bytes() == before, "the input must not be touched"


def test_empty_directory_exits_2(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    assert infer(tmp_path / "in", "-o", tmp_path / "out.jsonl") == 2
    assert "no .txt files" in capsys.readouterr().err


def test_unwritable_output_exits_2(write_input, tmp_path, capsys, contract):
    path = write_input("a.txt", contract.GOOD_A)
    blocker = write_input("file", "x")
    assert infer(path, "-o", blocker / "out.jsonl") == 2  # a folder where a file is
    assert "claimstance: error:" in capsys.readouterr().err


def test_overrides_after_options(write_input, tmp_path, contract):
    """``infer IN -o OUT key=value``: overrides may follow the options."""
    path = write_input("in.jsonl", [{"id": "long", "text": contract.GOOD_A}, {"id": "short", "text": "He said so."}])
    out = tmp_path / "out.jsonl"
    assert infer(path, "-o", out, "max_chars=100") == 3
    contract.check_output(out.read_text("utf-8"), [contract.Expect("long", error="TextTooLong"), contract.Expect("short", "He said so.")])


def test_overrides_before_options(write_input, tmp_path, contract):
    path = write_input("in.jsonl", [{"id": "long", "text": contract.GOOD_A}])
    out = tmp_path / "out.jsonl"
    assert main(["infer", str(path), "max_chars=100", "segment.min_quote_words=2", "-o", str(out)]) == 3
    contract.check_output(out.read_text("utf-8"), [contract.Expect("long", error="TextTooLong")])


def test_config_file(write_input, tmp_path, contract):
    config = write_input("small.yaml", f"base: {DEFAULT_CONFIG}\nmax_chars: 100\n")
    path = write_input("in.jsonl", [{"id": "long", "text": contract.GOOD_A}])
    out = tmp_path / "out.jsonl"
    assert infer(path, "-o", out, "--config", config) == 3
    contract.check_output(out.read_text("utf-8"), [contract.Expect("long", error="TextTooLong")])


@pytest.mark.parametrize("args, message", [
    (["bogus_key=1"], "config.bogus_key"),
    (["segment.min_quote_words=many"], "config.segment.min_quote_words"),
    (["batch_size=0"], "batch_size"),
    (["--config", "missing.yaml"], "config file not found"),
    (["--model", "models/nope"], "stance model folder not found"),
])
def test_config_errors_exit_2(args, message, write_input, tmp_path, capsys, monkeypatch, contract):
    monkeypatch.chdir(tmp_path)
    path = write_input("a.txt", contract.GOOD_A)
    out = tmp_path / "out.jsonl"
    assert infer(path, "-o", out, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("claimstance: error:") and message in err
    assert not out.exists()


def test_unknown_option_is_a_usage_error(write_input, tmp_path, capsys, contract):
    with pytest.raises(SystemExit) as exc:
        infer(write_input("a.txt", contract.GOOD_A), "-o", tmp_path / "o.jsonl", "--bogus")
    assert exc.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
