"""Batch jobs at scale: streaming, several worker processes, resumable after any kill, a manifest.

``claimstance infer INPUT -o OUT.jsonl [--workers N] [--resume]``

- **Streaming, constant memory.** Records are read lazily and handled in chunks of
  ``chunk_size``; at most ``2 x workers`` chunks are in flight, whatever the input's size. Inside a
  chunk the pipeline batches the parser, the tagger's windows and the stance queries across
  documents, each model's inputs sorted by length.
- **Order and losslessness.** Output lines are written in input order, one per input record (a
  result or an error record), a chunk at a time, each chunk flushed and fsync'ed before the
  manifest counts it.
- **Resume.** A job killed at any moment (even ``kill -9`` in the middle of a line) and started
  again with ``--resume`` drops the partial last line, counts the complete ones (the k-th output
  line is the k-th input record, so ids may repeat in the input) and goes on from the next record:
  every record ends in the output exactly once.
- **Manifest** (``OUT.jsonl.manifest.json``, replaced atomically after every chunk): input, output,
  config, command, code commit, versions, counts (records, ok, failed), workers, how many records
  an earlier run had written, status (``running`` / ``complete``).
- **Workers.** ``--workers N`` starts N processes (spawned, each loads the models once and uses
  ``torch_threads`` threads); the parent reads, hands out chunks and writes.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from claimstance.config import InferConfig, to_dict
from claimstance.errors import ClaimstanceError
from claimstance.infer.jobs.inputs import InputRecord, _json_line, analyse_records, read_inputs

__all__ = ["JobOptions", "run_job", "recover_output", "manifest_path", "count_records"]


@dataclass(frozen=True)
class JobOptions:
    workers: int = 1
    chunk_size: int = 32
    resume: bool = False
    progress: bool = True
    torch_threads: Optional[int] = None  # per worker; default: cores / workers

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"--workers must be at least 1, got {self.workers}")
        if self.chunk_size < 1:
            raise ValueError(f"chunk size must be at least 1, got {self.chunk_size}")


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


def count_records(input_path: str) -> Optional[int]:
    """How many records the input holds (for the progress bar), when it can be read twice: a
    regular file or a folder, never stdin or a pipe (that would use the stream up)."""
    if input_path == "-":
        return None
    path = Path(input_path)
    if path.is_dir():
        return sum(1 for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
    if not path.is_file():
        return None
    if path.suffix == ".txt":
        return 1
    with open(path, "rb") as f:
        return sum(1 for raw in f if raw.strip())


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    it = iter(records)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def process_chunk(pipeline, chunk: list[InputRecord]) -> tuple[list[str], list[bool]]:
    """Output lines for one chunk, in order, and which are error records (the same code runs in
    the parent, in a worker and in a Ray actor)."""
    results = analyse_records(pipeline, chunk)
    lines = [_json_line(r) for r in results]
    return lines, [r.error is not None or '"error": null' not in line for r, line in zip(results, lines)]


# ---------------------------------------------------------------- workers

_WORKER_PIPELINE = None


def _init_worker(config_dict: dict, threads: int) -> None:
    import torch

    from claimstance.config import from_dict
    from claimstance.infer.pipeline import Pipeline

    torch.set_num_threads(threads)
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline.from_config(from_dict(InferConfig, config_dict))


def _work(chunk: list[InputRecord]) -> tuple[list[str], int]:
    lines, failed = process_chunk(_WORKER_PIPELINE, chunk)
    return lines, sum(failed)


def _results(config: InferConfig, chunks: Iterator[list[InputRecord]], options: JobOptions,
             pipeline=None, backend: str = "local", address: Optional[str] = None) -> Iterator[tuple[list[str], int]]:
    if backend == "ray":
        from claimstance.infer.jobs.ray_backend import ray_results

        yield from ray_results(config, chunks, options, address)
        return
    if options.workers == 1:
        for chunk in chunks:
            lines, failed = process_chunk(pipeline, chunk)
            yield lines, sum(failed)
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn")  # no fork of a process holding torch threads
    with ctx.Pool(options.workers, initializer=_init_worker, initargs=(to_dict(config), threads_per_worker(options))) as pool:
        pending: deque = deque()  # at most 2 x workers chunks in flight, results taken in order
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 2 * options.workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def threads_per_worker(options: JobOptions) -> int:
    return options.torch_threads or max(1, (os.cpu_count() or 1) // options.workers)


# ---------------------------------------------------------------- the job


def _load(config: InferConfig, options: JobOptions, backend: str = "local"):
    """The pipeline of a one-process job; with workers or Ray, only check that the models exist
    (each worker loads its own)."""
    if options.workers > 1 or backend != "local":
        from claimstance.infer.stance.model import resolve_stance_model
        from claimstance.infer.tagger.model import resolve_tagger_model

        if config.stance_model is not None:
            resolve_stance_model(config.stance_model)
        if config.segment.mode != "rules":
            resolve_tagger_model(config.segment.tagger_model)
        if config.runtime != "torch":  # export the ONNX files once here, not in every worker
            from claimstance.infer.pipeline import load_stance_stage, load_tagger

            if config.stance_model is not None:
                load_stance_stage(config.stance_model, config.runtime)
            if config.segment.mode != "rules":
                load_tagger(config.segment.tagger_model, config.runtime)
        return None
    from claimstance.infer.pipeline import Pipeline

    if options.torch_threads:
        import torch

        torch.set_num_threads(options.torch_threads)
    return Pipeline.from_config(config)


def run_job(config: InferConfig, input_path: str, output: str | Path, options: JobOptions = JobOptions(),
            provenance: Optional[dict] = None, backend: str = "local", address: Optional[str] = None) -> dict:
    """Run (or resume) a job; returns the counts. ``output`` is a file path (not stdout);
    ``backend``: ``local`` (this machine's processes) or ``ray`` (:mod:`claimstance.infer.jobs.ray_backend`)."""
    from claimstance.provenance import provenance as base_provenance

    output = Path(output)
    records = read_inputs(input_path)  # a missing input fails here, before the output is touched
    pipeline = _load(config, options, backend)  # so does a missing model
    output.parent.mkdir(parents=True, exist_ok=True)
    if options.resume:
        _check_same_job(output, input_path, config, backend)
    done, failed = recover_output(output) if options.resume else (0, 0)
    if not options.resume:
        output.write_bytes(b"")
    total = count_records(input_path)
    manifest = {
        "input": str(input_path), "output": str(output), "config": to_dict(config),
        "backend": backend, "workers": options.workers, "chunk_size": options.chunk_size, "resumed_at_record": done,
        **base_provenance(**(provenance or {})), "status": "running",
        "counts": {"records": done, "ok": done - failed, "failed": failed, "total_input": total},
    }
    started = time.perf_counter()
    _write_manifest(output, manifest)
    bar = _progress(total, done, options.progress)
    with open(output, "a", encoding="utf-8") as out:
        chunks = _chunks(itertools.islice(records, done, None), options.chunk_size)
        for lines, n_failed in _results(config, chunks, options, pipeline, backend, address):
            out.write("".join(lines))
            out.flush()
            os.fsync(out.fileno())
            counts = manifest["counts"]
            counts["records"] += len(lines)
            counts["failed"] += n_failed
            counts["ok"] = counts["records"] - counts["failed"]
            _write_manifest(output, manifest)
            if bar is not None:
                bar.update(len(lines))
                bar.set_postfix(failed=counts["failed"], refresh=False)
    if bar is not None:
        bar.close()
    manifest["status"] = "complete"
    manifest["seconds_this_run"] = round(time.perf_counter() - started, 2)
    _write_manifest(output, manifest)
    return dict(manifest["counts"])


def _check_same_job(output: Path, input_path: str, config: InferConfig, backend: str) -> None:
    """``--resume`` goes on with the same input and config only (the manifest says what they were)."""
    path = manifest_path(output)
    if not path.is_file():
        return  # an output without a manifest: its lines are checked one by one
    old = json.loads(path.read_text("utf-8"))
    for what, before, now in (("input", old.get("input"), str(input_path)), ("config", old.get("config"), to_dict(config))):
        if before is not None and before != now:
            raise ClaimstanceError(f"--resume: the {what} differs from the one {output} was started with "
                                   f"(see {path.name}); start a new output instead")


def _progress(total: Optional[int], done: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=done, unit="doc", desc="infer", smoothing=0.1)


def _write_manifest(output: Path, manifest: dict) -> None:
    from datetime import datetime, timezone

    manifest["updated"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = manifest_path(output)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)
