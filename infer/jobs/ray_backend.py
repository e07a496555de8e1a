"""The Ray Data backend of a batch job: ``claimstance infer IN -o OUT --backend ray [--workers N]``.

The driver reads the input as the local job does (same records, same error records for bad
lines) and hands it to Ray Data a window at a time: ``from_items`` -> ``map_batches`` with
:class:`ClaimstancePredictor` (the local job's own chunk code, in a pool of ``workers`` actors,
each loading the models once per window) -> rows back in input order (``preserve_order``). The
driver writes them exactly as the local job does, so the output, the manifest and ``--resume``
are the same: the single-machine path is the reference and a test checks the Ray output equals it
byte for byte.

On a cluster: ``ray start --head`` on one node, ``ray start --address=HEAD:6379`` on the others
(each with ``pip install 'claimstance[ray]'`` and the same models), then on the head node
``claimstance infer big.jsonl -o out.jsonl --backend ray --workers 32 --ray-address auto``.
Without an address (and no ``RAY_ADDRESS``) a local Ray starts on this machine.

Ray is an extra (``pip install 'claimstance[ray]'``); nothing else imports it.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import Iterator, Optional

from claimstance.config import InferConfig, from_dict, to_dict
from claimstance.errors import ClaimstanceError
from claimstance.infer.jobs.chunk import ChunkOutput, process_chunk
from claimstance.infer.jobs.inputs import InputRecord
from claimstance.infer.jobs.workers import threads_per_worker
from claimstance.infer.pipeline import Pipeline
from claimstance.records import ErrorInfo

__all__ = ["ClaimstancePredictor", "ray_results", "WINDOW"]

WINDOW = 20_000  # records per Ray dataset: bounds the driver's memory


def _row(n: int, r: InputRecord) -> dict:
    return {"n": n, "id": r.id, "text": r.text or "", "has_text": r.text is not None,
            "error_type": r.error.type.value if r.error else "", "error_message": r.error.message if r.error else "",
            "warnings": list(r.warnings), "meta": json.dumps(r.meta, ensure_ascii=False) if r.meta else ""}


def _record(row: dict) -> InputRecord:
    error = ErrorInfo(str(row["error_type"]), str(row["error_message"])) if row["error_type"] else None
    return InputRecord(str(row["id"]), str(row["text"]) if row["has_text"] else None, error,
                       tuple(str(w) for w in row["warnings"]), json.loads(row["meta"]) if row["meta"] else None)


class ClaimstancePredictor:
    """A Ray Data callable class: one pipeline per actor, a batch of input rows -> output lines."""

    def __init__(self, config: dict, threads: int = 1):
        import torch

        torch.set_num_threads(threads)
        self.pipeline = Pipeline.from_config(from_dict(InferConfig, config))

    def __call__(self, batch: dict) -> dict:
        keys = list(batch)
        rows = [{k: batch[k][i] for k in keys} for i in range(len(batch["n"]))]
        out = process_chunk(self.pipeline, [_record(r) for r in rows])
        return {"n": [int(r["n"]) for r in rows], "line": out.lines, "failed": out.failed}


def ray_results(config: InferConfig, chunks: Iterator[list[InputRecord]], options, address: Optional[str] = None,
                window: int = WINDOW) -> Iterator[ChunkOutput]:
    try:
        import ray
    except ImportError:
        raise ClaimstanceError("--backend ray needs Ray: pip install 'claimstance[ray]'") from None
    if not ray.is_initialized():
        address = address or os.environ.get("RAY_ADDRESS") or None
        ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                 **({} if address else {"num_cpus": max(options.workers, os.cpu_count() or 1)}))
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    threads = threads_per_worker(options.workers, options.torch_threads)
    records = (r for chunk in chunks for r in chunk)
    n = 0
    while window_records := list(itertools.islice(records, window)):
        ds = ray.data.from_items([_row(n + i, r) for i, r in enumerate(window_records)])
        n += len(window_records)
        out = ds.map_batches(ClaimstancePredictor, fn_constructor_kwargs={"config": to_dict(config), "threads": threads},
                             batch_size=options.chunk_size, concurrency=options.workers, num_cpus=threads,
                             batch_format="numpy")
        lines: list[str] = []
        failed: list[bool] = []
        expected = n - len(window_records)
        for batch in out.iter_batches(batch_size=options.chunk_size, batch_format="numpy"):
            for k, line, bad in zip(batch["n"], batch["line"], batch["failed"]):
                if int(k) != expected:  # preserve_order is what keeps the output in input order
                    raise ClaimstanceError(f"Ray returned record {int(k)} where {expected} was due")
                expected += 1
                lines.append(str(line))
                failed.append(bool(bad))
            if len(lines) >= options.chunk_size:
                yield ChunkOutput(lines, failed)
                lines, failed = [], []
        if lines:
            yield ChunkOutput(lines, failed)
