"""The batch job: read articles, run the pipeline, write one JSON line per input record.

Inputs: a ``.jsonl`` file of ``{"id", "text", ...}``, a ``.txt`` file (id = stem), a
directory of ``.txt`` files, or ``-`` (JSONL on stdin). Every input record appears in the
output exactly once and in input order: with results, or with an error object saying what
was wrong with it. A malformed record never stops the batch.
"""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional

from claimstance.records import DocumentResult, ErrorInfo


@dataclass(frozen=True)
class InputRecord:
    """One input record: a text to analyse, or the error that keeps it from being analysed."""

    id: str
    text: Optional[str] = None
    error: Optional[ErrorInfo] = None
    warnings: tuple[str, ...] = ()


_REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _decode(raw: bytes, where: str = "") -> tuple[str, tuple[str, ...]]:
    """UTF-8 text; invalid bytes become U+FFFD (offsets then index the decoded text) with a warning."""
    try:
        return raw.decode("utf-8"), ()
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", errors="replace")
        replaced = text.count(_REPLACEMENT) - raw.count(_REPLACEMENT.encode("utf-8"))
        return text, (
            f"{where}invalid UTF-8 at byte {exc.start}; {replaced} character(s) replaced with U+FFFD "
            "(offsets index the decoded text)",
        )


def _no_surrogates(value: str, what: str) -> tuple[str, tuple[str, ...]]:
    """JSON ``\\udXXX`` escapes can give lone surrogates, which cannot be written as UTF-8 (nor parsed):
    each becomes U+FFFD, one character for one, so offsets do not move."""
    if not _SURROGATE.search(value):
        return value, ()
    n = len(_SURROGATE.findall(value))
    return _SURROGATE.sub(_REPLACEMENT, value), (f"{what} has {n} lone surrogate(s); replaced with U+FFFD",)


def parse_json_line(line_no: int, raw: bytes) -> tuple[object, tuple[str, ...]]:
    """The parsed value of one JSONL line (an ``ErrorInfo`` when it is not JSON) and decoding warnings."""
    line, warnings = _decode(raw, f"line {line_no}: ")
    try:
        return json.loads(line), warnings
    except json.JSONDecodeError as exc:
        return ErrorInfo("InvalidJSON", f"line {line_no}: {exc.msg} at column {exc.colno}"), warnings
    except RecursionError:
        return ErrorInfo("InvalidJSON", f"line {line_no}: nested too deeply"), warnings


def _record_from_json(line_no: int, raw: bytes, source: str) -> InputRecord:
    fallback_id = f"{source}:{line_no}"
    obj, warnings = parse_json_line(line_no, raw)
    if isinstance(obj, ErrorInfo):
        return InputRecord(fallback_id, error=obj, warnings=warnings)
    if not isinstance(obj, dict):
        return InputRecord(fallback_id, error=ErrorInfo("InvalidRecord", f"line {line_no}: expected a JSON object, got {_json_type(obj)}"), warnings=warnings)
    doc_id = obj.get("id")
    if doc_id is None:
        doc_id = fallback_id
        warnings += (f"record has no 'id'; using {fallback_id!r}",)
    elif not isinstance(doc_id, str):
        doc_id = json.dumps(doc_id, ensure_ascii=False)
        warnings += (f"'id' is not a string; using its JSON text {doc_id}",)
    doc_id, more = _no_surrogates(doc_id, "'id'")
    warnings += more
    if "text" not in obj:
        return InputRecord(doc_id, error=ErrorInfo("MissingText", f"line {line_no}: record has no 'text' field"), warnings=warnings)
    text = obj["text"]
    if not isinstance(text, str):
        return InputRecord(doc_id, error=ErrorInfo("InvalidText", f"line {line_no}: 'text' must be a string, got {_json_type(text)}"), warnings=warnings)
    text, more = _no_surrogates(text, "'text'")
    return _check_text(InputRecord(doc_id, text, warnings=warnings + more))


