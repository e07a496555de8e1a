"""The attribution tagger's encoding, shared by training and inference: BIO tags over word pieces.

An article is tokenized once, without special tokens, keeping each word piece's character
offsets; a piece is tagged with the role of the gold segment its first character lies in:
``B-<ROLE>`` when it starts the segment, ``I-<ROLE>`` otherwise, ``O`` outside every segment.
Every piece of a discontinuous gold span (PolNeAR ``Content2``, ``start end;start end``) is a
segment of its own; :mod:`claimstance.infer.tagger.decode` groups segments back into attributions.

Long articles are cut into windows of ``max_length - 2`` pieces (room for [CLS] and [SEP])
that overlap by ``overlap`` pieces; at inference every piece takes its tag from the window in
which it lies farthest from an edge, so no piece is judged without context on one side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

ROLES = ("SOURCE", "CUE", "CONTENT")
TAGS = ("O",) + tuple(f"{p}-{r}" for r in ROLES for p in ("B", "I"))
TAG_IDS = {t: i for i, t in enumerate(TAGS)}

__all__ = ["ROLES", "TAGS", "TAG_IDS", "Pieces", "tokenize_text", "piece_tags", "windows", "window_owner", "gold_segments"]


@dataclass(frozen=True)
class Pieces:
    """The word pieces of one text: ids and (start, end) character offsets, without specials."""

    ids: list[int]
    offsets: list[tuple[int, int]]


def tokenize_text(tokenizer, text: str) -> Pieces:
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    return Pieces(list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]])


def piece_tags(offsets: Sequence[tuple[int, int]], text_len: int,
               segments: Iterable[tuple[str, int, int]]) -> list[int]:
    """Tag ids for the pieces, given gold segments ``(role, start, end)``.

    Segments are painted content first, then source, then cue, so where annotations nest the
    smaller roles win; a piece whose first character is outside every segment but whose last
    is inside takes that segment (pieces straddling a span edge).
    """
    owner = [-1] * text_len
    roles: list[str] = []
    order = {"CONTENT": 0, "SOURCE": 1, "CUE": 2}
    for role, start, end in sorted(segments, key=lambda s: order[s[0]]):
        seg = len(roles)
        roles.append(role)
        for i in range(max(0, start), min(end, text_len)):
            owner[i] = seg
    tags, previous = [], -1
    for start, end in offsets:
        seg = owner[start] if start < text_len else -1
        if seg < 0 and end - 1 < text_len and end > start:
            seg = owner[end - 1]
        if seg < 0:
            tags.append(TAG_IDS["O"])
        else:
            tags.append(TAG_IDS[f"{'I' if seg == previous else 'B'}-{roles[seg]}"])
        previous = seg
    return tags


def windows(n_pieces: int, size: int, overlap: int, start: int = 0) -> list[tuple[int, int]]:
    """``[start, end)`` piece ranges of at most ``size`` that cover ``n_pieces`` with ``overlap``.

    ``start`` (training only) shifts the grid so that each epoch cuts an article differently;
    the pieces before it form a first, shorter window.
    """
    if size < 2 or not 0 <= overlap < size:
        raise ValueError(f"need size >= 2 and 0 <= overlap < size, got size={size}, overlap={overlap}")
    if n_pieces == 0:
        return []
    step = size - overlap
    out: list[tuple[int, int]] = [(0, min(start, n_pieces))] if 0 < start < n_pieces else []
    s = start if 0 < start < n_pieces else 0
    while True:
        e = min(s + size, n_pieces)
        out.append((s, e))
        if e >= n_pieces:
            return out
        s += step


def window_owner(spans: Sequence[tuple[int, int]], n_pieces: int) -> list[int]:
    """For every piece, the window in which it lies farthest from an edge (ties: the earlier)."""
    best = [-1] * n_pieces
    depth = [-1] * n_pieces
    for w, (s, e) in enumerate(spans):
        for i in range(s, e):
            d = min(i - s, e - 1 - i)
            if d > depth[i]:
                depth[i], best[i] = d, w
    return best


def gold_segments(attributions) -> list[tuple[str, int, int]]:
    """``(role, start, end)`` for every piece of every role of PolNeAR gold attributions."""
    out = []
    for a in attributions:
        for role, span in (("CONTENT", a.content), ("CUE", a.cue), ("SOURCE", a.source)):
            if span is None:
                continue
            for s, e in (span.parts or ((span.start, span.end),)):
                out.append((role, s, e))
    return out

