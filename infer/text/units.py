"""Text units every stage shares: the parsed text, sentences and paragraphs (page furniture is
:mod:`claimstance.infer.text.furniture`).

``doc_text(doc)`` is a spaCy Doc's text, built once: ``Doc.text`` joins every token's text on each
access, and reading it per token or per candidate made stages quadratic in an article's length.
"""

from __future__ import annotations

import bisect
import re

from claimstance.infer.words import ABBREVIATIONS

__all__ = ["doc_text", "SENTENCE_END", "PARAGRAPH", "ParagraphBreaks", "sentence_bounds", "in_ranges"]

_KEY = "claimstance.text"

# A sentence ends at . ! or ? (and closing quotes or brackets) before a space, but not after an
# abbreviation ("Mr.", "Jan.") or a single capital ("U.S."); a line break ends one too. The mark is
# matched first and the abbreviations looked behind it: the look-behinds run only at marks, not at
# every character (30 times faster on long texts).
_NOT_AFTER = "".join(f"(?<!\\b{a}[.!?])" for a in (*ABBREVIATIONS, "[A-Z]"))
SENTENCE_END = re.compile(r"[.!?]" + _NOT_AFTER + r"[\"'\u201d\u2019)\]]*\s+|\n")
# A paragraph break: a blank line.
PARAGRAPH = re.compile(r"\n\s*\n")

def doc_text(doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def sentence_bounds(text: str, start: int, end: int, reach: int = 600) -> tuple[int, int]:
    """``[start, end)`` widened to the enclosing sentence boundaries (at most ``reach`` chars each way)."""
    lo = max(0, start - reach)
    before = [m.end() for m in SENTENCE_END.finditer(text, lo, start)]
    new_start = before[-1] if before else lo
    m = SENTENCE_END.search(text, end, min(len(text), end + reach))
    new_end = m.start() + 1 if m else min(len(text), end + reach)
    return new_start, max(new_end, end)


class ParagraphBreaks:
    """The paragraph breaks of a text, for look-ups in logarithmic time."""

    def __init__(self, text: str):
        spans = [m.span() for m in PARAGRAPH.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def before(self, pos: int) -> int:
        """Where the last break that ends at or before ``pos`` starts; -1 when there is none."""
        i = bisect.bisect_right(self.ends, pos) - 1
        return self.starts[i] if i >= 0 else -1

    def within(self, start: int, end: int) -> bool:
        """Whether a break lies wholly in ``[start, end)``."""
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self.ends[i] <= end


def in_ranges(ranges: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` lies in one of the sorted, non-overlapping ``ranges`` (``starts``: their starts)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ranges[i][1]
