"""Find quotations in raw text: straight and curly marks, guillemets, nesting, quotes that
run over paragraphs, and unbalanced marks (never raise; take the best reading and go on).

Works on the text alone so that it is cheap, testable with plain strings, and independent
of the parser's tokenisation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from claimstance.infer.text.marks import ALL_MARKS
from claimstance.infer.text.units import PARAGRAPH
from claimstance.infer.words import NO_QUOTE_AFTER

_LEFT_CURLY = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
_RIGHT_CURLY = {"\u201d", "\u00bb"}
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Quote:
    """One quotation: ``parts`` are the (start, end) pieces including their marks, one per paragraph."""

    parts: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def n_words(self, text: str) -> int:
        return sum(len(text[s:e].split()) for s, e in self.parts)

    def contains(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.parts)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in PARAGRAPH.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_opening_straight(text: str, i: int, width: int = 1) -> bool:
    """A straight double mark opens when it follows a space/start/opening bracket and precedes a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{\u2014\u2013-:/" or i == 0


def _marks(text: str, start: int, end: int) -> list[tuple[int, str, int]]:
    """Double quotation marks in ``text[start:end]`` as (position, 'open' | 'close', length).

    Two straight apostrophes ('') serve as a double mark in some archives (NYT in PolNeAR).
    """
    out = []
    i = start
    while i < end:
        ch = text[i]
        if ch in _LEFT_CURLY:
            out.append((i, "open", 1))
        elif ch in _RIGHT_CURLY:
            out.append((i, "close", 1))
        elif ch == '"':
            out.append((i, "open" if _is_opening_straight(text, i) else "close", 1))
        elif ch == "'" and i + 1 < end and text[i + 1] == "'":
            out.append((i, "open" if _is_opening_straight(text, i, 2) else "close", 2))
            i += 1
        i += 1
    return out


def _paragraph_quotes(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed quotes in one paragraph, and the position of a quote left open at its end.

    An opening mark while a quote is open is read as nesting (double marks inside double marks
    are rare in English news); a stray closing mark with no quote open is ignored.
    """
    quotes: list[tuple[int, int]] = []
    open_at: int | None = None
    depth = 0
    for pos, role, width in _marks(text, start, end):
        if role == "open":
            if open_at is None:
                open_at, depth = pos, 1
            else:
                depth += 1
        else:  # close
            if open_at is None:
                continue  # a stray closing mark: ignore it
            depth -= 1
            if depth <= 0:
                quotes.append((open_at, pos + width))
                open_at, depth = None, 0
    return quotes, open_at


def find_quotes(text: str) -> list[Quote]:
    """All double-mark quotations in reading order, joined across paragraphs where news convention does.

    A paragraph that ends inside an open quote continues into the next paragraph when that one
    opens with a quote mark; otherwise the open quote is closed at its paragraph's end (the
    best reading of an unbalanced mark when it holds words) and dropped when it holds none.
    """
    found: list[Quote] = []
    carry: list[tuple[int, int]] = []  # parts of a quote running over paragraphs
    for p_start, p_end in _paragraphs(text):
        p_text_start = p_start + (len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip()))
        quotes, open_at = _paragraph_quotes(text, p_text_start, p_end)
        if carry:
            if quotes and quotes[0][0] == p_text_start:
                carry.append(quotes.pop(0))
                found.append(Quote(tuple(carry)))
                carry = []
            elif open_at == p_text_start and not quotes:
                carry.append((p_text_start, _rstrip_end(text, p_end)))
                continue
            else:
                found.append(Quote(tuple(carry)))
                carry = []
        found.extend(Quote(((s, e),)) for s, e in quotes)
        if open_at is not None and _plausible_open(text, open_at, p_text_start):
            part = (open_at, _rstrip_end(text, p_end))
            if _WORD.search(text[part[0]:part[1]]):
                carry = [part]
    if carry:
        found.append(Quote(tuple(carry)))
    found.extend(_single_quotes(text, found))
    return sorted(found, key=lambda q: q.start)


_SINGLE = re.compile(r"(?<![\w\u2019'])\u2018(?=\S)([^\u2018\n]*?\S)\u2019(?!\w)")


def _single_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """British-style top-level quotes in curly single marks, outside any double quote.

    The right single mark doubles as the apostrophe, so a quote closes only at a right mark
    that is not followed by a letter ("the minister\u2019s" never closes one).
    """
    out = []
    for m in _SINGLE.finditer(text):
        s, e = m.start(), m.end()
        if not any(q.start <= s < q.end for q in doubles):
            out.append(Quote(((s, e),)))
    return out




def _plausible_open(text: str, open_at: int, paragraph_start: int) -> bool:
    """An unclosed mark opens a quote running to the paragraph's end only where quotes open:
    at the paragraph's start, after a colon or comma ('he said: "...'), or after a word that can
    introduce speech. A stray mark after a determiner ('The "Bajakovo crossing reopened') is a
    typo, not a quotation."""
    if open_at == paragraph_start:
        return True
    before = text[paragraph_start:open_at].rstrip()
    if before.endswith((":", ",", "\u2014", "\u2013")):
        return True
    words = before.split()
    return bool(words) and words[-1].lower() not in NO_QUOTE_AFTER


def _rstrip_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


class QuoteIndex:
    """The quotes of one text, sorted, with range look-ups in logarithmic time.

    Stages ask "which quotes touch this span" once per token or candidate; scanning every
    quote each time made long articles quadratic.
    """

    def __init__(self, quotes: list[Quote], text: str):
        self.quotes = sorted(quotes, key=lambda q: q.start)
        self.starts = [q.start for q in self.quotes]
        self.words = [q.n_words(text) for q in self.quotes]
        # the furthest end reached by any quote up to each position (quotes may nest or overlap)
        self._reach = []
        reach = -1
        for q in self.quotes:
            reach = max(reach, q.end)
            self._reach.append(reach)

    def __iter__(self):
        return iter(self.quotes)

    def __len__(self) -> int:
        return len(self.quotes)

    def overlapping(self, start: int, end: int) -> list[tuple[Quote, int]]:
        """Quotes sharing a character with [start, end), in text order, with their word counts."""
        hi = bisect.bisect_left(self.starts, end)
        lo = hi
        while lo > 0 and self._reach[lo - 1] > start:
            lo -= 1
        return [(self.quotes[i], self.words[i]) for i in range(lo, hi) if self.quotes[i].end > start]

    def within(self, start: int, end: int) -> list[Quote]:
        """Quotes that start in [start, end)."""
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return self.quotes[lo:hi]
