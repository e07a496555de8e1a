"""One chunk of input records -> one output line each, in order: the code the parent, a worker process
and a Ray actor all run.

Records that failed on input become error records; the rest go through the pipeline, which batches
them; if the pipeline itself breaks (or loses a record), the records go through it one by one, so
only the culprit gets an error record (:mod:`claimstance.infer.isolate`). Each line says whether it
is an error record: a typed flag, never a search of the serialised text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from claimstance.errors import ErrorType
from claimstance.infer.isolate import failed, map_isolated
from claimstance.infer.jobs.inputs import InputRecord
from claimstance.infer.jobs.jsonl import no_surrogates
from claimstance.records import DocumentResult, ErrorInfo

__all__ = ["ChunkOutput", "analyse_records", "output_line", "process_chunk"]


@dataclass(frozen=True)
class ChunkOutput:
    """The output lines of one chunk, in input order, and which of them are error records."""

    lines: list[str]
    failed: list[bool]

    @property
    def n_failed(self) -> int:
        return sum(self.failed)


def analyse_records(pipeline, chunk: list[InputRecord]) -> list[DocumentResult]:
    """One result per record, in order: input errors as error records, the rest through ``pipeline.pipe``."""
    valid = [r for r in chunk if r.error is None]
    analysed = iter(map_isolated(lambda records: list(pipeline.pipe((r.id, r.text) for r in records)),
                                 lambda r: _analyse_one(pipeline, r), valid, "pipeline"))
    out = []
    for r in chunk:
        if r.error is not None:
            out.append(DocumentResult(r.id, error=r.error, warnings=r.warnings, meta=r.meta))
            continue
        result = next(analysed)
        if failed(result):
            result = DocumentResult.failed(r.id, result)
        out.append(replace(result, warnings=r.warnings + result.warnings, meta=r.meta))
    return out


def _analyse_one(pipeline, record: InputRecord) -> DocumentResult:
    results = list(pipeline.pipe([(record.id, record.text)]))
    if len(results) != 1:
        raise RuntimeError(f"the pipeline gave {len(results)} results for one text")
    return results[0]


def output_line(result: DocumentResult) -> tuple[str, bool]:
    """The record's output line and whether it is an error record; a result that cannot be serialised
    becomes an ``OutputError`` record."""
    try:
        line = json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
        line.encode("utf-8")
        return line, result.error is not None
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        doc_id, _ = no_surrogates(str(result.id), "'id'")
        error = DocumentResult(doc_id, error=ErrorInfo(ErrorType.OUTPUT_ERROR, f"result could not be written: {exc}"))
        return json.dumps(error.to_dict(), ensure_ascii=False) + "\n", True


def process_chunk(pipeline, chunk: list[InputRecord]) -> ChunkOutput:
    lines = [output_line(r) for r in analyse_records(pipeline, chunk)]
    return ChunkOutput([line for line, _ in lines], [bad for _, bad in lines])
