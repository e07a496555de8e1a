"""People in an article: person mentions, one entity per person, gender and party.

Used by ``build.py``, which assembles the entities (places, organisations and state bodies come
from ``mentions.py``). Here:
- ``person_mention``: a PERSON span with its titles and country words stripped ("Kenya's President
  William Ruto" -> "William Ruto"), its party, titles and gender read from the words before it and
  from its appositions ("China's ambassador to the UN, Fu Cong": party China, title ambassador);
- ``cluster_people``: one cluster per person written several ways ("Luiz Inácio Lula da Silva" /
  "President Lula" / "Lula"), never merging across a known gender;
- ``pronoun_gender``: the gender the text shows through he/she after a mention;
- ``context_party`` and ``dominant_country``: the party of an official no modifier places.

``Mention`` (a name found in the text before clustering) and ``left_modifiers`` are shared with
``mentions.py``.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional, Sequence

from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.text.parse import NOMINAL_SUBJECT_DEPS
from claimstance.infer.entities.titles import gender_of_word, is_title_token, titles_in
from claimstance.infer.text.quotes import QuoteIndex, find_quotes
from claimstance.infer.words import GOV_TITLES, PARTY_SUBJECT_NOUNS, PERSON_PRONOUNS, PLACE_HEADS, POLITICAL_TITLES, TITLE_WORDS

MODIFIER_DEPS = {"compound", "amod", "poss", "case", "nmod", "npadvmod", "nummod"}


@dataclass
class Mention:
    start: int
    end: int
    type: str  # person | country | organisation | ambiguous (a PERSON span that is also a country name)
    name: str
    tokens: tuple[str, ...] = ()  # person name tokens, titles stripped
    titles: list[str] = field(default_factory=list)
    party: Optional[str] = None
    gender: Optional[str] = None
    kind: Optional[str] = None
    generic: bool = False  # an ORG known only from spaCy (no lexicon entry, not a government body)
    key: str = ""  # what merges organisation mentions (default: the name)
    subject: bool = False  # a person as the subject of its clause, a place as a location
    ref: Optional[tuple[int, str]] = None  # a person described by a body noun ("a spokeswoman for the
    # ministry"): (position, noun), resolved to the body named before for the party


def left_modifiers(doc, s: int) -> int:
    """Start of the pre-modifiers of the phrase at token ``s`` ("Kenya's President", "U.S. Secretary of State")."""
    i = s
    while i > 0:
        t = doc[i - 1]
        if t.text in ("-", "\u2010") and not t.whitespace_ and i > 1 and not doc[i - 2].whitespace_:
            i -= 1  # "Secretary-General"
            continue
        if t.is_punct or t.is_space or t.pos_ == "DET" or t.is_sent_end:
            break
        of_phrase = t.lower_ == "of" or (t.dep_ == "pobj" and t.head.lower_ == "of")
        if not (t.text in ("'s", "\u2019s") or of_phrase or (t.dep_ in MODIFIER_DEPS and t.i < t.head.i < s + 8)):
            break
        i -= 1
    return i


def acts(tok) -> bool:
    """Whether a name is the one acting or speaking: a clause subject, a passive agent, "according to X"."""
    while tok.dep_ in ("appos", "conj", "compound") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj":
        return tok.head.dep_ == "agent" or (tok.head.lower_ == "to" and tok.head.head.lower_ == "according")
    return tok.dep_ in NOMINAL_SUBJECT_DEPS


def _modifier_info(doc, s: int, e: int, gaz: Gazetteer, body_nouns: frozenset):
    """Party, titles, honorific gender and a body-noun reference from the words before a name and
    from its appositions."""
    left = left_modifiers(doc, s)
    spans = [doc[left:s]]
    if left > 1 and doc[left - 1].text == "," and doc[left - 2].lemma_.lower() in TITLE_WORDS:
        spans.append(doc[doc[left - 2].left_edge.i : left - 1])  # "his Japanese counterpart, Foreign Minister Kenji Mori"
    root = doc[s:e].root
    spans += [doc[c.left_edge.i : min(c.right_edge.i + 1, c.i + 12)] for c in root.children if c.dep_ == "appos" and c.i >= e]
    if root.dep_ == "appos" and root.head.i < s:  # "Kenya's president, William Ruto,"
        end = s
        while end > root.head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        spans.append(doc[max(root.head.left_edge.i, s - 12) : end])  # with "for the ministry", "to the UN"
    party, titles, gender, ref = None, [], None, None
    for n, sp in enumerate(spans):
        if not sp.text.strip() or (n and any(t.ent_type_ == "PERSON" for t in sp)):
            continue  # a list of people ("Biden, French President Emmanuel Macron and ..."), not a description
        party = party or gaz.party_in_phrase(sp.text)
        words = [w.strip(",;:()\"'\u2019") for w in sp.text.split()]
        titles += titles_in([w.rstrip(".") for w in words])
        gender = gender or next((g for g in map(gender_of_word, words) if g), None)
        # "a spokeswoman for the ministry", "the bloc's secretary-general": a body named before
        ref = ref or next(((t.idx, t.lemma_.lower()) for t in sp if t.pos_ == "NOUN" and t.lemma_.lower() in body_nouns
                           and any(c.lower_ == "the" or c.dep_ == "poss" for c in t.children)), None)
    return party, titles, gender, ref


def person_mention(doc, text: str, s: int, e: int, gaz: Gazetteer, body_nouns: frozenset = frozenset()) -> Optional[Mention]:
    """A PERSON span: titles and country words stripped, a first name spaCy missed added.

    A span that is a country or organisation name comes back as that ("Kremlin" tagged PERSON)."""
    if 0 < s and doc[s - 1].lower_ == "the" and not any(is_title_token(t.text) for t in doc[s:e]):
        return None  # "over the Essequibo": a place or thing spaCy read as a name
    root = doc[s:e].root
    if root.dep_ == "compound" and root.head.lemma_.lower() in PLACE_HEADS:
        return None  # "the disputed Essequibo region"
    while s < e - 1 and (is_title_token(doc[s].text) or gaz.country_of(doc[s].text, "PERSON") or doc[s].pos_ == "DET"):
        s += 1
    prev = doc[s - 1] if 0 < s < e else None
    if prev is not None and prev.pos_ == "PROPN" and prev.text.istitle() and s <= prev.head.i < e \
            and not is_title_token(prev.text) and not gaz.lookup(prev.text) and not prev.ent_type_:
        s -= 1  # "Luiz" before spaCy's "Inácio Lula da Silva"
    if s >= e or all(is_title_token(t.text) for t in doc[s:e]):
        return None  # "President" alone
    start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    name = text[start:end]
    alias = gaz.lookup(name)
    if alias is not None and alias.type == "country":
        if "gpe" in alias.flags:
            return None  # a capital read as a person ("Kyiv"), or a person named like one ("Washington")
        if "ambiguous" in alias.flags:
            return Mention(start, end, "ambiguous", name)
        return country_mention(start, end, name, alias.name, alias.flags)
    if alias is not None and alias.type == "organisation":
        return Mention(start, end, "organisation", alias.name, party=gaz.party_of_org(alias.name), kind=alias.kind)
    tokens = tuple(t.text for t in doc[s:e] if not t.is_punct or t.text.endswith("."))
    if not any(w[:1].isupper() for w in tokens) or any(c.isdigit() for c in name):
        return None
    party, titles, gender, ref = _modifier_info(doc, s, e, gaz, body_nouns)
    return Mention(start, end, "person", name, tokens, titles, party, gender, subject=acts(doc[s:e].root),
                   ref=None if party else ref)


def country_mention(start: int, end: int, surface: str, country: str, flags=frozenset(), subject: bool = False) -> Mention:
    """A country alias found in the text. A seat of government flagged ``body`` in the lexicon ("the
    Kremlin", "White House") is a state body: it keeps its own name, written as first given, and
    its country is its party."""
    if "body" in flags:
        name = " ".join(surface.split())
        if name[:4].lower() == "the ":
            name = name[4:]
        return Mention(start, end, "organisation", name, party=country, kind="government",
                       key=f"{country}|{name.casefold()}")  # as _body keys a body
    return Mention(start, end, "country", country, party=country, subject=subject)



# ---------------------------------------------------------------- clustering and gender
def compatible_names(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """``short`` is a run of ``full``'s name tokens ("Lula", "da Silva"), or matches it with initials."""
    n = len(short)
    if any(full[i : i + n] == short for i in range(len(full) - n + 1)):
        return True
    return n == len(full) and short[-1] == full[-1] and all(
        a == b or a.rstrip(".") == b[:1] or b.rstrip(".") == a[:1] for a, b in zip(short, full))


def cluster_people(people: list[Mention], sentence_starts: Sequence[int] = ()) -> list[list[Mention]]:
    """One cluster per person: a later name joins an earlier one it is part of (or that is part of it).

    A short name two people share ("Keller" after "Tom Keller" and "Mara Keller") joins the one
    named in the latest sentence before it (``sentence_starts``: the character offsets where the
    sentences begin); named in the same sentence, the more mentioned, then the first."""
    clusters: list[list[Mention]] = []
    for m in people:
        m.tokens = tuple(t for t in m.tokens if not is_title_token(t)) or m.tokens
        candidates = []
        for n, c in enumerate(clusters):
            longest = max((x.tokens for x in c), key=len)
            genders = {x.gender for x in c if x.gender}
            if m.gender and genders and m.gender not in genders:
                continue
            if compatible_names(m.tokens, longest) or (len(m.tokens) > len(longest) and all(compatible_names(x.tokens, m.tokens) for x in c)):
                # a surname match first, then the person named in the latest sentence (two Kellers:
                # the one just written about), then the most mentioned, then the first
                latest = bisect.bisect_right(sentence_starts, c[-1].start)
                candidates.append(((m.tokens[-1] == longest[-1], latest, len(c), -n), c))
        if candidates:
            max(candidates, key=lambda x: x[0])[1].append(m)
        else:
            clusters.append([m])
    return clusters


def pronoun_gender(doc, tokens, text: str, people: list[list[Mention]]) -> list[Optional[str]]:
    """Gender from the first he/she pronoun after each mention (same or next sentence, outside
    quotes), counted only when no other person is mentioned in between; the majority wins."""
    quotes = QuoteIndex(find_quotes(text), text)
    starts = sorted((m.start, ci) for ci, c in enumerate(people) for m in c)
    pron = [(t.idx, PERSON_PRONOUNS[t.lower_]) for t in tokens
            if t.lower_ in PERSON_PRONOUNS and not any(q.contains(t.idx, t.idx + 1) for q, _ in quotes.overlapping(t.idx, t.idx + 1))]
    pron_idx = [p[0] for p in pron]
    out = []
    for ci, cluster in enumerate(people):
        votes = {"male": 0, "female": 0}
        for m in cluster:
            sent = doc[doc.char_span(m.start, m.end, alignment_mode="expand").start].sent
            limit = doc[sent.end].sent.end_char if sent.end < len(doc) else sent.end_char
            k = bisect.bisect_left(pron_idx, m.end)
            if k < len(pron) and pron[k][0] < limit and all(c == ci for s, c in starts if m.end <= s < pron[k][0]):
                votes[pron[k][1]] += 1
        out.append(None if votes["male"] == votes["female"] else max(votes, key=votes.get))
    return out


# ---------------------------------------------------------------- party from the context
def context_party(doc, pos: int, parties: list[tuple[int, int, str]]) -> Optional[str]:
    """For an official no modifier places, acting as a subject: the party that is the subject of one of
    the two sentences before ("Germany opposes the sanctions. Foreign Minister Katrin Vogel said ...")."""
    for sent in reversed([sent for sent in doc.sents if sent.end_char <= pos][-2:]):
        for tok in sent:
            if tok.dep_ not in NOMINAL_SUBJECT_DEPS or tok.head.i != sent.root.i:
                continue
            lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
            if tok.lemma_.lower() in PARTY_SUBJECT_NOUNS:  # "The Ukrainian leadership reacted ..."
                found = [p for a, b, p in parties if lo <= a < hi]
            else:  # the subject itself names the party, not a person modified by it
                found = [p for a, b, p in parties if a <= tok.idx < b]
            if found:
                return found[0]
    return None


def dominant_country(mentions: list[Mention]) -> Optional[str]:
    """The country an article is mainly about: named (under any alias, or as a person's or body's
    party) clearly more often than any other, else None."""
    counts = Counter(m.party for m in mentions if m.party and (m.type == "country" or m.kind == "government"))
    counts.update(m.party for m in mentions if m.type == "person" and m.party in counts)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return ranked[0][0]


def person_party(doc, cluster: list[Mention], parties: list[tuple[int, int, str]], main_country: Optional[str]) -> Optional[str]:
    """A person's party: from a modifier or apposition of any of its mentions; for an official
    acting as a subject, from the sentences before; for someone in national politics, the
    country the article is mainly about."""
    party = next((m.party for m in cluster if m.party), None)
    if party is not None:
        return party
    political = any(w in POLITICAL_TITLES for m in cluster for t in m.titles for w in t.split())
    first_subject = next((m for m in cluster if m.subject), None)
    if first_subject and any(t.split()[-1] in GOV_TITLES for m in cluster for t in m.titles):
        party = context_party(doc, first_subject.start, parties)
    return party or (main_country if political else None)
