"""Quotation marks, and the kind of a statement (direct, indirect, mixed) judged from its content's marks."""

from __future__ import annotations

from claimstance.infer.text.units import PARAGRAPH

OPENING = {'"': '"', "\u201c": "\u201d", "\u00ab": "\u00bb", "\u2018": "\u2019", "\u201e": "\u201c", "\u201f": "\u201d"}
CLOSING = {"\u201d", "\u00bb", "\u2019", '"'}
DOUBLE_MARKS = '"\u201c\u201d\u00ab\u00bb\u201e\u201f'
SINGLE_MARKS = "\u2018\u2019'"
ALL_MARKS = DOUBLE_MARKS + SINGLE_MARKS
# What evaluation trims from both ends of a span before an exact comparison.
TRIM_CHARS = ALL_MARKS + " \t\r\n.,;:!?-\u2013\u2014()[]"


def trim(text: str) -> str:
    return text.strip(TRIM_CHARS)


def content_kind(content: str) -> str:
    """``direct`` when the content is one quotation, ``mixed`` when it holds quoted words, else ``indirect``.

    A quotation that runs over paragraphs reopens with a mark in each: every paragraph is
    judged on its own, and the content is direct only when each is.
    """
    chunks = [c for c in PARAGRAPH.split(content) if c.strip()] or [content]
    kinds = {_chunk_kind(c) for c in chunks}
    if kinds == {"direct"}:
        return "direct"
    if kinds == {"indirect"}:
        return "indirect"
    return "mixed"


def _chunk_kind(content: str) -> str:
    stripped = content.strip().rstrip(".,;:!?").strip().replace("''", '"')
    double_in = [c for c in stripped if c in DOUBLE_MARKS]
    if not double_in:
        return "indirect"
    if stripped[:1] in DOUBLE_MARKS and stripped[-1:] in DOUBLE_MARKS and len(double_in) == 2:
        return "direct"
    if stripped[:1] in DOUBLE_MARKS and len(double_in) == 1:
        return "direct"  # a quote that runs on into the next paragraph
    inner = trim(stripped)
    quoted_chars = 0
    inside = False
    for ch in stripped:
        if ch in DOUBLE_MARKS:
            inside = not inside
        elif inside:
            quoted_chars += 1
    if inner and quoted_chars >= 0.9 * len(inner):
        return "direct"
    return "mixed"
