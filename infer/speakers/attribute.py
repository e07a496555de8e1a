"""Attribute candidate statements to speakers: mention as written -> canonical speaker -> party.

The speaker chain is ours (no neural coreference model is available offline). It works on the
spaCy parse of the source mention the segmenter found and on the article's ``EntityIndex``.

Canonical speaker names (the conventions of ``data/samples/README.md``):
- a person: the fullest name the article gives, as written (hyphens and diacritics kept:
  "Jean-Robert Célestin", "Park Ji-hoon"), without titles or appositions ("China's ambassador to the
  UN, Fu Cong" -> "Fu Cong"); party: the country or organisation the person speaks for;
- a state body or institution: its own name as first written, without a leading "the"
  ("Kremlin", "White House", "Ukrainian air force", "Azerbaijan’s Ministry of Foreign Affairs");
  party: its country (an organ of an organisation: the organisation, "European Commission" ->
  "European Union");
- a country, or its capital used as a speaker ("Beijing said"), or its government as a whole
  ("the Ukrainian leadership", "the Kenyan government", "the Indian side"): the country;
- an organisation in the lexicon: its canonical name ("The International Monetary Fund" ->
  "International Monetary Fund"), which is also its party unless it belongs to another; any
  other organisation: its name as first written, without "the" or its apposition.

Rules, in order, for the head of the source mention:
1. a dateline ("MONTEVIDEO — Brazil's President ... said") is never the speaker: the verb's
   other subject is;
2. a relative pronoun ("who said") takes the noun it modifies;
3. he/she/his/her take the most recent earlier speaker of that gender (salience), an unnamed one
   whose noun shows it included ("The woman who started it all ... she said": the woman), else
   the nearest person mentioned before; never a person marked with the other gender;
   it/they/its/their take an organisation or country that is the subject of an earlier clause of
   the same sentence or of the sentence before ("Foreign ministers of the Group of Seven, meeting in
   Italy, weighed in. They called ..." -> Group of Seven, not Italy), else the most recent such
   speaker, else the nearest such mention;
4. a name: the entity it names; a common noun with a name in apposition ("China's ambassador to
   the UN, Fu Cong", "North Korea’s state news agency KCNA") takes the name;
5. "the statement" (the report, the communique) takes the speaker of the statement it refers to:
   the possessor ("the ministry's statement"), else the body its modifiers name ("the FBI
   summary"), else whoever made the statement named before, the same noun first ("X said in a
   statement ... The statement added"; "the summary" after "an FBI summary"), else the most
   recent organisation speaking;
6. a collective noun for a government ("the Ukrainian leadership", "the government") takes the
   country in its modifiers, else the country named last;
7. a singular definite role noun ("the president", "the prime minister", "Kenya's president")
   takes the subject of the sentence before when that is a person with no other title ("Marco
   Rubio says ... The Florida senator is predicting"), else the person seen with that title
   (party- and gender-compatible; "Sen." counts as senator), nearest first; a description news
   uses for a person just named ("the billionaire real estate mogul", "the Utah Republican",
   "the Vermont senator": ``epithet_nouns``, or a role with a place before it) takes the subject
   of the sentence before, if a person and if no person is named earlier in its own sentence; an office
   one person holds (``holder`` in words.yaml) with no such person keeps its role and party
   ("Kenya's prime minister", party Kenya; "the country's ..." takes the country named last),
   and a later "the minister", or "he" right after it, is the same holder;
8. an unnamed official or a group of officials ("A Commission spokesperson", "An AU official",
   "a spokeswoman for the ministry", "Foreign ministers of the Group of Seven") takes the body,
   organisation or country they belong to, from the modifiers;
9. an organisation noun ("the ministry", "the foreign office", "the bloc") takes the nearest
   earlier body of that type ("the foreign office" -> one named "... Foreign Office"; "the bloc"
   -> the nearest organisation), never any organisation at all;
10. a capitalised name with no entity where it stands (a headline's "Senator Jones") takes the
    person of that surname;
11. a source without an entity keeps its own words ("Ministers"), the party from any country
    named in them.

Speakers named together ("reply Smith and Jones", "France and Germany said") are one speaker
named "Smith and Jones" with ``members``; first-person speakers of a signed text are its signer
(the segmenter's signature candidate).

Which mention: coordinated cues share their subject, also when the parser hangs the second cue on
the reported clause of the first ("X denied that its officers had failed to act and accused ...",
"X said that Ethiopia had begun ..., calling ..."): a cue verb without a subject of its own under
a clause that another cue reports takes that cue's source, not the reported clause's subject. A
statement without a source of its own: a noun cue takes its possessor or the subject of the verb
it hangs on ("X said in a statement that ..."), a verb cue its subject from the parse; a quotation
with no cue takes the speaker of the adjacent statement in its paragraph, else the previous one
(the mention stays the neighbour's). A source that resolves to no entity keeps its own words
without a relative clause or apposition ("Residents who fled the city" -> "Residents").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from claimstance.infer.candidate import Candidate, cue_token
from claimstance.infer.entities.build import Entity, EntityIndex
from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.entities.titles import gender_of_word, titles_in
from claimstance.infer.speakers.sources import (
    clean_name, cue_source, earlier_subjects, head_of, noun_cue_source, noun_phrase_span, past_dateline,
    reporting_governor,
)
from claimstance.infer.words import (
    AUTHOR_PREPS, BELONGS_PREPS, EPITHET_NOUNS, FIRST_PERSON, GENDERED_NOUNS, GOVERNMENT_NOUNS, GROUP_PRONOUNS, ORG_NOUNS, PERSON_PRONOUNS, PRONOUNS, RELATIVE,
    ROLE_HOLDERS, ROLE_NOUNS, STATEMENT_NOUNS,
)
from claimstance.infer.text.units import ParagraphBreaks, doc_text
from claimstance.records import Span, Speaker, Statement


@dataclass
class _Context:
    doc: object
    index: EntityIndex
    previous: list[tuple[int, Speaker, Optional[Entity]]]  # (source position, speaker, entity) in text order
    holders: dict[int, str] = field(default_factory=dict)  # id of an unnamed role holder's Speaker -> role


class Attributor:
    """Turn segmenter candidates into ``Statement`` records with resolved speakers."""

    def __init__(self, gazetteer: Gazetteer, pronoun_window: int = 1500):
        self.gazetteer = gazetteer
        self.pronoun_window = pronoun_window

    def __call__(self, doc, candidates: list[Candidate], index: EntityIndex) -> list[Statement]:
        text = doc_text(doc)
        ctx = _Context(doc, index, [])
        resolved: list[tuple[Candidate, Optional[Speaker], Optional[Entity]]] = []
        sources = {}  # candidate position -> (source span, source head) as written
        by_cue = {}  # cue token -> candidate position, for candidates with a source
        for n, cand in enumerate(candidates):
            sources[n] = (cand.source, cand.source_head)
            if cand.source is None and cand.cue is not None:
                sources[n] = cue_source(doc, cand)
            tok = cue_token(doc, cand)
            if tok is not None and sources[n][0] is not None:
                by_cue.setdefault(tok.i, n)
        for n, cand in enumerate(candidates):
            speaker, entity = (None, None)
            source = sources[n]
            governor = reporting_governor(doc, cand, source[1], by_cue)
            if governor is not None and governor != n:
                source = sources[governor]
            if source[0] is not None:
                speaker, entity = self.resolve_source(source[0], source[1], ctx)
                ctx.previous.append((source[0][0], speaker, entity))
            resolved.append((cand, speaker, entity))
        statements = []
        breaks = ParagraphBreaks(text)
        for n, (cand, speaker, entity) in enumerate(resolved):
            if speaker is None:
                speaker = _neighbour_speaker(n, resolved, breaks)
            content = Span.from_parts(text, list(cand.content))
            cue = Span.of(text, *cand.cue) if cand.cue else None
            statements.append(Statement(f"s{n + 1}", cand.kind(text), content, cue, speaker))
        return statements

    # -- resolution --------------------------------------------------------------------------
    def resolve_source(self, source: tuple[int, int], head_i: Optional[int], ctx: _Context) -> tuple[Speaker, Optional[Entity]]:
        """The speaker of a source mention (character span, head token index)."""
        doc, text = ctx.doc, doc_text(ctx.doc)
        head = doc[head_i] if head_i is not None else head_of(doc, *source)
        if head is not None:
            head, source = past_dateline(head, source)
        mention = Span.of(text, *source)
        entity = None
        unnamed = self._unnamed_referent(head, ctx) if head is not None else None
        if unnamed is not None:  # "The woman who started it all ... she said"
            return dataclasses.replace(unnamed, mention=mention), None
        if head is not None:
            entity, source = self._entity_for(head, source, ctx, depth=0)
            mention = Span.of(text, *source)
            holder = self._role_holder(head, entity, mention, ctx)
            if holder is not None:
                return holder, None
        if entity is None and not _is_pronoun_or_role(head):
            entity = ctx.index.entity_at(mention.start, mention.end)
        if entity is None and head is not None and head.pos_ == "PROPN" and head.text[:1].isupper():
            entity = ctx.index.person_named(head.text, mention.start)  # a headline's "Senator Jones"
        if entity is not None:
            together = _coordinated(head, entity, ctx.index)
            if together:  # "reply Smith and Jones": both, under one speaker
                parties = {p for _, p in together}
                names = tuple(n for n, _ in together)
                return Speaker(" and ".join(names), mention, parties.pop() if len(parties) == 1 else None, names), entity
            return Speaker(entity.name, mention, entity.party), entity
        inherited = self._from_previous(mention, ctx)
        if inherited is not None:
            return dataclasses.replace(inherited, mention=mention), None
        core = mention.text  # its own words, without a relative or participial clause or an apposition
        if head is not None and mention.start <= head.idx < mention.end:
            start, end = noun_phrase_span(head)
            core = text[max(start, mention.start) : min(end, mention.end)] or core
        return Speaker(clean_name(core), mention, self.gazetteer.party_in_phrase(mention.text)), None

    def _entity_for(self, head, source: tuple[int, int], ctx: _Context, depth: int) -> tuple[Optional[Entity], tuple[int, int]]:
        """The entity a mention headed by ``head`` names, and the mention span (widened to take in a
        name in close apposition)."""
        lower = head.lower_
        if depth > 3:
            return None, source
        if lower in RELATIVE:
            antecedent = head.head.head if head.head.dep_ == "relcl" else (head.head if head.dep_ == "poss" else None)
            if antecedent is not None and antecedent.pos_ in ("PROPN", "NOUN"):
                return self._entity_for(antecedent, source, ctx, depth + 1)[0], source
            return None, source
        if lower in PRONOUNS:
            return self._pronoun_entity(head, ctx), source
        named, source = self._named(head, source, ctx)
        if named is not None:
            return named, source
        if head.pos_ in ("NOUN", "PROPN"):
            return self._noun_entity(head, ctx, depth), source
        return None, source

    def _named(self, head, source: tuple[int, int], ctx: _Context) -> tuple[Optional[Entity], tuple[int, int]]:
        """The entity the head names, or the name in apposition to a common-noun head."""
        index = ctx.index
        hit = index.entity_at(head.idx, head.idx + len(head))
        if hit is not None:
            return hit, source
        if head.pos_ not in ("NOUN", "ADJ", "PROPN"):  # ADJ: "secretary-general"; PROPN: "President"
            return None, source
        for child in head.children:  # "China's ambassador to the UN, Fu Cong"
            if child.dep_ == "appos" and child.i > head.i:
                ent = index.entity_at(child.idx, child.idx + len(child))
                if ent is not None and ent.type in ("person", "organisation"):
                    return ent, source
        doc = head.doc
        nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
        if nxt is not None and nxt.pos_ == "PROPN" and head.whitespace_ and not nxt.is_punct and head.dep_ != "compound":
            ent = index.entity_at(nxt.idx, nxt.idx + len(nxt))  # "state news agency KCNA", "spokesman Lin Jian"
            if ent is not None and ent.type in ("person", "organisation"):
                end = max(source[1], max(m.end for m in ent.mentions if m.start <= nxt.idx < m.end))
                return ent, (source[0], end)
        return None, source

    # -- pronouns ----------------------------------------------------------------------------
    def _pronoun_entity(self, pron, ctx: _Context) -> Optional[Entity]:
        lower = pron.lower_
        pos = pron.idx
        if lower in FIRST_PERSON:
            return None
        if lower in PERSON_PRONOUNS:
            gender = PERSON_PRONOUNS[lower]
            for spos, _speaker, entity in reversed(ctx.previous):  # salience: the most recent speaker first
                if pos - spos > self.pronoun_window:
                    break
                if spos < pos and entity is not None and _person_fits(entity, gender):
                    return entity
            for span, entity in ctx.index.mentions_before(pos, {"person"}):
                if pos - span.start > self.pronoun_window:
                    break
                if _person_fits(entity, gender):
                    return entity
            return None
        # it / they: an organisation or country that was the subject of an earlier clause
        for subj in earlier_subjects(pron):
            entity = self._group_of_subject(subj, ctx)
            if entity is not None:
                return entity
        for spos, _speaker, entity in reversed(ctx.previous):
            if pos - spos > self.pronoun_window:
                break
            if spos < pos and entity is not None and entity.type != "person":
                return entity
        for span, entity in ctx.index.mentions_before(pos, {"organisation", "country"}):
            if pos - span.start > self.pronoun_window:
                break
            if entity.kind != "media":
                return entity
        return None

    def _unnamed_referent(self, pron, ctx: _Context) -> Optional[Speaker]:
        """For "he"/"she": an earlier unnamed speaker whose noun shows that gender ("the woman"),
        when no named person who fits has spoken since."""
        gender = PERSON_PRONOUNS.get(pron.lower_)
        if gender is None:
            return None
        for spos, speaker, entity in reversed(ctx.previous):
            if spos >= pron.idx:
                continue
            if pron.idx - spos > self.pronoun_window:
                break
            if entity is not None:
                if _person_fits(entity, gender):
                    return None
                continue
            head = head_of(ctx.doc, speaker.mention.start, speaker.mention.end) if speaker.mention is not None else None
            if head is not None and GENDERED_NOUNS.get(head.lemma_.lower()) == gender:
                return speaker
        return None

    def _group_of_subject(self, subj, ctx: _Context) -> Optional[Entity]:
        """The organisation or country a clause subject stands for, if any."""
        if subj.lower_ in GROUP_PRONOUNS:  # "It said ... It added": the earlier pronoun's speaker
            return next((e for spos, _s, e in ctx.previous if spos == subj.idx), None)
        ent = ctx.index.entity_at(subj.idx, subj.idx + len(subj))
        if ent is not None:
            return ent if ent.type != "person" else None
        if subj.pos_ == "NOUN":
            lemma = subj.lemma_.lower()
            if lemma in GOVERNMENT_NOUNS | ROLE_NOUNS:
                return next((e for e in self._modifier_entities(subj, ctx) if e.type != "person"), None)
            if lemma in ORG_NOUNS:
                return ctx.index.body_before(subj.idx, lemma, _modifier_words(subj))
        return None

    # -- common nouns ------------------------------------------------------------------------
    def _noun_entity(self, noun, ctx: _Context, depth: int) -> Optional[Entity]:
        lemma = noun.lemma_.lower()
        index = ctx.index
        if lemma in STATEMENT_NOUNS:
            return self._statement_speaker(noun, ctx, depth)
        if lemma in GOVERNMENT_NOUNS:  # "the Ukrainian leadership", "Kenya's government": the country
            countries = [e for e in self._modifier_entities(noun, ctx) if e.type == "country"]
            if countries:
                return countries[0]
            if lemma in ("government", "administration", "leadership", "authorities"):
                nearest = index.nearest_before(noun.idx, {"country"})
                return nearest[1] if nearest is not None else None
            return None
        plural = noun.tag_ in ("NNS", "NNPS")
        definite = any(c.dep_ == "poss" or c.lower_ in ("the", "this") for c in noun.children)
        if lemma in ROLE_NOUNS:
            if definite and not plural:
                person = self._role_person(noun, ctx)
                if person is not None:
                    return person
            # an unnamed official: whom they speak for
            owners = self._modifier_entities(noun, ctx)
            owner = next((e for e in owners if e.type != "person"), None)
            if owner is not None or owners or lemma in ROLE_HOLDERS:
                return owner
        placed = any(c.pos_ == "PROPN" and c.dep_ in ("compound", "amod") for c in noun.children)  # "the Vermont senator"
        if (lemma in EPITHET_NOUNS or (lemma in ROLE_NOUNS and placed)) and definite and not plural:
            return self._described(noun, ctx)
        if lemma in ORG_NOUNS:
            return index.body_before(noun.idx, lemma, _modifier_words(noun))
        return None

    def _role_holder(self, head, entity: Optional[Entity], mention: Span, ctx: _Context) -> Optional[Speaker]:
        """An office one person holds, with the person not named: the speaker keeps the role and its
        party ("Kenya's prime minister", party Kenya; "the country's prime minister" -> the country
        named last), and a later "the minister" or "he" right after it is the same holder."""
        lower = head.lower_
        if lower in PERSON_PRONOUNS and ctx.previous:  # "Kenya's president said ... He added"
            pos, speaker, _ = ctx.previous[-1]
            if id(speaker) in ctx.holders and head.idx - pos < self.pronoun_window:
                return self._same_holder(speaker, mention, ctx)
            return None
        if (entity is not None and entity.type == "person") or head.pos_ not in ("NOUN", "PROPN") \
                or head.lemma_.lower() not in ROLE_HOLDERS or head.tag_ in ("NNS", "NNPS"):
            return None
        owner_tok = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner_tok is None and not any(c.lower_ in ("the", "this") for c in head.children):
            return None  # "a minister": one of several
        role = _role_phrase(head)
        owner = entity
        if owner is None and owner_tok is not None and owner_tok.lemma_.lower() in ("country", "nation", "state"):
            nearest = ctx.index.nearest_before(owner_tok.idx, {"country"})
            owner = nearest[1] if nearest is not None else None
        if owner is None:  # "the minister": the holder named so just before
            for pos, speaker, _ in reversed(ctx.previous):
                if head.idx - pos > self.pronoun_window:
                    break
                held = ctx.holders.get(id(speaker), "")
                if held == role or held.endswith(" " + role):
                    return self._same_holder(speaker, mention, ctx)
            return None
        speaker = Speaker(f"{owner.name}' {role}" if owner.name.endswith("s") else f"{owner.name}'s {role}", mention,
                          owner.party or owner.name)
        ctx.holders[id(speaker)] = role
        return speaker

    @staticmethod
    def _same_holder(speaker: Speaker, mention: Span, ctx: _Context) -> Speaker:
        again = dataclasses.replace(speaker, mention=mention)
        ctx.holders[id(again)] = ctx.holders[id(speaker)]
        return again

    def _role_person(self, noun, ctx: _Context) -> Optional[Entity]:
        """The person seen with this title ("the prime minister" -> one titled prime minister)."""
        role = _role_phrase(noun)
        modifier = " ".join(t.text for t in noun.subtree if t.i < noun.i)
        party = self.gazetteer.party_in_phrase(modifier) if modifier else None
        gender = gender_of_word(noun.text)
        subject = self._described(noun, ctx)  # "Marco Rubio says ... The Florida senator is predicting"
        if subject is not None and (party is None or subject.party in (None, party)) \
                and (not subject.titles or any(t == role or t.endswith(" " + role) for t in subject.titles)):
            return subject
        fallback = None
        for _span, entity in ctx.index.mentions_before(noun.idx, {"person"}):
            if party is not None and entity.party not in (None, party):
                continue
            if gender is not None and entity.gender not in (None, gender):
                continue
            if any(t == role or t.endswith(" " + role) for t in entity.titles):
                return entity
            if fallback is None and any(noun.lemma_.lower() in t.split() for t in entity.titles):
                fallback = entity
        return fallback

    @staticmethod
    def _described(noun, ctx: _Context) -> Optional[Entity]:
        """A definite description of a person just named ("Donald Trump held a rally. The billionaire
        real estate mogul said ..."; "the Vermont senator"): the person who is the subject of the
        sentence before, if a person is."""
        doc = noun.doc
        nearest = ctx.index.nearest_before(noun.idx, {"person"})
        if noun.sent.start == 0 or (nearest is not None and nearest[0].start >= noun.sent.start_char):
            return None  # a person named before it in its own sentence: which one is meant is unclear
        before = doc[noun.sent.start - 1].sent
        for tok in before:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head == before.root:
                ent = ctx.index.entity_at(tok.idx, tok.idx + len(tok))
                fits = ent is not None and _person_fits(ent, gender_of_word(noun.text))
                return ent if fits else None
        return None

    def _modifier_entities(self, noun, ctx: _Context, preps: tuple[str, ...] = BELONGS_PREPS) -> list[Entity]:
        """Entities a noun's modifiers name, the organisations first: the words before it ("A
        Commission spokesperson", "China's ambassador"), then the objects of "of/for/at..."
        ("a spokeswoman for the ministry", "ministers of the Group of Seven"); places of a
        participle or relative clause ("meeting in Italy") do not count."""
        index = ctx.index
        found: list[Entity] = []
        left = [t for t in noun.subtree if t.i < noun.i]
        right = []
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.i > noun.i and prep.lower_ in preps:
                right += [t for pobj in prep.children if pobj.dep_ == "pobj" for t in pobj.subtree]
        for tok in left + right:
            ent = index.entity_at(tok.idx, tok.idx + len(tok))
            if ent is None and tok.pos_ == "NOUN" and tok.lemma_.lower() in ORG_NOUNS \
                    and any(c.lower_ == "the" or c.dep_ == "poss" for c in tok.children):
                ent = index.body_before(tok.idx, tok.lemma_.lower(), _modifier_words(tok))  # "for the ministry"
            if ent is not None and ent not in found:
                found.append(ent)
        return [e for e in found if e.type == "organisation"] + [e for e in found if e.type != "organisation"]

    def _statement_speaker(self, noun, ctx: _Context, depth: int) -> Optional[Entity]:
        """Who made the statement that "the statement" refers to."""
        doc = noun.doc
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if owner is not None:  # "the ministry's statement"
            return self._entity_for(owner, (owner.idx, owner.idx + len(owner)), ctx, depth + 1)[0]
        named = self._modifier_entities(noun, ctx, AUTHOR_PREPS)  # "the FBI summary", "a statement from the ministry"
        if named:
            return named[0]
        sent_start = noun.sent.start
        before = doc[max(0, sent_start - 150) : sent_start]
        lemma = noun.lemma_.lower()
        same = [t for t in before if t.lemma_.lower() == lemma]  # "the summary" after "an FBI summary"
        for tok in reversed(same or before):  # "X said in a statement ..."
            if tok.lemma_.lower() not in STATEMENT_NOUNS:
                continue
            named = self._modifier_entities(tok, ctx, AUTHOR_PREPS)
            if named:
                return named[0]
            sent = tok.sent
            for spos, _speaker, entity in ctx.previous:
                if sent.start_char <= spos < sent.end_char and entity is not None:
                    return entity
            source = noun_cue_source(doc, (tok.idx, tok.idx + len(tok)))
            if source[1] is not None:
                return self._entity_for(doc[source[1]], source[0], ctx, depth + 1)[0]
            break
        previous = [e for pos, _s, e in ctx.previous if e is not None and pos < noun.idx]
        return next((e for e in reversed(previous) if e.type != "person"), previous[-1] if previous else None)

    def _from_previous(self, mention: Span, ctx: _Context) -> Optional[Speaker]:
        """An unnamed role ("the spokesman") repeated: reuse the earlier speaker with that mention."""
        key = clean_name(mention.text).lower()
        for _pos, speaker, _entity in reversed(ctx.previous):
            if speaker.mention is not None and clean_name(speaker.mention.text).lower() == key and speaker.mention.start != mention.start:
                return speaker
        return None


# ---------------------------------------------------------------- parse helpers
def _coordinated(head, entity: Entity, index: EntityIndex) -> list[tuple[str, Optional[str]]]:
    """(name, party) of each conjunct of a coordinated source ("Smith and Jones", "France and
    Germany"), the head's first: the entity a conjunct names, else a name's own words; empty unless
    every conjunct is one of these."""
    if head is None:
        return []
    conjuncts = [c for c in head.children if c.dep_ == "conj" and c.i > head.i]
    if not conjuncts or not any(c.dep_ == "cc" and c.lower_ in ("and", "&") for c in head.children):
        return []
    out = [(entity.name, entity.party)]
    for c in conjuncts:
        other = index.entity_at(c.idx, c.idx + len(c))
        if other is None and c.pos_ == "PROPN":
            words = [t for t in c.subtree if t.i <= c.i and (t.i == c.i or t.dep_ == "compound")]
            out.append((" ".join(t.text for t in words), None))
        elif other is None or other == entity:
            return []
        else:
            out.append((other.name, other.party))
    return list(dict.fromkeys(out))


def _role_phrase(noun) -> str:
    """The title a role noun's phrase gives ("Kenya's prime minister" -> "prime minister")."""
    left = [t for t in noun.subtree if t.i <= noun.i and t.dep_ not in ("det", "poss", "case")]
    return (titles_in([t.text for t in left]) or [noun.lemma_.lower()])[-1]


def _person_fits(entity: Entity, gender: Optional[str]) -> bool:
    return entity.type == "person" and (gender is None or entity.gender in (None, gender))


def _is_pronoun_or_role(head) -> bool:
    if head is None:
        return False
    lemma = head.lemma_.lower()
    return head.lower_ in PRONOUNS or head.lower_ in RELATIVE or lemma in ROLE_NOUNS or lemma in STATEMENT_NOUNS \
        or (head.pos_ == "NOUN" and (lemma in ORG_NOUNS or lemma in GOVERNMENT_NOUNS))


def _modifier_words(noun) -> tuple[str, ...]:
    """Lower-case words that narrow a noun ("the foreign office" -> ("foreign",))."""
    return tuple(t.lower_ for t in noun.children if t.dep_ in ("amod", "compound") and t.i < noun.i and t.is_alpha)


def _neighbour_speaker(n: int, resolved, breaks: ParagraphBreaks) -> Optional[Speaker]:
    """The speaker of a source-less statement: the next statement in the same paragraph whose
    cue follows right after ('"...," he said'), else the closest earlier one in this or the
    previous paragraph. The mention stays the neighbour's (the speaker as last written), as
    PolNeAR annotates such quotes."""
    cand = resolved[n][0]
    para_start = breaks.before(cand.start)
    prev_para_start = breaks.before(max(para_start, 0))
    for m in range(n + 1, min(n + 2, len(resolved))):
        other, speaker, _ = resolved[m]
        if speaker is not None and not breaks.within(cand.end, other.start) and other.start - cand.end < 200:
            return speaker
    for m in range(n - 1, -1, -1):
        other, speaker, _ = resolved[m]
        if other.end < prev_para_start:
            break
        if speaker is not None:
            return speaker
    return None
