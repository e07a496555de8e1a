"""Where a job's output lines go: a file (resumable, with a manifest) or standard output.

**File.** Lines are appended a chunk at a time, flushed and fsync'ed before the manifest
(``OUT.jsonl.manifest.json``, replaced atomically after every chunk) counts them. With ``resume``,
a partial last line (a kill in the middle of a write) is cut off, the complete lines are counted
(the k-th output line is the k-th input record, so ids may repeat), and the job goes on from the
next record: every record ends up in the output exactly once. A complete line that is not a
claimstance record, or a manifest naming another input or config, makes ``--resume`` refuse.

**Standard output.** The same lines, in the same order; no manifest, nothing to resume.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Optional

from claimstance.errors import ClaimstanceError
from claimstance.infer.jobs.chunk import ChunkOutput
from claimstance.infer.jobs.jsonl import open_text_output

__all__ = ["FileSink", "StdoutSink", "manifest_path", "recover_output", "open_sink"]


def manifest_path(output: Path) -> Path:
    return output.with_name(output.name + ".manifest.json")


def recover_output(output: Path) -> tuple[int, int]:
    """Cut a partial last line off ``output``; (complete lines, of which error records)."""
    if not output.exists():
        return 0, 0
    with open(output, "rb+") as f:
        data_end = f.seek(0, os.SEEK_END)
        # find the last newline without reading a huge file whole
        pos, keep = data_end, 0
        while pos > 0:
            step = min(1 << 20, pos)
            f.seek(pos - step)
            block = f.read(step)
            i = block.rfind(b"\n")
            if i >= 0:
                keep = pos - step + i + 1
                break
            pos -= step
        if keep != data_end:
            f.truncate(keep)
    lines = failed = 0
    with open(output, "rb") as f:
        for raw in f:
            lines += 1
            try:
                failed += json.loads(raw).get("error") is not None
            except (ValueError, AttributeError):  # a complete line that is not our record: refuse to guess
                raise ClaimstanceError(f"{output}: line {lines} is not a JSON record; it was not written by "
                                       "claimstance infer, so --resume cannot continue it") from None
    return lines, failed


class FileSink:
    """A JSONL file beside its manifest; ``start`` says how many records an earlier run wrote."""

    counts_input = True  # the manifest and the progress bar show the input's size

    def __init__(self, path: str | Path, resume: bool = False):
        self.path = Path(path)
        self.resume = resume
        self.manifest: dict = {}
        self._out = None

    def start(self, job: dict, total_input: Optional[int]) -> tuple[int, int]:
        """Open the output (recovering it with ``resume``) and write the manifest; (records done, of which failed)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.resume:
            self._check_same_job(job)
            done, failed = recover_output(self.path)
        else:
            self.path.write_bytes(b"")
            done = failed = 0
        self.manifest = {**job, "output": str(self.path), "resumed_at_record": done, "status": "running"}
        self._write_manifest({"records": done, "ok": done - failed, "failed": failed, "total_input": total_input})
        self._out = open(self.path, "a", encoding="utf-8")
        return done, failed

    def write(self, chunk: ChunkOutput, counts: dict) -> None:
        self._out.write("".join(chunk.lines))
        self._out.flush()
        os.fsync(self._out.fileno())
        self._write_manifest(counts)

    def finish(self, counts: dict, seconds: float) -> None:
        self.manifest.update(status="complete", seconds_this_run=round(seconds, 2))
        self._write_manifest(counts)

    def close(self) -> None:
        if self._out is not None:
            self._out.close()

    def _check_same_job(self, job: dict) -> None:
        """``--resume`` goes on with the same input and config only (the manifest says what they were)."""
        path = manifest_path(self.path)
        if not path.is_file():
            return  # an output without a manifest: its lines are checked one by one
        old = json.loads(path.read_text("utf-8"))
        for what in ("input", "config"):
            if old.get(what) is not None and old.get(what) != job[what]:
                raise ClaimstanceError(f"--resume: the {what} differs from the one {self.path} was started with "
                                       f"(see {path.name}); start a new output instead")

    def _write_manifest(self, counts: dict) -> None:
        self.manifest["counts"] = dict(counts)
        self.manifest["updated"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = manifest_path(self.path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.manifest, indent=2, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)


class StdoutSink:
    """Standard output, as UTF-8 whatever the locale; left open for whoever called us."""

    counts_input = False  # no manifest: the input is read once, for its records

    def __init__(self):
        self._out: Optional[IO[str]] = None

    def start(self, job: dict, total_input: Optional[int]) -> tuple[int, int]:
        self._out = open_text_output("-")
        return 0, 0

    def write(self, chunk: ChunkOutput, counts: dict) -> None:
        self._out.write("".join(chunk.lines))
        self._out.flush()

    def finish(self, counts: dict, seconds: float) -> None:
        self._out.flush()

    def close(self) -> None:
        if self._out is not None:
            self._out.flush()
            self._out.detach()  # sys.stdout stays open
            self._out = None


def open_sink(output: str | Path, resume: bool = False):
    """``-``: standard output (nothing to resume); else a file."""
    if str(output) == "-":
        if resume:
            raise ClaimstanceError("--resume needs a file --output (a manifest goes beside it)")
        return StdoutSink()
    return FileSink(output, resume)
