"""Worker processes on one machine: ``claimstance infer ... --workers N``.

N processes are spawned (no fork of a process holding torch threads); each loads the models once
and uses ``torch_threads`` threads (default: cores / N). The parent reads the records, hands out
chunks and writes the lines: at most ``2 x workers`` chunks are in flight, and results are taken
in input order, so the output is the same as with one process.
"""

from __future__ import annotations

import os
from collections import deque
from typing import Iterator

from claimstance.config import InferConfig, from_dict, to_dict
from claimstance.infer.jobs.chunk import ChunkOutput, process_chunk
from claimstance.infer.jobs.inputs import InputRecord
from claimstance.infer.pipeline import Pipeline

__all__ = ["pool_results", "threads_per_worker"]

_WORKER_PIPELINE = None


def threads_per_worker(workers: int, torch_threads: int | None = None) -> int:
    return torch_threads or max(1, (os.cpu_count() or 1) // workers)


def _init_worker(config_dict: dict, threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline.from_config(from_dict(InferConfig, config_dict))


def _work(chunk: list[InputRecord]) -> ChunkOutput:
    return process_chunk(_WORKER_PIPELINE, chunk)


def pool_results(config: InferConfig, chunks: Iterator[list[InputRecord]], workers: int,
                 threads: int) -> Iterator[ChunkOutput]:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(to_dict(config), threads)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_work, (chunk,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
