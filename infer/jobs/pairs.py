"""``claimstance stance``: classify given (text, speaker, target) pairs, JSONL in and out.

Input lines: ``{"id", "text", "speaker", "target"}`` with optional ``"speaker_span": [s, e]`` and
``"target_span": [s, e]`` (character offsets into ``text``, end exclusive, covering the mention).
``speaker`` may be null or absent: then it is the stance the text itself takes toward the target.
Without a span, the first whole-word occurrence of the name in ``text`` is marked (as in
training); a speaker name that does not occur is named in front of the text, a target name
that does not occur is given on its own as the context segment
(:func:`~claimstance.infer.stance.encoding.build_segments`).
Output lines, one per input record and in input order::

    {"id": ..., "label": "against", "scores": {"favor": p, "against": p, "neutral": p}, "error": null}

A record that cannot be classified gets ``"label": null, "scores": null`` and an ``error``
object; the job goes on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator, Optional

from claimstance.errors import ErrorType
from claimstance.infer.isolate import failed, map_isolated
from claimstance.infer.jobs.jsonl import json_type, jsonl_lines, no_surrogates, open_text_output, parse_json_line
from claimstance.infer.stance.encoding import StanceQuery, find_name
from claimstance.infer.stance.model import StanceClassifier
from claimstance.records import ErrorInfo

__all__ = ["PairError", "classify_pairs", "parse_pair"]


class PairError(ValueError):
    """A pair that cannot be classified, and why (an :class:`~claimstance.errors.ErrorType`)."""

    def __init__(self, kind: ErrorType, message: str):
        super().__init__(message)
        self.kind = kind

    def info(self) -> ErrorInfo:
        return ErrorInfo(self.kind, str(self))


def _span(obj: dict, key: str, text: str, name: Optional[str]) -> Optional[tuple[int, int]]:
    value = obj.get(key)
    if value is None:
        return None
    if name is None:
        raise PairError(ErrorType.INVALID_SPAN, f"'{key}' is given but there is no {key.split('_')[0]}")
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in value)):
        raise PairError(ErrorType.INVALID_SPAN, f"'{key}' must be [start, end] integers, got {json.dumps(value)}")
    start, end = value
    if not 0 <= start < end <= len(text):
        raise PairError(ErrorType.INVALID_SPAN, f"'{key}' {value} is outside the text ({len(text)} characters) or empty")
    return start, end


def parse_pair(obj) -> StanceQuery:
    """A ``StanceQuery`` from one parsed input object; raises ``PairError`` saying what is wrong."""
    if not isinstance(obj, dict):
        raise PairError(ErrorType.INVALID_RECORD, f"expected a JSON object, got {json_type(obj)}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise PairError(ErrorType.INVALID_TEXT, "'text' must be a non-empty string" + ("" if "text" in obj else " (missing)"))
    target = obj.get("target")
    if not isinstance(target, str) or not target.strip():
        raise PairError(ErrorType.INVALID_TARGET,
                        "'target' must be a non-empty string" + ("" if "target" in obj else " (missing)"))
    speaker = obj.get("speaker")
    if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
        raise PairError(ErrorType.INVALID_SPEAKER, f"'speaker' must be a non-empty string or null, got {json_type(speaker)}")
    text, _ = no_surrogates(text, "'text'")
    speaker_span = _span(obj, "speaker_span", text, speaker)
    target_span = _span(obj, "target_span", text, target)
    # no span given: mark the first whole-word occurrence of the name, as in training
    if speaker is not None and speaker_span is None:
        speaker_span = find_name(text, speaker)
    if target_span is None:
        target_span = find_name(text, target)
    return StanceQuery(text, speaker, target, speaker_span, target_span)


def _read(stream) -> Iterator[tuple[str, StanceQuery | ErrorInfo]]:
    for line_no, raw in jsonl_lines(stream):
        fallback = f"line{line_no}"
        obj, _ = parse_json_line(line_no, raw)
        if failed(obj):
            yield fallback, obj
            continue
        pair_id = obj.get("id") if isinstance(obj, dict) else None
        pair_id = fallback if pair_id is None else pair_id if isinstance(pair_id, str) else json.dumps(pair_id)
        try:
            yield no_surrogates(pair_id, "'id'")[0], parse_pair(obj)
        except PairError as exc:
            yield pair_id, ErrorInfo(exc.kind, f"line {line_no}: {exc}")


def _line(pair_id: str, result) -> str:
    if failed(result):
        record = {"id": pair_id, "label": None, "scores": None, "error": result.to_dict()}
    else:
        label, scores = result
        record = {"id": pair_id, "label": label, "scores": {k: round(v, 4) for k, v in scores.items()}, "error": None}
    return json.dumps(record, ensure_ascii=False) + "\n"


def classify_pairs(classifier: StanceClassifier, input_path: str, output_path: str, batch_size: int = 64) -> dict[str, int]:
    """Classify every line of ``input_path`` (``-`` = stdin) into ``output_path`` (``-`` = stdout)."""
    if input_path != "-" and not Path(input_path).is_file():
        raise FileNotFoundError(f"input not found: {input_path}")
    out = open_text_output(output_path)  # an output that cannot be written fails before the input is opened
    stream = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")
    counts = {"records": 0, "ok": 0, "failed": 0}
    pending: list[tuple[str, StanceQuery | ErrorInfo]] = []

    def flush() -> None:
        results = map_isolated(classifier.predict, lambda q: classifier.predict([q])[0], [q for _, q in pending], "stance")
        for (pair_id, _), result in zip(pending, results):
            out.write(_line(pair_id, result))
            counts["records"] += 1
            counts["failed" if failed(result) else "ok"] += 1
        out.flush()
        pending.clear()

    try:
        for item in _read(stream):
            pending.append(item)
            if len(pending) >= batch_size:
                flush()
        if pending:
            flush()
    finally:
        if input_path != "-":
            stream.close()
        if output_path == "-":
            out.flush()
            out.detach()
        else:
            out.close()
    return counts
