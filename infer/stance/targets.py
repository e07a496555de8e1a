"""Stance targets: the parties a statement's speaker may hold a stance toward, each with the mention to mark.

In order, up to ``max_targets`` per statement (``stance.max_targets``):

1. the parties named in the statement's content, in text order;
2. those named elsewhere in its sentences, outside the speaker's own noun phrase ("Kenya's
   president" names the speaker's party, not a target);
3. the article's main parties (:func:`main_parties`: the ``stance.main_parties`` most mentioned,
   never more), wherever they are, by their mention nearest before the statement, else after it.

The speaker's own party is a target only when the content names it; a speaker is never its own
target. The look-ups go through one :class:`PartyIndex` per document (every party's mentions in
one sorted list), so a statement costs the log of the article's mentions plus what it names, not
the number of parties: an article of 3,000 statements about 300 parties is linear.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Iterator, Optional

from claimstance.records import Party, Span, Statement

__all__ = ["MAX_TARGETS", "MAIN_PARTIES", "PartyIndex", "main_parties", "statement_targets"]

MAX_TARGETS = 8  # stance.max_targets
MAIN_PARTIES = 2  # stance.main_parties


def main_parties(parties: tuple[Party, ...], top: int = MAIN_PARTIES) -> list[Party]:
    """The parties an article is mostly about: the ``top`` most mentioned with at least two
    mentions, most mentioned first; on a tie, the one named first (``parties`` is in order of
    first mention). Never more than ``top``, however many are tied."""
    ranked = sorted((p for p in parties if len(p.mentions) >= 2), key=lambda p: -len(p.mentions))  # stable
    return ranked[:top]


class PartyIndex:
    """Every mention of a document's parties, sorted by start, for range look-ups in O(log n)."""

    def __init__(self, parties: tuple[Party, ...]):
        pairs = sorted(((m, p) for p in parties for m in p.mentions), key=lambda x: (x[0].start, x[0].end))
        self.spans = [m for m, _ in pairs]
        self.parties = [p for _, p in pairs]
        self.starts = [m.start for m in self.spans]
        self._by_party: dict[str, list[Span]] = {}
        for m, p in pairs:
            self._by_party.setdefault(p.name, []).append(m)

    def inside(self, lo: int, hi: int) -> Iterator[tuple[Party, Span]]:
        """(party, mention) of the mentions within ``[lo, hi)``, in text order."""
        for i in range(bisect_left(self.starts, lo), bisect_left(self.starts, hi)):
            if self.spans[i].end <= hi:
                yield self.parties[i], self.spans[i]

    def last_before(self, name: str, lo: int, ok) -> Optional[Span]:
        spans = self._by_party.get(name, [])
        for i in range(bisect_left(spans, lo, key=_start) - 1, -1, -1):
            if spans[i].end <= lo and ok(spans[i]):
                return spans[i]
        return None

    def first_after(self, name: str, hi: int, ok) -> Optional[Span]:
        spans = self._by_party.get(name, [])
        for m in spans[bisect_left(spans, hi, key=_start):]:
            if ok(m):
                return m
        return None


def _start(span: Span) -> int:
    return span.start


def statement_targets(statement: Statement, parties: tuple[Party, ...], region: tuple[int, int],
                      main: Optional[list[Party]] = None, index: Optional[PartyIndex] = None,
                      max_targets: int = MAX_TARGETS) -> list[tuple[Party, Span]]:
    """The parties a statement's speaker may hold a stance toward, each with the mention to mark,
    in the order of the module's rule, at most ``max_targets``.

    ``region``: the statement's sentences; ``main``: the article's main parties
    (:func:`main_parties`); ``index``: the document's :class:`PartyIndex`, built once per document."""
    content = statement.content
    speaker = statement.speaker
    mention = speaker.mention if speaker else None
    index = index if index is not None else PartyIndex(parties)
    members = set(speaker.members) | {speaker.name} if speaker is not None else set()

    def free(m: Span) -> bool:
        return not (mention is not None and m.start < mention.end and mention.start < m.end)

    out: list[tuple[Party, Span]] = []
    seen: set[str] = set()

    def add(party: Party, m: Span) -> None:
        if party.name not in seen and party.name not in members and len(out) < max_targets:
            seen.add(party.name)
            out.append((party, m))

    for party, m in index.inside(content.start, content.end):
        add(party, m)
    own = speaker.party if speaker is not None else None
    for party, m in index.inside(*region):
        if party.name != own and free(m):
            add(party, m)
    for party in main or ():
        if len(out) >= max_targets:
            break
        if party.name in seen or party.name in members or party.name == own:
            continue
        near = index.last_before(party.name, region[0], free) or index.first_after(party.name, region[1], free)
        if near is not None:
            add(party, near)
    return out
