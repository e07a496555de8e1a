"""Where a statement's source sits in the parse: the head of a source span, the cue token,
the reporting verb a mis-attached cue hangs on, a noun cue's owner, datelines to skip.

Helpers of the speaker chain (``attribute.py``), kept apart so that module holds the
resolution rules alone.
"""

from __future__ import annotations

import re
from typing import Optional

from claimstance.infer.text.units import doc_text
from claimstance.infer.candidate import Candidate, cue_token
from claimstance.infer.rules.clauses import according_to
from claimstance.infer.text.parse import NOMINAL_SUBJECT_DEPS
from claimstance.infer.words import DETERMINERS, FIRST_PERSON, PRONOUNS, QUANTIFIERS, RELATIVE

_DETERMINERS = re.compile(rf"^({'|'.join(DETERMINERS)})\s+", re.IGNORECASE)
_DASHES = {"—", "–", "-", "--"}


def head_of(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def noun_phrase_span(tok, stop_at_clauses: bool = True) -> tuple[int, int]:
    """Character span of a noun phrase: its subtree, without relative or participial clauses."""
    skip = set()
    if stop_at_clauses:
        for child in tok.children:
            if child.dep_ in ("relcl", "acl", "appos", "punct") and child.i > tok.i:
                skip.update(t.i for t in child.subtree)
    toks = [t for t in tok.subtree if t.i not in skip and not t.is_space]
    run = [t for t in toks if t.i >= tok.left_edge.i]
    right = tok.i
    indices = {t.i for t in run}
    while right + 1 in indices:
        right += 1
    left = tok.i
    while left - 1 in indices:
        left -= 1
    doc = tok.doc
    return doc[left].idx, doc[right].idx + len(doc[right])


def reporting_governor(doc, cand: Candidate, source_head: Optional[int], by_cue: dict) -> Optional[int]:
    """A cue verb the parser hung on the reported clause of another cue ("X denied that its officers
    had failed to act and accused Croatian police ..."; "X said that Ethiopia had begun ..., calling
    the move ..."): a reporting verb with no subject of its own, coordinated with or a participle of
    the verb of a clause that another cue reports, shares that cue's source, not the reported
    clause's subject. Returns the position of the governing cue's candidate, else None."""
    verb = cue_token(doc, cand)
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    tok = verb
    for _ in range(4):
        if any(c.dep_ in NOMINAL_SUBJECT_DEPS for c in tok.children) and tok.i == verb.i:
            return None  # its own subject
        if tok.i != verb.i and any(c.dep_ in NOMINAL_SUBJECT_DEPS for c in tok.children):
            break
        if tok.dep_ not in ("conj", "advcl", "xcomp") or tok.head.i == tok.i:
            return None
        tok = tok.head
    else:
        return None
    clause = tok  # the verb whose subject the cue would otherwise borrow
    if source_head is None or doc[source_head].head.i != clause.i:
        return None
    for _ in range(3):  # up the reported clauses to the cue that reports them
        if clause.dep_ != "ccomp" or clause.head.i == clause.i:
            return None
        governor = by_cue.get(clause.head.i)
        if governor is not None:
            return governor
        clause = clause.head
    return None


def cue_source(doc, cand: Candidate) -> tuple[Optional[tuple[int, int]], Optional[int]]:
    """A source from the parse for a cue the segmenter gave none: a noun cue's owner, a verb cue's
    subject (a conjunct or participle shares its governor's), never one inside the content."""
    span = doc.char_span(*cand.cue, alignment_mode="expand")
    if span is None or not len(span):
        return None, None
    tok = span.root
    to = next(filter(None, map(according_to, span)), None)
    if to is not None:
        source = according_to_source(to)
    elif tok.pos_ in ("NOUN", "PROPN"):
        source = noun_cue_source(doc, cand.cue)
    else:
        source = None, None
        for _ in range(3):
            subj = next((c for c in tok.children if c.dep_ in NOMINAL_SUBJECT_DEPS and not c.is_punct and not c.is_space), None)
            if subj is not None:
                source = noun_phrase_span(subj), subj.i
                break
            if tok.dep_ not in ("conj", "xcomp", "advcl") or tok.head.i == tok.i:
                break
            tok = tok.head
    if source[0] is not None and any(s < source[0][1] and source[0][0] < e for s, e in cand.content):
        return None, None
    return source


def according_to_source(to) -> tuple[Optional[tuple[int, int]], Optional[int]]:
    """The object of "according to" as the source: "..., according to the Guyana Police Force"."""
    objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in to.head.children if c.dep_ == "pobj"]
    if not objects:
        return None, None
    return noun_phrase_span(objects[0]), objects[0].i


