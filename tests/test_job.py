"""Batch jobs at scale: kill -9 and --resume, worker processes, the manifest, failures counted.

The jobs here run the rule segmenter without the stance stage (``segment.mode=rules
stance_model=null``): fast and free of float noise, so outputs can be compared byte for byte.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimstance.cli import main
from claimstance.config import InferConfig, load_config
from claimstance.errors import ClaimstanceError
from claimstance.infer.jobs.engine import JobOptions, run_job
from claimstance.infer.jobs.sinks import manifest_path, recover_output

FAST = ["segment.mode=rules", "stance_model=null"]
SCRIPT = Path(sys.executable).parent / "claimstance"


def _records(contract, n: int) -> list:
    out = []
    for i in range(n):
        text = (contract.GOOD_A if i % 2 else contract.GOOD_B).replace("Monday", f"day {i}").replace("Tuesday", f"day {i}")
        out.append({"id": f"doc-{i}", "text": text})
    if n > 7:
        out[7] = {"id": "empty", "text": ""}
    return out


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text("utf-8").splitlines()]


def test_recover_output_drops_a_partial_last_line(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_bytes(b'{"id": "a", "error": null}\n{"id": "b", "error": {"type": "X", "message": "m"}}\n{"id": "c", "sta')
    assert recover_output(out) == (2, 1)
    assert out.read_bytes().endswith(b"}\n") and out.read_bytes().count(b"\n") == 2
    assert recover_output(tmp_path / "missing.jsonl") == (0, 0)
    out.write_bytes(b"not json\n")
    with pytest.raises(ClaimstanceError, match="not a JSON record"):
        recover_output(out)


@pytest.mark.slow  # starts processes
def test_a_job_killed_with_sigkill_resumes_to_the_uninterrupted_output(write_input, tmp_path, contract):
    records = _records(contract, 400)
    path = write_input("in.jsonl", records)
    reference = tmp_path / "reference.jsonl"
    run_job(load_config(InferConfig, None, FAST), str(path), reference, JobOptions(chunk_size=4, progress=False))

    out = tmp_path / "out.jsonl"
    cmd = [str(SCRIPT), "infer", str(path), "-o", str(out), "--chunk-size", "4", "--no-progress", *FAST]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 60:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the job ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    written = out.read_bytes().count(b"\n")
    assert 60 <= written < len(records)
    with open(out, "ab") as f:  # as if the kill had come in the middle of a line
        f.write(b'{"id": "doc-999", "statements": [{"id"')
    manifest = json.loads(manifest_path(out).read_text())
    assert manifest["status"] == "running" and manifest["counts"]["records"] <= written

    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 3, resumed.stderr  # 3: finished, one record failed (the empty text)
    assert out.read_bytes() == reference.read_bytes()
    assert _ids(out) == [r["id"] for r in records]  # every id exactly once, in input order
    manifest = json.loads(manifest_path(out).read_text())
    assert manifest["status"] == "complete" and manifest["resumed_at_record"] == written
    assert manifest["counts"] == {"records": 400, "ok": 399, "failed": 1, "total_input": 400}
    assert "400 records: 399 ok, 1 failed" in resumed.stderr
    assert manifest["config"]["segment"]["mode"] == "rules" and manifest["commit"]


@pytest.mark.slow  # starts processes
def test_two_workers_write_what_one_process_writes(write_input, tmp_path, contract):
    path = write_input("in.jsonl", _records(contract, 40))
    config = load_config(InferConfig, None, FAST)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert run_job(config, str(path), one, JobOptions(chunk_size=3, progress=False))["records"] == 40
    counts = run_job(config, str(path), two, JobOptions(workers=2, chunk_size=3, progress=False))
    assert counts == {"records": 40, "ok": 39, "failed": 1, "total_input": 40}
    assert two.read_bytes() == one.read_bytes()
    assert json.loads(manifest_path(two).read_text())["workers"] == 2
    # the same engine writes to standard output: with workers too, the same bytes
    proc = subprocess.run([str(SCRIPT), "infer", str(path), "-o", "-", "--workers", "2", "--chunk-size", "3",
                           "--no-progress", *FAST], capture_output=True, timeout=300)
    assert proc.returncode == 3, proc.stderr.decode()[-2000:]  # one error record in the input
    assert proc.stdout == one.read_bytes()


def test_bad_records_become_error_records_and_the_exit_code_says_so(write_input, tmp_path, contract, monkeypatch, capsys):
    from claimstance.infer.pipeline import Pipeline

    marker = "EXPLODE-HERE"
    real = Pipeline._attribute

    def attribute(self, doc_and_candidates):
        if marker in doc_and_candidates[0].text:
            raise RuntimeError("stage exploded")
        return real(self, doc_and_candidates)

    monkeypatch.setattr(Pipeline, "_attribute", attribute)
    path = tmp_path / "in.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a", "text": contract.GOOD_A}) + "\n")
        f.write("{this is not json\n")
        f.write(json.dumps({"id": "huge", "text": "The minister said talks resume. " * 160_000}) + "\n")  # 5 MB
        f.write(json.dumps({"id": "boom", "text": f"The minister said {marker} happened."}) + "\n")
        f.write(json.dumps({"id": "b", "text": contract.GOOD_B}) + "\n")
    out = tmp_path / "out.jsonl"
    assert path.stat().st_size > 5_000_000
    assert main(["infer", str(path), "-o", str(out), "--no-progress", *FAST]) == 3
    recs = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a", "in.jsonl:2", "huge", "boom", "b"]
    assert [r["error"]["type"] if r["error"] else None for r in recs] == [None, "InvalidJSON", "TextTooLong", "StageError", None]
    assert recs[3]["error"]["message"] == "attribute: RuntimeError: stage exploded"
    assert recs[-1]["statements"]
    assert "5 records: 2 ok, 3 failed" in capsys.readouterr().err
    assert json.loads(manifest_path(out).read_text())["counts"]["failed"] == 3


def test_resume_refuses_an_output_it_did_not_write_and_stdout_jobs_refuse_resume(write_input, tmp_path, contract, capsys):
    path = write_input("in.jsonl", _records(contract, 3))
    out = tmp_path / "out.jsonl"
    out.write_text("a line from somewhere else\n")
    assert main(["infer", str(path), "-o", str(out), "--resume", "--no-progress", *FAST]) == 2
    assert out.read_text() == "a line from somewhere else\n"  # nothing lost
    assert main(["infer", str(path), "-o", "-", "--resume", *FAST]) == 2
    assert main(["infer", str(path), "-o", str(tmp_path / "x.jsonl"), "--workers", "0", *FAST]) == 2
    assert "claimstance: error:" in capsys.readouterr().err


@pytest.mark.slow  # starts processes
def test_the_ray_backend_writes_what_the_local_job_writes(write_input, tmp_path, contract):
    pytest.importorskip("ray", reason="Ray is an extra: pip install 'claimstance[ray]'")
    import ray

    records = _records(contract, 12) + [{"id": "no-text"}]
    records[0] = {**records[0], "date": "2024-05-01", "outlet": "Daily"}  # passed through as meta
    path = write_input("in.jsonl", records)
    with open(path, "a", encoding="utf-8") as f:
        f.write("{broken\n")
    config = load_config(InferConfig, None, FAST)
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    run_job(config, str(path), local, JobOptions(chunk_size=4, progress=False))
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        counts = run_job(config, str(path), distributed, JobOptions(workers=1, chunk_size=4, progress=False,
                                                                    backend="ray"))
    finally:
        ray.shutdown()
    assert distributed.read_bytes() == local.read_bytes()
    assert '"meta": {"date": "2024-05-01", "outlet": "Daily"}' in local.read_text()
    assert counts == {"records": 14, "ok": 11, "failed": 3, "total_input": 14}
    assert json.loads(manifest_path(distributed).read_text())["backend"] == "ray"


def test_resume_refuses_another_input_or_config(write_input, tmp_path, contract):
    path = write_input("in.jsonl", _records(contract, 3))
    other = write_input("other.jsonl", _records(contract, 4))
    out = tmp_path / "out.jsonl"
    assert main(["infer", str(path), "-o", str(out), "--no-progress", *FAST]) == 0
    before = out.read_bytes()
    assert main(["infer", str(other), "-o", str(out), "--resume", "--no-progress", *FAST]) == 2
    assert main(["infer", str(path), "-o", str(out), "--resume", "--no-progress", *FAST, "max_chars=50"]) == 2
    assert out.read_bytes() == before
    assert main(["infer", str(path), "-o", str(out), "--resume", "--no-progress", *FAST]) == 0  # same job: done
    assert out.read_bytes() == before


def test_a_named_pipe_input_is_read_once(tmp_path, contract):
    import threading

    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    lines = [json.dumps({"id": f"p{i}", "text": contract.GOOD_A}) + "\n" for i in range(3)]

    def feed():
        with open(fifo, "w", encoding="utf-8") as f:
            f.writelines(lines)

    writer = threading.Thread(target=feed)
    writer.start()
    out = tmp_path / "out.jsonl"
    counts = run_job(load_config(InferConfig, None, FAST), str(fifo), out, JobOptions(progress=False))
    writer.join(timeout=30)
    assert counts["records"] == 3 and _ids(out) == ["p0", "p1", "p2"]
    assert counts["total_input"] is None  # a pipe is not counted ahead (that would use it up)


def test_the_manifest_is_written_when_the_job_starts(tmp_path):
    """Before the first chunk: a manifest saying "running", never the last job's left in place."""
    from claimstance.infer.jobs.sinks import FileSink

    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "old", "error": null}\n')
    manifest_path(out).write_text(json.dumps({"status": "complete", "counts": {"records": 1}}))
    sink = FileSink(out)
    assert sink.start({"input": "in.jsonl", "config": {}}, total_input=7) == (0, 0)
    try:
        manifest = json.loads(manifest_path(out).read_text())
        assert manifest["status"] == "running" and manifest["counts"] == {"records": 0, "ok": 0, "failed": 0, "total_input": 7}
        assert out.read_text() == ""
    finally:
        sink.close()
