"""Whether speech asserts anything: the one filter the rule segmenter and the tagger's statements share.

No statement comes from negated speech ("did not say", "Neither government said"), refusals
("declined to comment"), anything inside what such speech leaves open ("did not say whether X
backed Y"), the writer's "so-called", or an open question nobody has answered ("It is unclear
whether parliament will vote ...").
"""

from __future__ import annotations

from claimstance.infer.candidate import Candidate, cue_token
from claimstance.infer.text.parse import SUBJECT_DEPS
from claimstance.infer.text.marks import ALL_MARKS
from claimstance.infer.text.units import doc_text
from claimstance.infer.words import NEGATIVE_SUBJECTS, NON_ASSERTIVE, OPEN_QUESTION_MARKERS, UNCERTAIN, WH_WORDS

__all__ = ["asserts_nothing", "is_negated", "non_assertive", "so_called"]



def so_called(token) -> bool:
    """'so-called' and 'so called' are the writer's scare quotes, not someone's speech."""
    doc = token.doc
    prev = [doc[i].lower_ for i in range(max(0, token.i - 2), token.i)]
    return token.lower_ == "called" and ("so" in prev[-1:] or prev == ["so", "-"])


def is_negated(token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    head = token.head
    # "did not want to say", "declined to say": the governing verb carries the negation
    return token.dep_ == "xcomp" and head.i != token.i and any(c.dep_ == "neg" for c in head.children)


def non_assertive(token) -> bool:
    """Negated speech ("did not say", "Neither government said"), refusals ("declined to
    comment"), and anything inside what such speech leaves open ("did not say whether X backed Y")."""
    if is_negated(token):
        return True
    if token.dep_ == "xcomp" and token.head.lemma_ in NON_ASSERTIVE:
        return True
    for subject in (c for c in token.children if c.dep_ in SUBJECT_DEPS):
        if subject.lower_ in NEGATIVE_SUBJECTS or any(d.dep_ == "det" and d.lower_ in NEGATIVE_SUBJECTS for d in subject.children):
            return True
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX") and (is_negated(ancestor) or ancestor.lemma_ in NON_ASSERTIVE):
            if any(t.lower_ in WH_WORDS for t in token.subtree) or any(
                t.lower_ in WH_WORDS and t.i < token.i and t.head.i >= token.i for t in ancestor.subtree
            ):
                return True
    return False


def asserts_nothing(doc, cand: Candidate) -> bool:
    """Negated or refused speech ("did not say when", "declined to comment on"), "so-called", and an
    open question with no speaker behind it ("It is unclear whether ...", or a content with no cue
    that opens with "whether"): PolNeAR annotates some of these; claimstance's contract has no
    statement there. A quotation that opens with a question word is somebody's question, not an
    open one: "“Why should we pay?” he asked" asserts something."""
    text = doc_text(doc)
    words = text[cand.start : cand.end].split()
    opens_question = bool(words) and text[cand.start] not in ALL_MARKS and words[0].lower().strip("(") in WH_WORDS
    if cand.cue is None:
        return opens_question
    tok = cue_token(doc, cand)
    if tok is None:
        return False
    if tok.dep_ in ("aux", "auxpass") and tok.head.i != tok.i:
        tok = tok.head  # a cue tagged on an auxiliary stands for its verb ("could not be verified")
    if non_assertive(tok) or so_called(tok) or tok.lemma_.lower() in NON_ASSERTIVE:
        return True
    cue_words = {t.lower_ for t in doc.char_span(*cand.cue, alignment_mode="expand") or ()}
    if opens_question and (bool(cue_words & UNCERTAIN) or any(c.dep_ == "neg" for c in tok.head.children)):
        return True
    return _under_open_question(tok)


def _under_open_question(tok) -> bool:
    """The cue sits in a clause that an "unclear"-type word leaves open: "It is unclear whether
    parliament will vote on ..." (whoever votes, nobody has said anything)."""
    for ancestor in tok.ancestors:
        words = {ancestor.lower_} | {c.lower_ for c in ancestor.children if c.dep_ in ("acomp", "attr")}
        if words & UNCERTAIN:
            return any(t.lower_ in OPEN_QUESTION_MARKERS for t in tok.subtree) or \
                any(c.lower_ in OPEN_QUESTION_MARKERS and c.dep_ == "mark" for c in tok.children)
    return False