def noun_cue_source(doc, cue: tuple[int, int]) -> tuple[Optional[tuple[int, int]], Optional[int]]:
    """The source of a noun cue with none of its own: its possessor ("the ministry's statement"),
    else the subject of the verb it hangs on ("X said in a statement that ...")."""
    span = doc.char_span(*cue, alignment_mode="expand")
    if span is None or not len(span):
        return None, None
    noun = span.root
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None, None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        verb = noun.head
        if verb.dep_ == "prep" or verb.pos_ == "ADP":
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX") or verb.i == noun.i:
            return None, None
        owner = next((c for c in verb.children if c.dep_ in NOMINAL_SUBJECT_DEPS), None)
    if owner is None:
        return None, None
    return noun_phrase_span(owner), owner.i


def past_dateline(head, source: tuple[int, int]):
    """A dateline parsed as the subject ("MONTEVIDEO — Brazil's President Lula said", "NEW DELHI —
    Indian Foreign Minister S. Jaishankar condemned"): the verb's other subject instead, else the
    phrase after the dash that hangs on the dateline."""
    doc = head.doc
    first = head.i
    while first > 0 and doc[first - 1].text.isupper() and doc[first - 1].is_alpha:
        first -= 1
    nxt = doc[head.i + 1] if head.i + 1 < len(doc) else None
    at_line_start = first == 0 or "\n" in doc[first - 1].text or doc_text(doc)[max(0, doc[first].idx - 1) : doc[first].idx] == "\n"
    if not (head.text.isupper() and len(head.text) > 1 and at_line_start and nxt is not None and nxt.text in _DASHES):
        return head, source
    other = [c for c in head.head.children if c.dep_ in NOMINAL_SUBJECT_DEPS and c.i != head.i and c.i > nxt.i]
    other = other or [c for c in head.children if c.i > nxt.i and c.pos_ in ("PROPN", "NOUN")]
    if not other:
        return head, source
    return other[0], noun_phrase_span(other[0])


def earlier_subjects(pron):
    """Subjects of the clauses before a pronoun: in its own sentence (nearest first), then the
    main subjects of the sentence before."""
    sent = pron.sent
    own = [t for t in sent if t.i < pron.i and t.dep_ in NOMINAL_SUBJECT_DEPS and t.lower_ not in FIRST_PERSON]
    yield from reversed(own)
    if sent.start == 0:
        return
    prev = pron.doc[sent.start - 1].sent
    root = prev.root
    mains = [root] + [c for c in root.children if c.dep_ == "conj"]
    for verb in mains:
        for c in verb.children:
            if c.dep_ in NOMINAL_SUBJECT_DEPS:
                yield c


def names_someone(name: str) -> bool:
    """Whether a speaker's name names someone: not only pronouns, relatives, numbers and
    quantifiers ("he", "who", "two", "some", "others"; "some lawmakers" does)."""
    words = [w.strip(".,;:'\u2019").lower() for w in name.split()]
    return any(w and w not in PRONOUNS and w not in RELATIVE and w not in QUANTIFIERS and not w.isdigit() for w in words)


def clean_name(text: str) -> str:
    """A source's own words as a name: one space between words, no leading determiner, no edge
    punctuation (nor the apostrophe left of "she's": "she'" -> "she")."""
    text = " ".join(text.split())
    text = _DETERMINERS.sub("", text)
    return text.strip(" ,;:'\u2019")
