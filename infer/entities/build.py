"""Named entities of an article, normalised and clustered: people, countries and organisations.

Built from spaCy NER (PERSON, GPE, NORP, ORG, FAC, LOC) plus gazetteer names spaCy misses,
government bodies written in lower case ("the Indian foreign ministry") and known surnames spaCy
did not tag. GPE/NORP/capitals become countries; a seat of government ("the Kremlin", "White
House") and a state body ("Pakistan's Ministry of Foreign Affairs") are organisations that keep
their own name, with the country as party; ORG goes through the organisation aliases; one person
written several ways ("Luiz Inácio Lula da Silva" / "President Lula" / "Lula") becomes one entity
(people: ``people.py``; the other mentions: ``mentions.py``; the index: ``index.py``). Precision comes before recall: a capital used as a location ("flew to
Washington"), a country name that here names a region of another country (:func:`regions_here`:
"Georgia voters" in a text that names the United States and not Georgia's capital or demonym,
unless coordinated with a country) and an ambiguous word ("Turkey sandwiches", "a Chad he knew")
are left out.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.entities.index import Entity, EntityIndex
from claimstance.infer.entities.mentions import (
    Held, add_bodies, add_gazetteer_only, add_person_bodies, add_short_forms, dateline, gazetteer_mention, noise, place_or_org,
    regions_here, trim, venue,
)
from claimstance.infer.entities.people import (
    Mention, cluster_people, compatible_names, dominant_country, person_mention, person_party, pronoun_gender,
)
from claimstance.infer.entities.titles import is_title_token
from claimstance.infer.text.furniture import credit_ranges
from claimstance.infer.text.units import doc_text, in_ranges
from claimstance.infer.words import HONORIFICS, ORG_NOUNS, TITLE_WORDS
from claimstance.records import Span

__all__ = ["Entity", "EntityIndex", "build_entities"]

LABELS = ("PERSON", "GPE", "NORP", "ORG", "FAC", "LOC")
NUMERIC_LABELS = {"CARDINAL", "ORDINAL", "DATE", "TIME", "QUANTITY", "MONEY", "PERCENT"}


def build_entities(doc, gazetteer: Optional[Gazetteer] = None) -> EntityIndex:
    """Entities of a parsed spaCy ``Doc`` (needs the parser and NER)."""
    gaz = gazetteer or Gazetteer.default()
    text = doc_text(doc)  # Doc.text rebuilds the string on every call
    found = gaz.scan(text)
    tokens = list(doc)  # one pass: iterating a Doc builds new Token objects every time
    regions = regions_here(found)
    mentions: list[Mention] = []
    # token ranges of names spaCy or we have used: no country inside "South China Sea" or a film title
    held = Held(len(doc))
    for ent in doc.ents:
        if ent.label_ not in NUMERIC_LABELS:
            held.append((ent.start, ent.end))
    ambiguous: list[Mention] = []
    maybe_people: list[tuple[int, int, Optional[Mention], str]] = []  # ORG/GPE spans that may be surnames

    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        s, e = trim(doc, ent.start, ent.end)
        if s >= e or noise(doc[s:e].text) or dateline(text, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])):
            continue
        parts = gaz.only_names(doc[s:e].text, doc[s].idx) if ent.label_ != "PERSON" and e - s > 1 else []
        if len(parts) > 1:  # "Amnesty International and Human Rights Watch"; "U.S. State Department" is one
            one = len({p.name for p in parts}) == 1
            mentions += [gazetteer_mention(doc[s].idx if one else p.start, doc[e - 1].idx + len(doc[e - 1]) if one else p.end,
                                            text, p, gaz)
                         for p in ([next((p for p in parts if "body" in p.flags), parts[0])] if one else parts)]
            continue
        if ent.label_ == "PERSON":
            m = person_mention(doc, text, s, e, gaz, ORG_NOUNS)
        else:
            m = place_or_org(doc, s, e, ent.label_, gaz, regions)
            if (m is None or m.generic) and e - s <= 4 and all(t.text[:1].isupper() for t in doc[s:e]):
                if s > 0 and doc[s - 1].lower_.rstrip(".") in TITLE_WORDS | HONORIFICS:
                    m = person_mention(doc, text, s, e, gaz, ORG_NOUNS)  # "Chancellor Olaf Scholz" tagged ORG
                else:
                    maybe_people.append((s, e, m, ent.label_))
        if m is not None and m.type == "ambiguous":
            ambiguous.append(m)
        elif m is not None:
            mentions.append(m)

    add_gazetteer_only(doc, found, gaz, mentions, held)
    add_bodies(doc, tokens, gaz, mentions, held)
    add_short_forms(doc, tokens, text, gaz, mentions, held)
    names = {m.tokens for m in mentions if m.type == "person"}
    orgs = [m for m in mentions if m.type == "organisation" and " " in m.name]
    places = {ent.text for ent in doc.ents if ent.label_ == "GPE"}
    for s, e, org, label in maybe_people:  # spaCy's ORG "Lavrov" after PERSON "Sergei Lavrov"
        words = tuple(t.text for t in doc[s:e])
        if any(compatible_names(words, n) for n in names):
            m = person_mention(doc, text, s, e, gaz, ORG_NOUNS)
            if m is not None and m.type == "person":
                mentions.append(m)
                if org is not None:
                    mentions.remove(org)
        elif (org is None or org.generic) and label == "ORG" and len(words) > 1 and doc[s:e].text not in places \
                and (full := _leading_part_of(words, doc[s].idx, orgs)) is not None:
            # "Platte River" after "Platte River Networks"
            if org is not None:
                mentions.remove(org)
            mentions.append(Mention(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), "organisation", full.name,
                                    party=full.party, kind=full.kind, key=full.key))
    add_person_bodies(doc, mentions)
    countries = {m.name for m in mentions if m.type == "country"}
    for m in ambiguous:  # "Jordan" tagged PERSON: a person's name, a country named elsewhere or with a title, or dropped
        after = text[m.end : m.end + 40].split()
        if any(m.name in n for n in names):
            m.type, m.tokens = "person", (m.name,)
            mentions.append(m)
        elif m.name in countries or (text[m.end : m.end + 2] in ("'s", "\u2019s") and len(after) > 1 and is_title_token(after[1])):
            m.type, m.party = "country", m.name
            mentions.append(m)
    for m in mentions:  # an organisation only ever cited as a venue ("back to the International Court of Justice")
        if m.type == "organisation" and m.kind != "government":
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            m.subject = span is not None and len(span) > 0 and venue(span.root)
    skip = credit_ranges(text)
    skip_starts = [a for a, _ in skip]
    mentions = sorted((m for m in mentions if not in_ranges(skip, skip_starts, m.start)), key=lambda m: (m.start, -m.end))
    return EntityIndex(_assemble(doc, tokens, text, mentions))


def _leading_part_of(words: tuple[str, ...], start: int, orgs: list[Mention]) -> Optional[Mention]:
    """The organisation named in full before ``start`` whose name opens with these words and goes on."""
    for m in orgs:
        parts = m.name.split()
        if m.start < start and len(words) < len(parts) and tuple(parts[: len(words)]) == words:
            return m
    return None


def _assemble(doc, tokens, text: str, mentions: list[Mention]) -> tuple[Entity, ...]:
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.type in ("country", "organisation"):
            m.key = m.key or f"{m.type}|{m.name.casefold()}"
            groups.setdefault(m.key, []).append(m)
    for key in [k for k in groups if k.startswith("None|")]:  # "the Foreign Ministry" joins "China's foreign ministry"
        named = [k for k in groups if k.endswith(key[4:]) and not k.startswith("None|")]
        if named:
            groups[named[-1]].extend(groups.pop(key))
    for key in [k for k in groups if len(groups[k]) and groups[k][0].generic]:  # "the Commission" after "European Commission"
        short = groups[key][0].name.casefold()
        longer = [k for k in groups if k != key and (" " + groups[k][0].name.casefold()).endswith(" " + short)
                  and groups[k][0].type == "organisation" and groups[k][0].start < groups[key][0].start]
        if longer:
            groups[longer[-1]].extend(groups.pop(key))
    people = cluster_people([m for m in mentions if m.type == "person"], [sent.start_char for sent in doc.sents])
    parties = sorted((m.start, m.end, m.party) for m in mentions if m.type != "person" and m.party)
    main_country = dominant_country(mentions)
    drafts = []
    for ms in groups.values():
        ms.sort(key=lambda m: m.start)
        first = next((m for m in ms if m.party), ms[0])
        drafts.append((ms, first.name, first.type, first.party, None, first.kind, not all(m.subject for m in ms), None))
    for cluster, by_pronoun in zip(people, pronoun_gender(doc, tokens, text, people)):
        cluster.sort(key=lambda m: m.start)
        longest = max(cluster, key=lambda x: (len(x.tokens), -x.start))
        ref = next((m.ref for m in cluster if m.ref), None)
        party = None if ref else person_party(doc, cluster, parties, main_country)
        gender = next((m.gender for m in cluster if m.gender), None) or by_pronoun
        name = " ".join(text[longest.start : longest.end].split())
        drafts.append((cluster, name, "person", party, gender, None, not all(m.subject for m in cluster), ref))
    drafts.sort(key=lambda d: d[0][0].start)
    out, refs = [], []
    for i, (ms, name, typ, party, gender, kind, discussed, ref) in enumerate(drafts):
        titles = tuple(dict.fromkeys(t for m in ms for t in m.titles))
        spans = tuple(dict.fromkeys(Span.of(text, m.start, m.end) for m in ms))
        out.append(Entity(f"e{i}", name, typ, party, spans, gender, titles, kind, discussed))
        if ref:
            refs.append((i, ref, ms))
    if refs:  # "a spokeswoman for the ministry, Amina Qureshi": the party of the ministry named before
        index = EntityIndex(tuple(out))
        for i, (pos, noun), ms in refs:
            body = index.body_before(pos, noun)
            party = body.party if body is not None else person_party(doc, ms, parties, main_country)
            out[i] = replace(out[i], party=party)
    return tuple(out)