def _json_type(value) -> str:
    """The JSON name of a parsed value's type (what the user wrote, not Python's name)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _check_text(record: InputRecord) -> InputRecord:
    if not record.text or not record.text.strip():
        what = "empty" if not record.text else "whitespace only"
        return replace(record, text=None, error=ErrorInfo("EmptyText", f"text is {what}"))
    return record


def _read_txt(path: Path) -> InputRecord:
    # a file name that is not valid UTF-8 reaches Python as lone surrogates: make the id writable
    doc_id, id_warnings = _no_surrogates(path.stem, "file name")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return InputRecord(doc_id, error=ErrorInfo("ReadError", f"{doc_id}: {exc.strerror or exc}"), warnings=id_warnings)
    text, warnings = _decode(raw)
    return _check_text(InputRecord(doc_id, text, warnings=id_warnings + warnings))


def jsonl_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw line)`` of the records in a JSONL byte stream: blank lines and a leading
    byte-order mark are not records."""
    for line_no, raw in enumerate(stream, start=1):
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark before the first record (outside any text)
        if raw.strip():
            yield line_no, raw.rstrip(b"\r\n")


def iter_jsonl(stream: IO[bytes], source: str = "stdin") -> Iterator[InputRecord]:
    for line_no, raw in jsonl_lines(stream):
        yield _record_from_json(line_no, raw, source)


def read_inputs(input_path: str) -> Iterator[InputRecord]:
    """Stream input records from a path (or ``-``), lazily, in order.

    A missing path (or a directory without .txt files) raises ``FileNotFoundError`` here,
    at the call, before any output is opened; the records themselves are read lazily.
    """
    if input_path == "-":
        return iter_jsonl(sys.stdin.buffer, "stdin")
    path = Path(input_path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
        if not files:
            raise FileNotFoundError(f"no .txt files in directory {path}")
        return (_read_txt(p) for p in files)
    if not path.exists():
        raise FileNotFoundError(f"input not found: {path}")
    if path.suffix == ".txt":
        return iter([_read_txt(path)])
    return _iter_jsonl_file(path)


def _iter_jsonl_file(path: Path) -> Iterator[InputRecord]:
    with path.open("rb") as f:
        yield from iter_jsonl(f, path.name)


def analyse_records(pipeline, chunk: list[InputRecord]) -> list[DocumentResult]:
    """One result per record, in order: input errors as error records, the rest through
    ``pipeline.pipe`` (one by one if the pipeline breaks its promise of one result per text)."""
    valid = [r for r in chunk if r.error is None]
    try:
        analysed = list(pipeline.pipe((r.id, r.text) for r in valid))
        if len(analysed) != len(valid):
            raise RuntimeError("the pipeline lost a record")
    except Exception:
        analysed = [_analyse_one(pipeline, r) for r in valid]
    results = iter(analysed)
    out = []
    for r in chunk:
        if r.error is not None:
            out.append(DocumentResult(r.id, error=r.error, warnings=r.warnings))
            continue
        result = next(results)
        out.append(replace(result, warnings=r.warnings + result.warnings) if r.warnings else result)
    return out


def run_batch(pipeline, records: Iterable[InputRecord], out: IO[str], chunk_size: int = 64) -> dict[str, int]:
    """Analyse records and write one line each, in order; returns counts (done / failed)."""
    counts = {"records": 0, "ok": 0, "failed": 0}
    chunk: list[InputRecord] = []

    def flush() -> None:
        for result in analyse_records(pipeline, chunk):
            out.write(_json_line(result))
            counts["records"] += 1
            counts["failed" if result.error else "ok"] += 1
        out.flush()
        chunk.clear()

    for record in records:
        chunk.append(record)
        if len(chunk) >= chunk_size:
            flush()
    if chunk:
        flush()
    return counts


def _analyse_one(pipeline, record: InputRecord) -> DocumentResult:
    try:
        results = list(pipeline.pipe([(record.id, record.text)]))
        if len(results) != 1:
            raise RuntimeError(f"the pipeline gave {len(results)} results for one text")
        return results[0]
    except Exception as exc:
        return DocumentResult.failed(record.id, type(exc).__name__, str(exc) or repr(exc))


def _json_line(result: DocumentResult) -> str:
    """The record's output line; a result that cannot be serialised becomes an error record."""
    try:
        line = json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
        line.encode("utf-8")
        return line
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        doc_id, _ = _no_surrogates(str(result.id), "'id'")
        failed = DocumentResult(doc_id, error=ErrorInfo("OutputError", f"result could not be written: {exc}"))
        return json.dumps(failed.to_dict(), ensure_ascii=False) + "\n"


def open_output(path: str) -> IO[str]:
    if path == "-":
        return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", write_through=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8")
