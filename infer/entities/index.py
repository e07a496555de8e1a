"""The entities of one article and the index the speaker chain and the parties stage read them through.

An :class:`Entity` is one real-world party (a person, a country, an organisation or a state body)
with its canonical name, party, every mention naming it, and what the text shows of it (gender,
titles). :class:`EntityIndex` answers "which entity is named here", "which were named before this
point" and "which body does 'the ministry' refer back to", each in logarithmic time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from claimstance.infer.words import GROUP_NOUNS
from claimstance.records import Span

__all__ = ["Entity", "EntityIndex"]

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Entity:
    id: str  # "e0", "e1", ... in order of first mention
    name: str  # canonical name
    type: str  # "person" | "country" | "organisation"
    party: Optional[str]  # the country/organisation it belongs to; a country's is itself
    mentions: tuple[Span, ...]  # every span naming it (not pronouns), in text order
    gender: Optional[str] = None  # "male" | "female" when the text shows it
    titles: tuple[str, ...] = ()  # role nouns seen with it: "president", "foreign minister", "ministry"
    kind: Optional[str] = None  # organisations: io | ngo | group | media (lexicon), government (a state body)
    discussed: bool = True  # talked about: a person named once other than as a clause subject ("criticised
    # Ruto"), a place named once other than as a location ("meeting in Italy"), an organisation named
    # once other than as a venue ("took the matter to the ICJ")


class EntityIndex:
    """The entities of one text, with lookups by position and by name."""

    def __init__(self, entities: tuple[Entity, ...]):
        self.entities = entities
        pairs = sorted(((m, e) for e in entities for m in e.mentions), key=lambda p: (p[0].start, p[0].end))
        self.mentions: tuple[tuple[Span, Entity], ...] = tuple(pairs)
        self._starts = [m.start for m, _ in pairs]
        self._max_len = max((m.end - m.start for m, _ in pairs), default=0)

    def entity_at(self, start: int, end: int) -> Optional[Entity]:
        """The entity one of whose mentions overlaps ``[start, end)`` most (the tighter one on a tie)."""
        best, best_score = None, 0.0
        lo, hi = bisect.bisect_left(self._starts, start - self._max_len), bisect.bisect_left(self._starts, end)
        for span, ent in self.mentions[lo:hi]:
            overlap = min(end, span.end) - max(start, span.start)
            score = overlap - 0.001 * ((span.end - span.start) - overlap)
            if overlap > 0 and score > best_score:
                best, best_score = ent, score
        return best

    def entities_within(self, start: int, end: int) -> Iterator[Entity]:
        """The entities with a mention inside ``[start, end)`` (once per mention), in text order."""
        for span, ent in self.mentions[bisect.bisect_left(self._starts, start) : bisect.bisect_left(self._starts, end)]:
            if span.end <= end:
                yield ent

    def nearest_before(self, pos: int, types: set[str]) -> Optional[tuple[Span, Entity]]:
        """``mentions_before(pos, types)[0]`` without sorting the text before ``pos``: scanning back
        from ``pos``, no further than a mention could still end nearer."""
        best = None
        for i in range(bisect.bisect_left(self._starts, pos) - 1, -1, -1):
            span, ent = self.mentions[i]
            if best is not None and span.start < best[0].start - self._max_len:
                break  # nothing further back can end nearer
            # ties as the sort breaks them: the later start, then the earlier mention
            if span.end <= pos and ent.type in types \
                    and (best is None or (span.end, span.start) >= (best[0].end, best[0].start)):
                best = (span, ent)
        return best

    def mentions_before(self, pos: int, types: Optional[set[str]] = None) -> list[tuple[Span, Entity]]:
        """Mentions ending at or before ``pos``, nearest first, optionally of the given types."""
        hi = bisect.bisect_left(self._starts, pos)
        out = [p for p in self.mentions[:hi] if p[0].end <= pos and (types is None or p[1].type in types)]
        return sorted(out, key=lambda p: (-p[0].end, -p[0].start))

    def body_before(self, pos: int, noun: str, words: tuple[str, ...] = ()) -> Optional[Entity]:
        """The organisation a definite noun before ``pos`` refers back to ("the ministry", "the foreign
        office", "the bloc"): the nearest one named with that noun, one that also has the phrase's other
        words ("foreign") first; for a group noun ("the bloc", "the alliance"), else the nearest
        organisation that is not a state body. News media are never meant."""
        noun, words = noun.lower(), tuple(w.lower() for w in words)
        orgs = [(span, e) for span, e in self.mentions_before(pos, {"organisation"}) if e.kind != "media"]

        def named(span: Span, e: Entity) -> set[str]:
            return set(_WORD.findall(f"{span.text} {e.name} {' '.join(e.titles)}".lower()))

        with_noun = [e for span, e in orgs if noun in named(span, e)]
        fuller = [e for e in with_noun if words and all(w in named(e.mentions[0], e) for w in words)]
        if fuller or with_noun:
            return (fuller or with_noun)[0]
        if noun in GROUP_NOUNS:  # a company is none of the lexicon's organisations (io, ngo, group)
            business = noun in ("company", "firm")
            return next((e for _, e in orgs if e.kind != "government" and (e.kind is None or not business)), None)
        return None

    def by_name(self, name: str) -> Optional[Entity]:
        """The entity with this canonical name (any case), else one with a mention written this way."""
        folded = name.casefold()
        exact = [e for e in self.entities if e.name == name] or [e for e in self.entities if e.name.casefold() == folded]
        if exact:
            return exact[0]
        return next((e for span, e in self.mentions if span.text.casefold() == folded), None)

    def person_named(self, word: str, before: Optional[int] = None) -> Optional[Entity]:
        """The person whose name ends in ``word`` (a surname where no entity was found: a headline's
        "Jones"): of several, the most mentioned, the last one named before ``before`` on a tie."""
        people = [e for e in self.entities if e.type == "person" and e.name.split()[-1] == word]
        if not people:
            return None

        def last_before(e: Entity) -> int:
            return max((m.start for m in e.mentions if before is None or m.start < before), default=-1)

        return max(people, key=lambda e: (len(e.mentions), last_before(e)))

    def __iter__(self):
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)
