"""Clause-level reading of a spaCy parse for segmentation: the span of a subtree, the
subject of a cue (through participles, conjuncts and mis-attached clauses), and a that-clause
the parser hung on a preposition's object. Whether speech asserts anything is ``assertion.py``'s.
"""

from __future__ import annotations

from typing import Optional

from claimstance.infer.text.parse import SUBJECT_DEPS
from claimstance.infer.text.units import doc_text
from claimstance.infer.text.marks import ALL_MARKS



def tokens_in(doc, ranges: list[tuple[int, int]]) -> list[bool]:
    """For each token, whether it starts inside one of the (few, sorted) character ranges."""
    flags = [False] * len(doc)
    for s, e in ranges:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                flags[i] = doc[i].idx >= s and doc[i].idx < e
    return flags


def char_span(tokens) -> Optional[tuple[int, int]]:
    toks = [t for t in tokens if not t.is_punct and not t.is_space]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def subtree_span(token, exclude=()) -> Optional[tuple[int, int]]:
    """Character span of a token's subtree, cut at the first excluded child (kept contiguous)."""
    excluded = set()
    for child in exclude:
        excluded.update(t.i for t in child.subtree)
    toks = [t for t in token.subtree if t.i not in excluded]
    # keep the contiguous run that holds the token itself
    left = right = token.i
    indices = {t.i for t in toks}
    while left - 1 in indices:
        left -= 1
    while right + 1 in indices:
        right += 1
    doc = token.doc
    return char_span(doc[left : right + 1])


def that_clause_under_prep(verb) -> list:
    """'said in a debate that X had been lost': the parser hangs the that-clause on the
    preposition's object. A clause with a 'that' marker and its own subject is a complement
    (a relative clause's 'that' is its subject or object instead)."""
    out = []
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for clause in pobj.children:
                if clause.dep_ in ("acl", "ccomp") and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children) \
                        and any(c.dep_ in SUBJECT_DEPS for c in clause.children):
                    out.append(clause)
    return out


def strip_possessive(doc, span: tuple[int, int]) -> tuple[int, int]:
    s, e = span
    chunk = doc_text(doc)[s:e]
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if chunk.endswith(suffix):
            return s, e - len(suffix)
    return span


_WALK_DEPS = {"xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "acomp", "dep", "npadvmod", "oprd"}


def subject_of(verb):
    """The source token: the cue's own subject, else (participles, conjuncts, xcomps) its governor's.

    Walks up through non-finite verbs and prepositions ("responded by saying", "spent his
    speech defending") until a clause with a subject; a finite complement clause (ccomp)
    stops the walk, since its governor speaks for someone else.
    """
    token = verb
    for _ in range(6):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        agents = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents and any(c.dep_ == "nsubjpass" for c in token.children):
            return agents[0]
        subjects = [t for t in subjects if not t.is_punct and t.text not in ALL_MARKS]
        if subjects:
            return subjects[0]
        if token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return token.head  # ", with Croatia accusing Serbia of ..."
        if token.dep_ == "conj":
            stray = unlinked_conj_subject(token)
            if stray is not None:
                return stray
        if token.dep_ in _WALK_DEPS and token.head.i != token.i:
            token = token.head
            continue
        return None
    return None


def unlinked_conj_subject(verb):
    """A 'conjunct' with no conjunction before it is a parse error for a clause whose subject
    sits right before it ('... after a lawmaker, Vartan Hakobyan, said that ...'): take that noun."""
    doc = verb.doc
    head = verb.head
    if any(t.dep_ == "cc" or t.lower_ in ("and", "or", "but") for t in doc[head.i + 1 : verb.i]):
        return None
    i = verb.i - 1
    while i > head.i and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    noun = doc[i]
    if i <= head.i or noun.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    while noun.dep_ in ("appos", "compound", "flat") and noun.head.i < noun.i:
        noun = noun.head
    return noun


def according_to(token):
    """The "to" of "according to" when ``token`` is its "according", else None."""
    doc = token.doc
    if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        return doc[token.i + 1]
    return None
