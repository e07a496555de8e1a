"""The stance model's input, built by one function for training and for inference.

A query is (text, speaker, target) with optional character spans of the two mentions. The model
reads a sentence pair:

* first segment, a question naming both sides: ``What does <speaker> think of <target>?``
  (no speaker: ``What does the text say about <target>?``). Naming them here lets the model
  judge a speaker whose mention lies outside the context (a pronoun resolved far back).
* second segment, the context with the mentions marked in place: ``<< speaker >>`` and
  ``[[ target ]]``. Marks tell the model *which* "Pakistan" is meant and make the direction
  (who holds the stance toward whom) visible in the text itself.

Long contexts are cut to a window of ``max_chars`` characters around the marked mentions, so
that truncation by the tokenizer never drops them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

__all__ = ["SPEAKER_MARKS", "TARGET_MARKS", "StanceQuery", "build_pair", "encode_pairs", "find_name", "query_from_example"]

SPEAKER_MARKS = ("<< ", " >>")
TARGET_MARKS = ("[[ ", " ]]")
DEFAULT_MAX_CHARS = 700


@dataclass(frozen=True)
class StanceQuery:
    """What the stance of ``speaker`` (None: the text itself) toward ``target`` is in ``text``."""

    text: str
    speaker: Optional[str]
    target: str
    speaker_span: Optional[tuple[int, int]] = None
    target_span: Optional[tuple[int, int]] = None


def find_name(text: str, name: str) -> Optional[tuple[int, int]]:
    """The first whole-word, case-sensitive occurrence of ``name`` in ``text``, else ``None``."""
    m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
    return (m.start(), m.end()) if m else None


def query_from_example(example) -> StanceQuery:
    """A ``StanceQuery`` from a ``StanceExample`` (the training record)."""
    return StanceQuery(example.text, example.speaker, example.target, example.speaker_span, example.target_span)


def _window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """A ``[start, end)`` window of at most ``max_chars`` around the spans, with no half words at its edges."""
    if len(text) <= max_chars:
        return 0, len(text)
    if spans:
        lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    else:
        lo = hi = 0
    hi = min(hi, lo + max_chars)  # mentions far apart: keep the stretch from the first one
    start = max(0, lo - (max_chars - (hi - lo)) // 2)
    end = min(len(text), start + max_chars)
    start = max(0, end - max_chars)
    while 0 < start < lo and not text[start - 1].isspace():  # no half words at the edges
        start += 1
    while hi < end < len(text) and not text[end].isspace():
        end -= 1
    return start, end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def build_pair(query: StanceQuery, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, str]:
    """``(question, marked context)``: the two segments the stance model reads for ``query``."""
    speaker = " ".join(query.speaker.split()) if query.speaker else None
    target = " ".join(query.target.split())
    question = f"What does {speaker} think of {target}?" if speaker else f"What does the text say about {target}?"
    marks = []
    if query.target_span is not None:
        marks.append((query.target_span, TARGET_MARKS))
    if query.speaker_span is not None and not any(_overlaps(query.speaker_span, s) for s, _ in marks):
        marks.append((query.speaker_span, SPEAKER_MARKS))
    start, end = _window(query.text, [s for s, _ in marks], max_chars)
    inside = sorted(((s, e), m) for (s, e), m in marks if start <= s and e <= end)
    pieces, pos = [], start
    for (s, e), (open_mark, close_mark) in inside:
        pieces += [query.text[pos:s], open_mark, query.text[s:e], close_mark]
        pos = e
    pieces.append(query.text[pos:end])
    context = " ".join("".join(pieces).split())
    return question, context


def encode_pairs(tokenizer, queries: list[StanceQuery], max_length: int, max_chars: int = DEFAULT_MAX_CHARS) -> dict:
    """Token ids for ``queries`` (unpadded lists); the context is truncated, never the question."""
    pairs = [build_pair(q, max_chars) for q in queries]
    return tokenizer([p[0] for p in pairs], [p[1] for p in pairs], truncation="only_second",
                     max_length=max_length, padding=False)
