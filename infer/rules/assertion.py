"""Whether speech asserts anything: the one filter the rule segmenter and the tagger's statements share.

No statement comes from negated speech ("did not say", "Neither government said"), refusals
("declined to comment"), anything inside what such speech leaves open ("did not say whether X
backed Y"), the writer's "so-called", or an open question nobody has answered ("It is unclear
whether parliament will vote ..."). Nor from an act that is not speech ("parliament granted the
president permission", "the capital brokered the truce", :func:`not_speech`) unless its complement is
a clause or a quotation, nor from a content that says nothing: a bare word or determiner outside
quotation marks (:func:`bare_content`).
"""

from __future__ import annotations

from claimstance.infer.candidate import Candidate, cue_token
from claimstance.infer.text.parse import SUBJECT_DEPS
from claimstance.infer.text.marks import ALL_MARKS
from claimstance.infer.text.units import doc_text
from claimstance.infer.words import (
    ABBREVIATIONS, HONORIFICS, NEGATIVE_SUBJECTS, NON_ASSERTIVE, NON_SPEECH_VERBS, OPEN_QUESTION_MARKERS, UNCERTAIN, WH_WORDS,
)

# parts of speech of a word that cannot be a content on its own
FUNCTION_POS = {"DET", "ADP", "SCONJ", "CCONJ", "PART", "PUNCT", "SYM", "NUM", "AUX", "X"}
# titles that cannot be a content on their own ("Mr", "Sen")
TITLE_WORDS_ALONE = HONORIFICS | frozenset(a.lower() for a in ABBREVIATIONS)

__all__ = ["asserts_nothing", "bare_content", "is_function_word", "is_negated", "non_assertive", "not_speech", "so_called"]



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
    if bare_content(doc, cand):
        return True
    words = text[cand.start : cand.end].split()
    opens_question = bool(words) and text[cand.start] not in ALL_MARKS and words[0].lower().strip("(") in WH_WORDS
    if cand.cue is None:
        return opens_question
    tok = cue_token(doc, cand)
    if tok is None:
        return False
    if tok.dep_ in ("aux", "auxpass") and tok.head.i != tok.i:
        tok = tok.head  # a cue tagged on an auxiliary stands for its verb ("could not be verified")
    if non_assertive(tok) or so_called(tok) or tok.lemma_.lower() in NON_ASSERTIVE or not_speech(doc, tok, cand):
        return True
    cue_words = {t.lower_ for t in doc.char_span(*cand.cue, alignment_mode="expand") or ()}
    if opens_question and (bool(cue_words & UNCERTAIN) or any(c.dep_ == "neg" for c in tok.head.children)):
        return True
    return _under_open_question(tok)


def bare_content(doc, cand: Candidate) -> bool:
    """A content that is one function word outside quotation marks ("the", "his", "to", "what", "Mr"):
    a fragment, nothing asserted. A single name or noun stays ("criticised Clinton", "denied it"):
    the target of the speech is the statement; a quoted word is a scare quote and stays."""
    text = doc_text(doc)
    pieces = [text[s:e].strip() for s, e in cand.content]
    if any(p[:1] in ALL_MARKS or p[-1:] in ALL_MARKS for p in pieces if p):
        return False
    words = [t for s, e in cand.content for t in (doc.char_span(s, e, alignment_mode="expand") or ())
             if not (t.is_punct or t.is_space)]
    if not words:
        return True
    if len(words) > 1:
        return False
    return is_function_word(words[0])


def is_function_word(word) -> bool:
    """A word that says nothing on its own: a determiner or possessive ("the", "his"), a preposition,
    a conjunction, a question word, a number, a title ("Mr"). A pronoun object ("supporting her") is not."""
    if word.dep_ in ("dobj", "pobj", "obj", "nsubj", "nsubjpass") and word.pos_ == "PRON" and word.tag_ == "PRP":
        return False
    return word.pos_ in FUNCTION_POS or word.tag_ in ("PRP$", "WP$", "WDT", "WP") or word.dep_ == "poss" or \
        word.lower_.rstrip(".") in TITLE_WORDS_ALONE


def not_speech(doc, tok, cand: Candidate) -> bool:
    """A cue that is an act, not speech ("granted", "brokered", "annulled", "pounces on": the word
    list's non_speech_verbs), whose content is not a clause or a quotation: the content's first root
    (its first word whose head lies outside it) is no verb ("the truce", "counters whenever the owner
    leaves") or a verb with no subject of its own ("the president permission to send troops")."""
    if tok.lemma_.lower() not in NON_SPEECH_VERBS:
        return False
    text = doc_text(doc)
    if any(text[s:e].lstrip()[:1] in ALL_MARKS for s, e in cand.content):
        return False
    span = doc.char_span(cand.content[0][0], cand.content[0][1], alignment_mode="expand")
    if span is None:
        return False
    root = next((t for t in span if t.head.i == t.i or not span.start <= t.head.i < span.end), None)
    return root is None or not (root.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECT_DEPS for c in root.children))


def _under_open_question(tok) -> bool:
    """The cue sits in a clause that an "unclear"-type word leaves open: "It is unclear whether
    parliament will vote on ..." (whoever votes, nobody has said anything)."""
    for ancestor in tok.ancestors:
        words = {ancestor.lower_} | {c.lower_ for c in ancestor.children if c.dep_ in ("acomp", "attr")}
        if words & UNCERTAIN:
            return any(t.lower_ in OPEN_QUESTION_MARKERS for t in tok.subtree) or \
                any(c.lower_ in OPEN_QUESTION_MARKERS and c.dep_ == "mark" for c in tok.children)
    return False
