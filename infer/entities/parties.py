"""The parties stage: the countries, organisations and people an article is about.

Parties are built from an ``EntityIndex`` and ordered by first mention under any alias. A
government is its country: a state body ("the Kremlin", "Pakistan's Ministry of Foreign Affairs",
"Chinese Embassy in Nairobi") folds into its country, as an organ folds into its organisation
("European Commission" -> European Union), except a body named alone in a domestic article
(:func:`_folds`: "Judicial Watch sued the State Department" names no other country twice). People are
parties when the article talks about them, not only when they act or speak: at least one mention
is not the subject of its clause ("accused Ruto's government", "thanked Lula"), or is in another
speaker's words ('"Should Rubio win Florida ...," Cillizza wrote': Rubio is Cillizza's topic); a
country only ever named as a venue ("meeting in Italy"), or an organisation only ever cited as one
("took the matter to the International Court of Justice", "a proposal to the UN decolonisation
committee"), is not one. News agencies credited for the story are entities but not parties. The
speaker-to-party link is ``Entity.party``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Iterable, Optional

from claimstance.records import Party, Span, Statement

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
    statements: Iterable[Statement] = (),
) -> tuple[Party, ...]:
    """Parties of an article, ordered by first mention.

    ``types`` limits the party types (default: countries, organisations and people);
    ``min_mentions`` drops parties named fewer times; ``include_media`` keeps news agencies;
    ``people`` is "discussed" (default), "all" or "none"; ``statements``: the article's attributed
    statements, whose contents make the people they name discussed.
    """
    if people not in PEOPLE:
        raise ValueError(f"people must be one of {PEOPLE}, got {people!r}")
    wanted = set(types) if types is not None else set(PARTY_TYPES)
    gaz = gazetteer or Gazetteer.default()
    merged: dict[str, tuple[str, list[Span]]] = {}
    spoken = _spoken_about(index, statements) if people == "discussed" else set()
    named: Counter = Counter()
    for e in index.entities:
        if (e.type == "country" and e.discussed) or (e.kind == "government" and e.party):
            named[e.party or e.name] += len(e.mentions)
    for ent in index.entities:
        target = _party_of(replace(ent, discussed=True) if ent.id in spoken else ent, include_media, people,
                           _folds(ent, gaz, named))
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


def _spoken_about(index: EntityIndex, statements: Iterable[Statement]) -> set[str]:
    """Ids of the people named in a statement's content whose speaker is someone else."""
    out: set[str] = set()
    for st in statements:
        speaker = st.speaker.name if st.speaker is not None else None
        for ent in index.entities_within(st.content.start, st.content.end):
            if ent.type == "person" and ent.name != speaker:
                out.add(ent.id)
    return out


def _folds(ent: Entity, gaz: Gazetteer, named: Counter) -> bool:
    """Whether a state body stands for its country: its name says whose it is ("Pakistan's Ministry
    of Foreign Affairs", "the Indian foreign ministry"), or the article is about relations between
    countries: another country is named twice or more, or as often as the body's own (``named``:
    the mentions of each discussed country and of its state bodies). Named alone in a domestic
    article ("Judicial Watch sued the State Department"), it is an actor of its own."""
    if ent.kind != "government" or ent.party is None:
        return False
    if any(n >= 2 or n >= named[ent.party] for country, n in named.items() if country != ent.party):
        return True
    return any(m.name == ent.party and "body" not in m.flags for span in ent.mentions for m in gaz.scan(span.text))


def _party_of(ent: Entity, include_media: bool, people: str, folds: bool = True) -> Optional[str]:
    """The party an entity counts for, or None when it is not a party."""
    if ent.type == "person":
        return ent.name if people == "all" or (people == "discussed" and ent.discussed) else None
    if ent.type == "country":
        return ent.name if ent.discussed else None  # only ever a venue ("meeting in Italy")
    if ent.kind == "media":
        return ent.name if include_media else None
    if ent.kind == "government":
        if ent.party is None:
            return None  # a state body of an unnamed state is not a party
        return ent.party if folds else ent.name
    if not ent.discussed:
        return None  # only ever a venue ("took the matter to the International Court of Justice")
    if ent.kind == "io" and ent.party:
        return ent.party  # an organ of an organisation
    return ent.name
