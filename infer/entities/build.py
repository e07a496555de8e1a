"""Named entities of an article, normalised and clustered: people, countries and organisations.

Built from spaCy NER (PERSON, GPE, NORP, ORG, FAC, LOC) plus gazetteer names spaCy misses,
government bodies written in lower case ("the Indian foreign ministry") and known surnames spaCy
did not tag. GPE/NORP/capitals become countries; a seat of government ("the Kremlin", "White
House") and a state body ("Pakistan's Ministry of Foreign Affairs") are organisations that keep
their own name, with the country as party; ORG goes through the organisation aliases; one person
written several ways ("Luiz Inácio Lula da Silva" / "President Lula" / "Lula") becomes one entity
(people: ``people.py``). Precision comes before recall: a capital used as a location ("flew to
Washington"), a country name that here names a region of another country (:func:`regions_here`:
"Georgia voters" in a text that names the United States and not Georgia's capital or demonym,
unless coordinated with a country) and an ambiguous word ("Turkey sandwiches", "a Chad he knew")
are left out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Optional

from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.entities.people import (
    Mention, cluster_people, compatible_names, country_mention, dominant_country, left_modifiers, person_mention,
    person_party, pronoun_gender,
)
from claimstance.infer.entities.titles import is_title_token
from claimstance.infer.text.units import credit_ranges, doc_text, in_ranges
from claimstance.infer.words import (
    BODY_NOUNS, GROUP_NOUNS, HONORIFICS, LOCATIVE_PREPS, MOTION_VERBS, NOISE, ORG_HEADS, ORG_NOUNS, PLACE_HEADS,
    PORTFOLIO_HEADS, POSSESSIVE_DETS, TITLE_WORDS,
)
from claimstance.records import Span

LABELS = ("PERSON", "GPE", "NORP", "ORG", "FAC", "LOC")
NUMERIC_LABELS = {"CARDINAL", "ORDINAL", "DATE", "TIME", "QUANTITY", "MONEY", "PERCENT"}
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

    def __iter__(self):
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)


def build_entities(doc, gazetteer: Optional[Gazetteer] = None) -> EntityIndex:
    """Entities of a parsed spaCy ``Doc`` (needs the parser and NER)."""
    gaz = gazetteer or Gazetteer.default()
    text = doc_text(doc)  # Doc.text rebuilds the string on every call
    found = gaz.scan(text)
    tokens = list(doc)  # one pass: iterating a Doc builds new Token objects every time
    regions = regions_here(found)
    mentions: list[Mention] = []
    # token ranges of names spaCy or we have used: no country inside "South China Sea" or a film title
    held = _Held(len(doc))
    for ent in doc.ents:
        if ent.label_ not in NUMERIC_LABELS:
            held.append((ent.start, ent.end))
    ambiguous: list[Mention] = []
    maybe_people: list[tuple[int, int, Optional[Mention]]] = []  # ORG/GPE spans that may be surnames

    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        s, e = _trim(doc, ent.start, ent.end)
        if s >= e or _noise(doc[s:e].text) or _dateline(text, doc[s].idx, doc[e - 1].idx + len(doc[e - 1])):
            continue
        parts = gaz.only_names(doc[s:e].text, doc[s].idx) if ent.label_ != "PERSON" and e - s > 1 else []
        if len(parts) > 1:  # "Amnesty International and Human Rights Watch"; "U.S. State Department" is one
            one = len({p.name for p in parts}) == 1
            mentions += [_gazetteer_mention(doc[s].idx if one else p.start, doc[e - 1].idx + len(doc[e - 1]) if one else p.end,
                                            text, p, gaz)
                         for p in ([next((p for p in parts if "body" in p.flags), parts[0])] if one else parts)]
            continue
        if ent.label_ == "PERSON":
            m = person_mention(doc, text, s, e, gaz, ORG_NOUNS)
        else:
            m = _place_or_org(doc, s, e, ent.label_, gaz, regions)
            if (m is None or m.generic) and e - s <= 4 and all(t.text[:1].isupper() for t in doc[s:e]):
                if s > 0 and doc[s - 1].lower_.rstrip(".") in TITLE_WORDS | HONORIFICS:
                    m = person_mention(doc, text, s, e, gaz, ORG_NOUNS)  # "Chancellor Olaf Scholz" tagged ORG
                else:
                    maybe_people.append((s, e, m))
        if m is not None and m.type == "ambiguous":
            ambiguous.append(m)
        elif m is not None:
            mentions.append(m)

    _add_gazetteer_only(doc, found, gaz, mentions, held)
    _add_bodies(doc, tokens, gaz, mentions, held)
    _add_short_forms(doc, tokens, text, gaz, mentions, held)
    names = {m.tokens for m in mentions if m.type == "person"}
    for s, e, org in maybe_people:  # spaCy's ORG "Lavrov" after PERSON "Sergei Lavrov"
        words = tuple(t.text for t in doc[s:e])
        if any(compatible_names(words, n) for n in names):
            m = person_mention(doc, text, s, e, gaz, ORG_NOUNS)
            if m is not None and m.type == "person":
                mentions.append(m)
                if org is not None:
                    mentions.remove(org)
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
            m.subject = span is not None and len(span) > 0 and _venue(span.root)
    skip = credit_ranges(text)
    skip_starts = [a for a, _ in skip]
    mentions = sorted((m for m in mentions if not in_ranges(skip, skip_starts, m.start)), key=lambda m: (m.start, -m.end))
    return EntityIndex(_assemble(doc, tokens, text, mentions))


# ---------------------------------------------------------------- mention builders
def _trim(doc, s: int, e: int) -> tuple[int, int]:
    """Drop leading determiners/punctuation and trailing possessives/punctuation."""
    while s < e and (doc[s].pos_ in ("DET", "PUNCT", "SPACE") or doc[s].lower_ == "the"):
        s += 1
    while e > s and (doc[e - 1].pos_ in ("PUNCT", "SPACE", "PART") or doc[e - 1].text in ("'s", "\u2019s", "'")):
        e -= 1
    return s, e


def _dateline(text: str, start: int, end: int) -> bool:
    """An all-caps place opening a line before a dash, comma or bracket ("ZAGREB —", "BEIJING (Reuters)")."""
    after = text[end : end + 3].strip()[:1]
    return text[start:end].isupper() and (start == 0 or text[start - 1] == "\n") and after != "" and after in "—–-,("


def _noise(t: str) -> bool:
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


def _venue(tok) -> bool:
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


def _place_or_org(doc, s: int, e: int, label: str, gaz: Gazetteer, regions: set[str]) -> Optional[Mention]:
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
    head = root.lemma_.lower()
    core_end = e
    if e + 1 < len(doc) and doc[e].lower_ == "in" and doc[e + 1].ent_type_ == "GPE" and head in ("embassy", "consulate", "mission"):
        e += 2
        while e < len(doc) and doc[e].ent_iob_ == "I":
            e += 1
    party = gaz.party_in_phrase(doc[left:e].text)
    core = [t.lower_ for t in doc[left:core_end] if t.text not in ("'s", "\u2019s") and not (t.i < root.i and gaz.lookup(t.text))]
    if not core or (party is None and doc[left:core_end].text.islower()):
        return None  # "the ministry": the speaker chain's business, not a named entity
    start, end = doc[left].idx, doc[e - 1].idx + len(doc[e - 1])
    return Mention(start, end, "organisation", " ".join(doc[left:e].text.split()),
                    titles=[head] if head in BODY_NOUNS else [], party=party, kind="government",
                    key=f"{party}|{' '.join(core)}")


class _Held:
    """Token positions already claimed by a mention, as a mask: a look-up costs the span's
    length, not the number of mentions (long articles stay linear)."""

    def __init__(self, n_tokens: int):
        self.mask = bytearray(n_tokens)

    def append(self, span: tuple[int, int]) -> None:
        s, e = span
        self.mask[s:e] = b"\x01" * (e - s)


def _overlaps(held: _Held, s: int, e: int) -> bool:
    return any(held.mask[s:e])


def _gazetteer_mention(start: int, end: int, text: str, match, gaz: Gazetteer) -> Mention:
    """A country or organisation the gazetteer names (a seat of government becomes a state body)."""
    if match.type == "country":
        return country_mention(start, end, text[start:end], match.name, match.flags)
    return Mention(start, end, match.type, match.name, party=gaz.party_of_org(match.name), kind=match.kind)


def _add_gazetteer_only(doc, found, gaz: Gazetteer, mentions: list[Mention], held: list) -> None:
    """Country and organisation names spaCy did not tag ("Pentagon" read as a common noun, "EU" missed)."""
    for m in found:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if m.flags & {"gpe", "ambiguous"} or span is None or _overlaps(held, span.start, span.end):
            continue
        if len(m.text) <= 3 and _caps_run(doc, span.start, span.end):
            continue  # an all-caps headline ("TELL US WHY")
        mentions.append(_gazetteer_mention(m.start, m.end, doc_text(doc), m, gaz))
        held.append((span.start, span.end))


def _add_bodies(doc, tokens, gaz: Gazetteer, mentions: list[Mention], held: list) -> None:
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


def _add_short_forms(doc, tokens, text: str, gaz: Gazetteer, mentions: list[Mention], held: list) -> None:
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
    people = cluster_people([m for m in mentions if m.type == "person"])
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
