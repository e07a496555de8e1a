"""``claimstance stance``: classify given (text, speaker, target) pairs, JSONL in and out.

Input lines: ``{"id", "text", "speaker", "target"}`` with optional ``"speaker_span": [s, e]`` and
``"target_span": [s, e]`` (character offsets into ``text``, end exclusive, covering the mention).
``speaker`` may be null or absent: then it is the stance the text itself takes toward the target.
Without a span, the first whole-word occurrence of the name in ``text`` is marked (as in
training); a name that does not occur is only named in the question.
Output lines, one per input record and in input order::

    {"id": ..., "label": "against", "scores": {"favor": p, "against": p, "neutral": p}, "error": null}

A record that cannot be classified gets ``"label": null, "scores": null`` and an ``error``
object; the job goes on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterator, Optional, Union

from claimstance.data.basil import find_name
from claimstance.infer.jobs.inputs import _json_type, _no_surrogates, jsonl_lines, open_output, parse_json_line
from claimstance.infer.stance.model import StanceClassifier
from claimstance.records import ErrorInfo
from claimstance.infer.stance.encoding import StanceQuery

__all__ = ["classify_pairs", "parse_pair", "PairError"]


class PairError(ValueError):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _span(obj: dict, key: str, text: str, name: Optional[str]) -> Optional[tuple[int, int]]:
    value = obj.get(key)
    if value is None:
        return None
    if name is None:
        raise PairError("InvalidSpan", f"'{key}' is given but there is no {key.split('_')[0]}")
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in value)):
        raise PairError("InvalidSpan", f"'{key}' must be [start, end] integers, got {json.dumps(value)}")
    start, end = value
    if not 0 <= start < end <= len(text):
        raise PairError("InvalidSpan", f"'{key}' {value} is outside the text ({len(text)} characters) or empty")
    return start, end


def parse_pair(obj) -> StanceQuery:
    """A ``StanceQuery`` from one parsed input object; raises ``PairError`` saying what is wrong."""
    if not isinstance(obj, dict):
        raise PairError("InvalidRecord", f"expected a JSON object, got {_json_type(obj)}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise PairError("InvalidText", "'text' must be a non-empty string" + ("" if "text" in obj else " (missing)"))
    target = obj.get("target")
    if not isinstance(target, str) or not target.strip():
        raise PairError("InvalidTarget", "'target' must be a non-empty string" + ("" if "target" in obj else " (missing)"))
    speaker = obj.get("speaker")
    if speaker is not None and (not isinstance(speaker, str) or not speaker.strip()):
        raise PairError("InvalidSpeaker", f"'speaker' must be a non-empty string or null, got {_json_type(speaker)}")
    text, _ = _no_surrogates(text, "'text'")
    speaker_span = _span(obj, "speaker_span", text, speaker)
    target_span = _span(obj, "target_span", text, target)
    # no span given: mark the first whole-word occurrence of the name, as in training
    if speaker is not None and speaker_span is None:
        speaker_span = find_name(text, speaker)
    if target_span is None:
        target_span = find_name(text, target)
    return StanceQuery(text, speaker, target, speaker_span, target_span)


def _read(stream) -> Iterator[tuple[str, Union[StanceQuery, PairError]]]:
    for line_no, raw in jsonl_lines(stream):
        fallback = f"line{line_no}"
        obj, _ = parse_json_line(line_no, raw)
        if isinstance(obj, ErrorInfo):
            yield fallback, PairError(obj.type, obj.message)
            continue
        pair_id = obj.get("id") if isinstance(obj, dict) else None
        pair_id = fallback if pair_id is None else pair_id if isinstance(pair_id, str) else json.dumps(pair_id)
        try:
            yield _no_surrogates(pair_id, "'id'")[0], parse_pair(obj)
        except PairError as exc:
            yield pair_id, PairError(exc.kind, f"line {line_no}: {exc}")


def _write(out: IO[str], pair_id: str, result) -> None:
    if isinstance(result, PairError):
        record = {"id": pair_id, "label": None, "scores": None, "error": {"type": result.kind, "message": str(result)}}
    else:
        label, scores = result
        record = {"id": pair_id, "label": label, "scores": {k: round(v, 4) for k, v in scores.items()}, "error": None}
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def classify_pairs(classifier: StanceClassifier, input_path: str, output_path: str, batch_size: int = 64) -> dict[str, int]:
    """Classify every line of ``input_path`` (``-`` = stdin) into ``output_path`` (``-`` = stdout)."""
    if input_path != "-" and not Path(input_path).is_file():
        raise FileNotFoundError(f"input not found: {input_path}")
    stream = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")
    out = open_output(output_path)
    counts = {"records": 0, "ok": 0, "failed": 0}
    pending: list[tuple[str, Union[StanceQuery, PairError]]] = []

    def flush() -> None:
        queries = [q for _, q in pending if isinstance(q, StanceQuery)]
        try:
            predictions = iter(classifier.predict(queries))
        except Exception:  # the model failing on a batch: one by one, so only the culprit fails
            predictions = iter(_one_by_one(classifier, queries))
        for pair_id, item in pending:
            result = item if isinstance(item, PairError) else next(predictions)
            _write(out, pair_id, result)
            counts["records"] += 1
            counts["failed" if isinstance(result, PairError) else "ok"] += 1
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


def _one_by_one(classifier: StanceClassifier, queries: list[StanceQuery]):
    for q in queries:
        try:
            yield classifier.predict([q])[0]
        except Exception as exc:
            yield PairError(type(exc).__name__, str(exc) or repr(exc))
