"""Stance targets: the parties a statement's speaker may hold a stance toward, each with the mention to mark.

In the statement's content; in its sentences, outside the speaker's own noun phrase ("Kenya's
president" names the speaker's party, not a target); and the article's main parties
(:func:`main_parties`) wherever they are, by their mention nearest before the statement, else
after it. The speaker's own party is a target only when the content names it; a speaker is never
its own target.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Optional

from claimstance.records import Party, Span, Statement

__all__ = ["Mentions", "main_parties", "statement_targets"]


def main_parties(parties: tuple[Party, ...], top: int = 2) -> set[str]:
    """The parties an article is mostly about: at least as many mentions as the ``top``-th most
    mentioned party (ties kept), and at least two."""
    counts = sorted((len(p.mentions) for p in parties), reverse=True)
    if not counts:
        return set()
    floor = max(2, counts[min(top, len(counts)) - 1])
    return {p.name for p in parties if len(p.mentions) >= floor}


class Mentions:
    """A party's mentions sorted by start, for range look-ups in O(log n) (long articles)."""

    def __init__(self, mentions: tuple[Span, ...]):
        self.spans = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.spans]

    def inside(self, lo: int, hi: int):
        for m in self.spans[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]:
            if m.end <= hi:
                yield m

    def last_before(self, lo: int, ok):
        for i in range(bisect_left(self.starts, lo) - 1, -1, -1):
            if self.spans[i].end <= lo and ok(self.spans[i]):
                return self.spans[i]
        return None

    def first_after(self, hi: int, ok):
        for m in self.spans[bisect_left(self.starts, hi):]:
            if ok(m):
                return m
        return None


def statement_targets(statement: Statement, parties: tuple[Party, ...], region: tuple[int, int],
                      main: frozenset[str] = frozenset(), index: Optional[dict[str, Mentions]] = None) -> list[tuple[Party, Span]]:
    """The parties a statement's speaker may hold a stance toward, each with the mention to mark.

    In the content, or in ``region`` (the statement's sentences) outside the speaker's mention;
    and the article's ``main`` parties wherever they are (their mention nearest before the
    region, else after it). ``index``: the parties' ``Mentions``, built once per document."""
    content = statement.content
    speaker = statement.speaker
    mention = speaker.mention if speaker else None
    index = index if index is not None else {p.name: Mentions(p.mentions) for p in parties}

    def free(m: Span) -> bool:
        return not (mention is not None and m.start < mention.end and mention.start < m.end)

    out = []
    for party in parties:
        if speaker is not None and party.name == speaker.name:
            continue
        mentions = index[party.name]
        in_content = next(mentions.inside(content.start, content.end), None)
        if in_content is not None:
            out.append((party, in_content))
            continue
        if speaker is not None and party.name == speaker.party:
            continue  # the speaker's own party, not named in what they said
        near = next((m for m in mentions.inside(*region) if free(m)), None)
        if near is None and party.name in main:
            near = mentions.last_before(region[0], free) or mentions.first_after(region[1], free)
        if near is not None:
            out.append((party, near))
    return out
