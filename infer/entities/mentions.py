"""Mentions of countries, organisations and state bodies in a parsed article, before clustering.

From spaCy's entities through the gazetteer (:func:`place_or_org`), plus what spaCy misses: gazetteer
names it did not tag, government bodies written in lower case ("the Indian foreign ministry") and
short forms of names given in full before ("Ruto" after "William Ruto", "the Commission" after
"European Commission"). People are ``people.py``'s; clustering and the index are ``build.py``'s.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Optional

from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.entities.people import Mention, compatible_names, country_mention, left_modifiers, person_mention
from claimstance.infer.entities.titles import is_title_token
from claimstance.infer.text.units import doc_text
from claimstance.infer.words import (
    BODY_NOUNS, LOCATIVE_PREPS, MOTION_VERBS, NAME_PARTICLES, NOISE, ORG_HEADS, ORG_NOUNS, PERSON_BODIES, PLACE_HEADS, PORTFOLIO_HEADS, POSSESSIVE_DETS,
)

__all__ = ["Held", "add_bodies", "add_person_bodies", "add_gazetteer_only", "add_short_forms", "dateline", "gazetteer_mention", "noise",
           "place_or_org", "regions_here", "trim", "venue"]


_FUNCTION_POS = ("ADP", "CCONJ", "DET", "PART")  # what a trimmed name may not end on


def trim(doc, s: int, e: int) -> tuple[int, int]:
    """Drop leading determiners/punctuation and trailing possessives/punctuation; then the common
    words a tagged span runs into ("of thousands of new Clinton State Department", "Rubio 68
    percent"), unless what is left would end on a function word ("Group of 77")."""
    while s < e and (doc[s].pos_ in ("DET", "PUNCT", "SPACE") or doc[s].lower_ == "the"):
        s += 1
    while e > s and (doc[e - 1].pos_ in ("PUNCT", "SPACE", "PART") or doc[e - 1].text in ("'s", "\u2019s", "'")):
        e -= 1
    s2, e2 = s, e
    while s2 < e2 and _common(doc[s2]) and doc[s2].whitespace_:  # never inside a word ("Ji-hoon")
        s2 += 1
    while e2 > s2 + 1 and _common(doc[e2 - 1]) and doc[e2 - 1].pos_ not in _FUNCTION_POS and doc[e2 - 2].whitespace_:
        e2 -= 1
    if s2 < e2 and doc[s2].text[:1].isupper() and doc[e2 - 1].pos_ not in _FUNCTION_POS:
        return s2, e2
    return s, e


def _common(tok) -> bool:
    """A word of running text, not of a name: lower case or digits ("68", "percent"; not "Seven"),
    and not a name particle."""
    first = tok.text[:1]
    return (first.islower() or first.isdigit()) and tok.lower_ not in NAME_PARTICLES and (tok.pos_ != "PROPN" or tok.like_num)


def dateline(text: str, start: int, end: int) -> bool:
    """An all-caps place opening a line before a dash, comma or bracket ("ZAGREB —", "BEIJING (Reuters)")."""
    after = text[end : end + 3].strip()[:1]
    return text[start:end].isupper() and (start == 0 or text[start - 1] == "\n") and after != "" and after in "—–-,("


def noise(t: str) -> bool:
    t = t.strip()
    return (not t or "\n" in t or "http" in t or "@" in t or t.lower() in NOISE or not any(c.isalpha() for c in t)
            or (t.islower() and " " not in t) or len(t.split()) > 10)


def _locative(tok) -> bool:
    """Whether a place name is used as a location, not an actor ("in Beijing", "flew to Washington")."""
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    if (tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS) or (tok.dep_ == "dobj" and tok.head.lemma_ in MOTION_VERBS):
        return True
    return tok.i + 2 < len(tok.doc) and tok.nbor(1).text == "-" and tok.nbor(2).lower_ == "based"


def venue(tok) -> bool:
    """Whether an organisation is named as a place ("a proposal to the UN decolonisation committee",
    "take the matter to the International Court of Justice"), not as an actor or addressee."""
    while tok.dep_ in ("compound", "amod", "nmod", "poss") and tok.head.i != tok.i:
        tok = tok.head
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in LOCATIVE_PREPS | {"before"}:
        return False
    return not (prep.lower_ == "to" and prep.head.lower_ == "according")


def regions_here(found) -> set[str]:
    """Country names that, in this text, name a region of another country: a name the lexicon flags
    ``region_of:<country>`` ("Georgia", a US state too) when the text names that other country and
    names this one no other way (no demonym, capital or other alias: "Georgian", "Tbilisi")."""
    named = {m.name for m in found if "gpe" not in m.flags}  # not only as a capital (a location, often)
    out = set()
    for m in found:
        other = next((f.partition(":")[2] for f in m.flags if f.startswith("region_of:")), None)
        if other in named and not any(o.name == m.name and not _region_flag(o.flags) for o in found):
            out.add(m.name)
    return out


def _region_flag(flags) -> bool:
    return any(f.startswith("region_of:") for f in flags)


def _with_a_country(tok, gaz: Gazetteer) -> bool:
    """Whether a name is coordinated with a country's ("invasions of Georgia and Ukraine")."""
    near = [c for c in tok.children if c.dep_ == "conj"] + ([tok.head] if tok.dep_ == "conj" else [])
    return any(gaz.country_of(t.text, "GPE") for t in near)


def place_or_org(doc, s: int, e: int, label: str, gaz: Gazetteer, regions: set[str]) -> Optional[Mention]:
    span = doc[s:e]
    start, end, name = span.start_char, span.end_char, span.text
    alias = gaz.lookup(name)
    if alias is not None and alias.type and not gaz.label_ok(alias, label):
        return None  # a capital tagged ORG ("Washington said"), an ambiguous name tagged FAC
    if alias is not None and alias.type:
        if ("gpe" in alias.flags and _locative(span.root)) or (len(name) <= 3 and _caps_run(doc, s, e)):
            return None  # "flew to Washington"; "FOR US ALL"
        if "ambiguous" in alias.flags and (
            (span.root.is_sent_start and span.root.dep_ in ("compound", "npadvmod", "ROOT", "dep", "intj"))  # "Turkey sandwiches"
            or (s > 0 and doc[s - 1].lower_ in POSSESSIVE_DETS)  # "a Chad he knew"
            or (alias.name in regions and not _with_a_country(span.root, gaz))  # "a congressman from Georgia"
        ):
            return None
        if alias.type == "country":
            return country_mention(start, end, name, alias.name, alias.flags, subject=_locative(span.root))
        return Mention(start, end, "organisation", alias.name, party=gaz.party_of_org(alias.name), kind=alias.kind)
    if label != "ORG" or all(is_title_token(t.text) for t in span):
        return None  # a city or region; a bare title tagged ORG ("State")
    if span.root.dep_ == "compound" and span.root.head.lower_ in PORTFOLIO_HEADS:
        return None  # part of a title: "Commerce Secretary", "Senate Majority Leader"
    head = span.root.lemma_.lower()
    if head in PLACE_HEADS:
        return None  # a facility or place tagged ORG ("Grand Ethiopian Renaissance Dam")
    if head in BODY_NOUNS or name.islower():
        return _body(doc, s, e, gaz)
    party = gaz.party_in_phrase(doc[left_modifiers(doc, s) : e].text)
    return Mention(start, end, "organisation", name, titles=[head] if head in ORG_HEADS else [], party=party, generic=True)


def _caps_run(doc, s: int, e: int) -> bool:
    """Whether the span sits in an all-caps run (a headline), where "US" may be the pronoun."""
    near = [t for t in doc[max(0, s - 2) : e + 2] if t.is_alpha]
    return len(near) > len(doc[s:e]) + 1 and all(t.is_upper for t in near)


def _body(doc, s: int, e: int, gaz: Gazetteer) -> Optional[Mention]:
    """A government body, named as first given ("Pakistan's Ministry of Foreign Affairs", "Chinese
    Embassy in Nairobi"), with its country as party; merged on (party, the words that are not the country)."""
    left, root = left_modifiers(doc, s), doc[s:e].root
    while left < s and _common(doc[left]) and doc[left].whitespace_:
        left += 1  # "a cache of thousands of new State Department records"
    head = root.lemma_.lower()
    core_end = e
    if e + 1 < len(doc) and doc[e].lower_ == "in" and doc[e + 1].ent_type_ == "GPE" and head in ("embassy", "consulate", "mission"):
        e += 2
        while e < len(doc) and doc[e].ent_iob_ == "I":
            e += 1
    party = gaz.party_in_phrase(doc[left:e].text)
    core = [t.lower_ for t in doc[left:core_end] if t.text not in ("'s", "\u2019s") and not (t.i < root.i and gaz.lookup(t.text))
            and not (t.i + 1 < len(doc) and doc[t.i + 1].text in ("'s", "\u2019s"))]  # nor its owner ("Obama's")
    if not core or (party is None and doc[left:core_end].text.islower()):
        return None  # "the ministry": the speaker chain's business, not a named entity
    start, end = doc[left].idx, doc[e - 1].idx + len(doc[e - 1])
    return Mention(start, end, "organisation", " ".join(doc[left:e].text.split()),
                    titles=[head] if head in BODY_NOUNS else [], party=party, kind="government",
                    key=f"{party}|{' '.join(core)}")


class Held:
    """Token positions already claimed by a mention, as a mask: a look-up costs the span's
    length, not the number of mentions (long articles stay linear)."""

    def __init__(self, n_tokens: int):
        self.mask = bytearray(n_tokens)

    def append(self, span: tuple[int, int]) -> None:
        s, e = span
        self.mask[s:e] = b"\x01" * (e - s)


def _overlaps(held: Held, s: int, e: int) -> bool:
    return any(held.mask[s:e])


def gazetteer_mention(start: int, end: int, text: str, match, gaz: Gazetteer) -> Mention:
    """A country or organisation the gazetteer names (a seat of government becomes a state body)."""
    if match.type == "country":
        return country_mention(start, end, text[start:end], match.name, match.flags)
    return Mention(start, end, match.type, match.name, party=gaz.party_of_org(match.name), kind=match.kind)


def add_gazetteer_only(doc, found, gaz: Gazetteer, mentions: list[Mention], held: Held) -> None:
    """Country and organisation names spaCy did not tag ("Pentagon" read as a common noun, "EU" missed)."""
    for m in found:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if m.flags & {"gpe", "ambiguous"} or span is None or _overlaps(held, span.start, span.end):
            continue
        if len(m.text) <= 3 and _caps_run(doc, span.start, span.end):
            continue  # an all-caps headline ("TELL US WHY")
        mentions.append(gazetteer_mention(m.start, m.end, doc_text(doc), m, gaz))
        held.append((span.start, span.end))


def add_bodies(doc, tokens, gaz: Gazetteer, mentions: list[Mention], held: Held) -> None:
    """Lower-case government bodies with a country modifier ("the Indian foreign ministry")."""
    for tok in tokens:
        if tok.lemma_.lower() not in BODY_NOUNS or _overlaps(held, tok.i, tok.i + 1):
            continue
        if tok.dep_ in ("compound", "amod", "nmod") and tok.head.i > tok.i or (
                tok.i + 1 < len(doc) and doc[tok.i + 1].dep_ == "compound" and doc[tok.i + 1].head.i == tok.head.i):
            continue  # "foreign ministry spokesman": a modifier, not the speaker
        if tok.i + 1 < len(doc) and doc[tok.i + 1].ent_type_ and doc[tok.i + 1].pos_ == "PROPN":
            continue  # "state news agency KCNA": the name that follows is the entity
        m = _body(doc, tok.i, tok.i + 1, gaz)
        if m is not None and m.party:
            held.append((tok.i, tok.i + 1))
            mentions.append(m)


def add_short_forms(doc, tokens, text: str, gaz: Gazetteer, mentions: list[Mention], held: Held) -> None:
    """Short forms spaCy did not tag: a known person's surname ("Ruto said" after "William Ruto"), the
    last word of an organisation named in full before ("a Commission spokesperson" after "European Commission")."""
    people = [m for m in mentions if m.type == "person"]
    surnames = {m.tokens[-1] for m in people if len(m.tokens) > 1 and len(m.tokens[-1]) > 2}
    # a short form the text itself uses alone ("President Lula") for a longer name ("Luiz Inácio Lula da Silva")
    surnames |= {m.tokens[0] for m in people if len(m.tokens) == 1 and len(m.tokens[0]) > 2
                 and any(len(o.tokens) > 1 and compatible_names(m.tokens, o.tokens) for o in people)}
    orgs = {}
    for m in mentions:
        last = m.name.split()[-1]
        if m.type == "organisation" and " " in m.name and len(last) > 3 and last[0].isupper() \
                and not gaz.lookup(last) and not is_title_token(last):
            orgs.setdefault(last, m)
    for tok in tokens:
        if tok.pos_ != "PROPN" or tok.ent_type_ or _overlaps(held, tok.i, tok.i + 1):
            continue
        m = None
        if tok.text in surnames:
            m = person_mention(doc, text, tok.i, tok.i + 1, gaz, ORG_NOUNS)
        elif tok.text in orgs and orgs[tok.text].start < tok.idx:
            full = orgs[tok.text]
            m = Mention(tok.idx, tok.idx + len(tok), "organisation", full.name, party=full.party, kind=full.kind, key=full.key)
        if m is not None and m.type in ("person", "organisation"):
            mentions.append(m)
            held.append((tok.i, tok.i + 1))


def add_person_bodies(doc, mentions: list[Mention]) -> None:
    """An organisation named for a person ("the Trump campaign", "Clinton's campaign", "the Obama
    administration") replaces the person's mention there: it is "Trump campaign", a party of its own
    ("Trump's campaign manager" is a title, not the campaign)."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        j = ent.end + (ent.end < len(doc) and doc[ent.end].text in ("'s", "\u2019s"))
        noun = doc[j] if j < len(doc) else None
        if noun is None or noun.lower_ not in PERSON_BODIES or noun.tag_ != "NN" or noun.dep_ == "compound":
            continue
        s, e = trim(doc, ent.start, ent.end)  # only for the few names before such a noun
        if s < e and doc[e - 1].text[:1].isupper():
            found.append(Mention(doc[s].idx, noun.idx + len(noun), "organisation", f"{doc[e - 1].text} {noun.lower_}"))
    if found:  # one pass over the mentions: those inside a found name give way to it
        starts = [m.start for m in found]
        mentions[:] = [m for m in mentions if not _inside_any(m, found, starts)] + found


def _inside_any(m: Mention, found: list[Mention], starts: list[int]) -> bool:
    i = bisect_right(starts, m.start) - 1  # found names never overlap each other: the one starting last before m
    return any(f.start < m.end and m.start < f.end for f in found[max(0, i) : i + 2])
