"""JSON lines in and out, shared by the ``infer`` and ``stance`` jobs: decoding that never loses a record.

Invalid UTF-8 bytes become U+FFFD with a warning (offsets then index the decoded text); lone
surrogates that JSON escapes can produce become U+FFFD one for one, so offsets do not move; a line
that is not JSON is an ``InvalidJSON`` error, never an exception. Output is UTF-8 whatever the locale.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import IO, Iterator

from claimstance.errors import ErrorType
from claimstance.records import ErrorInfo

__all__ = ["decode", "no_surrogates", "parse_json_line", "json_type", "jsonl_lines", "open_text_output"]

_REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(raw: bytes, where: str = "") -> tuple[str, tuple[str, ...]]:
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


def no_surrogates(value: str, what: str) -> tuple[str, tuple[str, ...]]:
    """JSON ``\\udXXX`` escapes can give lone surrogates, which cannot be written as UTF-8 (nor parsed):
    each becomes U+FFFD, one character for one, so offsets do not move."""
    if not _SURROGATE.search(value):
        return value, ()
    n = len(_SURROGATE.findall(value))
    return _SURROGATE.sub(_REPLACEMENT, value), (f"{what} has {n} lone surrogate(s); replaced with U+FFFD",)


def parse_json_line(line_no: int, raw: bytes) -> tuple[object, tuple[str, ...]]:
    """The parsed value of one JSONL line (an ``ErrorInfo`` when it is not JSON) and decoding warnings."""
    line, warnings = decode(raw, f"line {line_no}: ")
    try:
        return json.loads(line), warnings
    except json.JSONDecodeError as exc:
        return ErrorInfo(ErrorType.INVALID_JSON, f"line {line_no}: {exc.msg} at column {exc.colno}"), warnings
    except RecursionError:
        return ErrorInfo(ErrorType.INVALID_JSON, f"line {line_no}: nested too deeply"), warnings


def json_type(value) -> str:
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


def jsonl_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw line)`` of the records in a JSONL byte stream: blank lines and a leading
    byte-order mark are not records."""
    for line_no, raw in enumerate(stream, start=1):
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a UTF-8 byte-order mark before the first record (outside any text)
        if raw.strip():
            yield line_no, raw.rstrip(b"\r\n")


def open_text_output(path: str | Path) -> IO[str]:
    """A UTF-8 text stream to ``path``, or to standard output for ``-`` (then ``detach()`` it when done,
    which leaves ``sys.stdout`` open)."""
    if str(path) == "-":
        return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", write_through=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8")
