"""The parties stage: the countries, organisations and people an article is about.

Parties are built from an ``EntityIndex`` and ordered by first mention under any alias. A
government is its country: the metonyms ("the Kremlin") already are, and a state body
("Pakistan's Ministry of Foreign Affairs", "Chinese Embassy in Nairobi") folds into its country,
as an organ folds into its organisation ("European Commission" -> European Union). People are
parties when the article talks about them, not only when they act or speak: at least one mention
is not the subject of its clause ("accused Ruto's government", "thanked Lula"); a country only ever
named as a venue ("meeting in Italy"), or an organisation only ever cited as one ("took the matter
to the International Court of Justice", "a proposal to the UN decolonisation committee"), is not one. News agencies credited for the story are entities
but not parties. The speaker-to-party link is ``Entity.party``.
"""

from __future__ import annotations

from typing import Iterable, Optional

from claimstance.records import Party, Span

from claimstance.infer.entities.build import Entity, EntityIndex
from claimstance.infer.entities.gazetteer import Gazetteer

PARTY_TYPES = ("country", "organisation", "person")
PEOPLE = ("discussed", "all", "none")


def find_parties(
    index: EntityIndex,
    types: Optional[Iterable[str]] = None,
    min_mentions: int = 1,
    include_media: bool = False,
    people: str = "discussed",
    gazetteer: Optional[Gazetteer] = None,
) -> tuple[Party, ...]:
    """Parties of an article, ordered by first mention.

    ``types`` limits the party types (default: countries, organisations and people);
    ``min_mentions`` drops parties named fewer times; ``include_media`` keeps news agencies;
    ``people`` is "discussed" (default), "all" or "none".
    """
    if people not in PEOPLE:
        raise ValueError(f"people must be one of {PEOPLE}, got {people!r}")
    wanted = set(types) if types is not None else set(PARTY_TYPES)
    gaz = gazetteer or Gazetteer.default()
    merged: dict[str, tuple[str, list[Span]]] = {}
    for ent in index.entities:
        target = _party_of(ent, include_media, people)
        if target is None:
            continue
        if target == ent.name:
            typ = ent.type
        else:  # a folded body: the party keeps its own type
            other = index.by_name(target)
            typ = other.type if other is not None and other.name == target else (
                "country" if gaz.country_of(target) == target else "organisation")
        spans = merged.setdefault(target, (typ, []))[1]
        spans.extend(m for m in ent.mentions if not any(m.start < o.end and o.start < m.end for o in spans))
    out = []
    for name, (typ, spans) in merged.items():
        spans.sort(key=lambda m: (m.start, m.end))
        if typ in wanted and len(spans) >= min_mentions:
            out.append(Party(name=name, mentions=tuple(spans), type=typ))
    out.sort(key=lambda p: (p.mentions[0].start, p.mentions[0].end))
    return tuple(out)


def _party_of(ent: Entity, include_media: bool, people: str) -> Optional[str]:
    """The party an entity counts for, or None when it is not a party."""
    if ent.type == "person":
        return ent.name if people == "all" or (people == "discussed" and ent.discussed) else None
    if ent.type == "country":
        return ent.name if ent.discussed else None  # only ever a venue ("meeting in Italy")
    if ent.kind == "media":
        return ent.name if include_media else None
    if ent.kind == "government":
        return ent.party  # a state body of an unnamed state is not a party
    if not ent.discussed:
        return None  # only ever a venue ("took the matter to the International Court of Justice")
    if ent.kind == "io" and ent.party:
        return ent.party  # an organ of an organisation
    return ent.name
