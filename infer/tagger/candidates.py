"""Statements from the learned tagger, alone or combined with the rule segmenter (``segment.mode``).

The tagger finds content, cue and source spans (:mod:`claimstance.infer.tagger.model`); the rule
stages it does not replace still run on its output: speaker resolution (mention -> canonical
speaker -> party, a source from the parse where the tagger found none; of several tagged sources
in the cue's sentence, the one the parse makes the cue's subject), parties, and the rules'
filters (captions, bylines and "Read more" lines, negated and refused speech, open questions
yield nothing). Modes:

- ``rules``: the rule segmenter alone (``segment.py``);
- ``tagger``: the tagger's attributions;
- ``tagger_quotes``: the tagger's, with the rules' quotation handling: a content that is part of a
  quotation takes the whole quotation, across paragraphs;
- ``union``: the tagger's, plus the rule candidates whose content overlaps none of them;
- ``rules_first``: the rule candidates, plus the tagger's whose content overlaps none of them
  (the rules decide where they find something; the tagger adds what they miss).

``claimstance evaluate attribution --modes rules,tagger,tagger_quotes,union,rules_first`` scores them
side by side on PolNeAR dev; README ("Attribution tagger") gives the figures and the default.
"""

from __future__ import annotations

import bisect
import dataclasses
from typing import Sequence

from claimstance.infer.rules.clauses import non_assertive, so_called
from claimstance.infer.rules.cues import NON_ASSERTIVE, WH_WORDS
from claimstance.infer.text.units import doc_text
from claimstance.infer.text.quotes import QuoteIndex, find_quotes
from claimstance.infer.rules.segment import Candidate, boilerplate_ranges, extend_to_quotes
from claimstance.infer.speakers.sources import cue_source, cue_token
from claimstance.infer.tagger.decode import Attribution, source_span

__all__ = ["MODES", "tagger_candidates", "combine"]

MODES = ("rules", "tagger", "tagger_quotes", "union", "rules_first")


UNCERTAIN = {"unclear", "uncertain", "unknown", "undecided"}


def tagger_candidates(attributions: Sequence[Attribution], text: str, doc=None) -> list[Candidate]:
    """Candidates from decoded attributions, minus those the rules rule out: a content starting in a
    boilerplate line, and (given the parse) speech that asserts nothing (:func:`asserts_nothing`)."""
    skip = boilerplate_ranges(text)
    starts = [s for s, _ in skip]
    out = []
    for a in attributions:
        i = bisect.bisect_right(starts, a.start) - 1
        if i >= 0 and a.start < skip[i][1]:
            continue
        cand = Candidate(tuple(a.content), a.cue[0] if a.cue else None, source_span(a), None, "tagger")
        # every part of a cue cut in two counts ("It" + "is unclear" whether ...)
        if doc is not None and any(asserts_nothing(doc, dataclasses.replace(cand, cue=part)) for part in a.cue or [None]):
            continue
        if doc is not None and len(a.source_options) > 1:
            cand = _parse_choice(doc, cand, a.source_options)
        out.append(cand)
    return out


def _parse_choice(doc, cand: Candidate, options: Sequence[tuple[int, int]]) -> Candidate:
    """Of several tagged sources in the cue's sentence, the one the parse makes the cue's own
    subject (or owner), if any; else the tagger's nearest. "Chrabaszcz, who ..., was among the
    party's basement dwellers, a group of data engineers who ... relished": the subject, not the
    nearest. A subject borrowed from a governing verb does not count (the parse is often wrong
    there: "Azerbaijan summoned ... after a lawmaker, Vartan Hakobyan, said ...")."""
    parsed, head = cue_source(doc, dataclasses.replace(cand, source=None))
    if parsed is None or head is None or not cand.cue[0] <= doc[head].head.idx < cand.cue[1]:
        return cand
    hit = next((o for o in options if o[0] < parsed[1] and parsed[0] < o[1]), None)
    return cand if hit is None else dataclasses.replace(cand, source=hit)


def asserts_nothing(doc, cand: Candidate) -> bool:
    """Negated or refused speech ("did not say when", "declined to comment on"), "so-called", and an
    open question with no speaker behind it ("It is unclear whether ...", or a content with no cue
    that opens with "whether"): PolNeAR annotates some of these; claimstance's contract, like the
    rule segmenter, has no statement there."""
    words = doc_text(doc)[cand.start : cand.end].split()
    opens_question = bool(words) and words[0].lower().strip("\"'\u201c\u2018(") in WH_WORDS
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
            return any(t.lower_ in ("whether", "if") for t in tok.subtree) or \
                any(c.lower_ in ("whether", "if") and c.dep_ == "mark" for c in tok.children)
    return False


def _overlaps_any(cand: Candidate, others: Sequence[Candidate]) -> bool:
    return any(s < e2 and s2 < e for s, e in cand.content for o in others for s2, e2 in o.content)


def combine(mode: str, doc, rules: Sequence[Candidate], tagged: Sequence[Candidate]) -> list[Candidate]:
    """The candidates of ``mode`` in text order (see the module doc)."""
    if mode == "rules":
        out = list(rules)
    elif mode == "tagger":
        out = list(tagged)
    elif mode == "tagger_quotes":
        text = doc_text(doc)
        quotes = QuoteIndex(find_quotes(text), text)
        out = [extend_to_quotes(c, quotes) for c in tagged]
    elif mode == "union":
        out = list(tagged) + [c for c in rules if not _overlaps_any(c, tagged)]
    elif mode == "rules_first":
        out = list(rules) + [c for c in tagged if not _overlaps_any(c, rules)]
    else:
        raise ValueError(f"segment.mode must be one of {', '.join(MODES)}, got {mode!r}")
    return sorted(out, key=lambda c: (c.start, c.end))
