"""The batch job engine: ``claimstance infer INPUT -o OUT.jsonl|- [--workers N] [--resume] [--backend ray]``.

One engine for every output and backend. Records are read lazily (:mod:`~claimstance.infer.jobs.inputs`)
and handed out in chunks of ``chunk_size``; each chunk becomes one output line per record, in input
order (:mod:`~claimstance.infer.jobs.chunk`), computed in this process, in worker processes
(:mod:`~claimstance.infer.jobs.workers`) or on Ray (:mod:`~claimstance.infer.jobs.ray_backend`),
and goes to a sink: a file with its manifest, resumable after any kill, or standard output
(:mod:`~claimstance.infer.jobs.sinks`). At most ``2 x workers`` chunks are in flight, so memory is
bounded by the chunk, not the input.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from claimstance.config import InferConfig, to_dict
from claimstance.infer.jobs.chunk import ChunkOutput, process_chunk
from claimstance.infer.jobs.inputs import InputRecord, count_records, read_inputs
from claimstance.infer.jobs.ray_backend import ray_results
from claimstance.infer.jobs.sinks import open_sink
from claimstance.infer.jobs.workers import pool_results, threads_per_worker
from claimstance.infer.pipeline import Pipeline
from claimstance.infer.stance.model import resolve_stance_model
from claimstance.infer.stance.stage import load_stance_stage
from claimstance.infer.tagger.model import load_tagger, resolve_tagger_model
from claimstance.provenance import provenance as base_provenance

__all__ = ["BACKENDS", "JobOptions", "run_job"]

BACKENDS = ("local", "ray")


@dataclass(frozen=True)
class JobOptions:
    workers: int = 1
    chunk_size: int = 32
    resume: bool = False
    progress: bool = True
    torch_threads: Optional[int] = None  # per worker; default: cores / workers
    backend: str = "local"  # local (this machine's processes) | ray
    address: Optional[str] = None  # the Ray cluster (default: $RAY_ADDRESS, else a local Ray)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"--workers must be at least 1, got {self.workers}")
        if self.chunk_size < 1:
            raise ValueError(f"chunk size must be at least 1, got {self.chunk_size}")
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {self.backend!r}")


def run_job(config: InferConfig, input_path: str, output: str | Path, options: JobOptions = JobOptions(),
            provenance: Optional[dict] = None, pipeline: Optional[Pipeline] = None) -> dict:
    """Run (or resume) a job into ``output`` (a path, or ``-`` for standard output); returns the counts.
    ``pipeline``: an already loaded pipeline for a one-process job (else one is loaded from ``config``)."""
    records = read_inputs(input_path)  # a missing input fails here, before the output is touched
    sink = open_sink(output, options.resume)
    if pipeline is None or options.workers > 1 or options.backend != "local":
        pipeline = _load(config, options)  # so does a missing model
    total = count_records(input_path) if sink.counts_input or options.progress else None
    job = {"input": str(input_path), "config": to_dict(config), "backend": options.backend,
           "workers": options.workers, "chunk_size": options.chunk_size, **base_provenance(**(provenance or {}))}
    started = time.perf_counter()
    done, failed = sink.start(job, total)
    counts = {"records": done, "ok": done - failed, "failed": failed, "total_input": total}
    bar = _progress(total, done, options.progress)
    try:
        chunks = _chunks(itertools.islice(records, done, None), options.chunk_size)
        for out in _results(config, chunks, options, pipeline):
            counts["records"] += len(out.lines)
            counts["failed"] += out.n_failed
            counts["ok"] = counts["records"] - counts["failed"]
            sink.write(out, counts)
            if bar is not None:
                bar.update(len(out.lines))
                bar.set_postfix(failed=counts["failed"], refresh=False)
        sink.finish(counts, time.perf_counter() - started)
    finally:
        sink.close()
        getattr(records, "close", lambda: None)()  # the input file, also when the job stops part way
        if bar is not None:
            bar.close()
    return counts


def _load(config: InferConfig, options: JobOptions):
    """The pipeline of a one-process job. With workers or Ray each worker loads its own: here the
    models are only found (a missing one fails now), and exported to ONNX once, not in every worker."""
    if options.workers > 1 or options.backend != "local":
        stance = config.stance_model is not None
        if stance:
            resolve_stance_model(config.stance_model)
        if config.segment.needs_tagger:
            resolve_tagger_model(config.segment.tagger_model)
        if config.runtime != "torch":
            if stance:
                load_stance_stage(config.stance_model, config.runtime)
            if config.segment.needs_tagger:
                load_tagger(config.segment.tagger_model, config.runtime)
        return None
    if options.torch_threads:
        import torch

        torch.set_num_threads(options.torch_threads)
    return Pipeline.from_config(config)


def _chunks(records: Iterable[InputRecord], size: int) -> Iterator[list[InputRecord]]:
    it = iter(records)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _results(config: InferConfig, chunks: Iterator[list[InputRecord]], options: JobOptions,
             pipeline) -> Iterator[ChunkOutput]:
    if options.backend == "ray":
        return ray_results(config, chunks, options, options.address)
    if options.workers == 1:
        return (process_chunk(pipeline, chunk) for chunk in chunks)
    return pool_results(config, chunks, options.workers, threads_per_worker(options.workers, options.torch_threads))


def _progress(total: Optional[int], done: int, enabled: bool):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=done, unit="doc", desc="infer", smoothing=0.1)
