"""Input records of a batch job: a ``.jsonl`` file of ``{"id", "text", ...}``, a ``.txt`` file (id = stem),
a folder of ``.txt`` files, or ``-`` (JSONL on stdin); read lazily, in order.

Every input record becomes one :class:`InputRecord`: a text to analyse, or the error that keeps it
from being analysed (``InvalidJSON``, ``InvalidRecord``, ``MissingText``, ``InvalidText``,
``EmptyText``, ``ReadError``), so that the output has one line per record whatever it holds.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Iterator, Optional

from claimstance.errors import ErrorType
from claimstance.infer.jobs.jsonl import decode, json_type, jsonl_lines, no_surrogates, parse_json_line
from claimstance.records import ErrorInfo

__all__ = ["InputRecord", "count_records", "iter_jsonl", "read_inputs"]


@dataclass(frozen=True)
class InputRecord:
    """One input record: a text to analyse, or the error that keeps it from being analysed."""

    id: str
    text: Optional[str] = None
    error: Optional[ErrorInfo] = None
    warnings: tuple[str, ...] = ()
    meta: Optional[dict] = None  # the record's other fields ("date", "outlet", ...), passed through to its output


def _record_from_json(line_no: int, raw: bytes, source: str) -> InputRecord:
    fallback_id = f"{source}:{line_no}"
    obj, warnings = parse_json_line(line_no, raw)
    if isinstance(obj, ErrorInfo):
        return InputRecord(fallback_id, error=obj, warnings=warnings)
    if not isinstance(obj, dict):
        return InputRecord(fallback_id, error=ErrorInfo(ErrorType.INVALID_RECORD, f"line {line_no}: expected a JSON object, got {json_type(obj)}"), warnings=warnings)
    doc_id = obj.get("id")
    if doc_id is None:
        doc_id = fallback_id
        warnings += (f"record has no 'id'; using {fallback_id!r}",)
    elif not isinstance(doc_id, str):
        doc_id = json.dumps(doc_id, ensure_ascii=False)
        warnings += (f"'id' is not a string; using its JSON text {doc_id}",)
    doc_id, more = no_surrogates(doc_id, "'id'")
    warnings += more
    if "text" not in obj:
        return InputRecord(doc_id, error=ErrorInfo(ErrorType.MISSING_TEXT, f"line {line_no}: record has no 'text' field"), warnings=warnings)
    text = obj["text"]
    if not isinstance(text, str):
        return InputRecord(doc_id, error=ErrorInfo(ErrorType.INVALID_TEXT, f"line {line_no}: 'text' must be a string, got {json_type(text)}"), warnings=warnings)
    text, more = no_surrogates(text, "'text'")
    meta = {k: v for k, v in obj.items() if k not in ("id", "text")} or None
    if meta is not None:
        try:
            json.dumps(meta, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            meta, more = None, more + ("the record's other fields hold text that is not valid Unicode; not passed through",)
    return _check_text(InputRecord(doc_id, text, warnings=warnings + more, meta=meta))


def _check_text(record: InputRecord) -> InputRecord:
    if not record.text or not record.text.strip():
        what = "empty" if not record.text else "whitespace only"
        return replace(record, text=None, error=ErrorInfo(ErrorType.EMPTY_TEXT, f"text is {what}"))
    return record


def _read_txt(path: Path) -> InputRecord:
    # a file name that is not valid UTF-8 reaches Python as lone surrogates: make the id writable
    doc_id, id_warnings = no_surrogates(path.stem, "file name")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return InputRecord(doc_id, error=ErrorInfo(ErrorType.READ_ERROR, f"{doc_id}: {exc.strerror or exc}"), warnings=id_warnings)
    text, warnings = decode(raw)
    return _check_text(InputRecord(doc_id, text, warnings=id_warnings + warnings))


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
