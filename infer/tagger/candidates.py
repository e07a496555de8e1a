"""Candidates from the learned tagger's attributions, through the rules' filters.

The tagger finds content, cue and source spans (:mod:`claimstance.infer.tagger.model`); the rule
stages it does not replace still run on its output: the filters here (captions, bylines and
"Read more" lines, speech that asserts nothing: :mod:`claimstance.infer.rules.assertion`), and of
several tagged sources in the cue's sentence, the one the parse makes the cue's subject. Speaker
resolution and parties follow as for the rules. How the tagger's candidates combine with the
rules' is the segmenter's (``segment.mode``, :mod:`claimstance.infer.segmenter`).
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from claimstance.infer.candidate import Candidate
from claimstance.infer.rules.assertion import asserts_nothing, is_function_word
from claimstance.infer.speakers.sources import cue_source
from claimstance.infer.tagger.decode import Attribution, source_span
from claimstance.infer.text.furniture import boilerplate_ranges
from claimstance.infer.text.units import in_ranges

__all__ = ["tagger_candidates"]


def tagger_candidates(attributions: Sequence[Attribution], text: str, doc=None) -> list[Candidate]:
    """Candidates from decoded attributions, minus those the rules rule out: a content starting in a
    boilerplate line, and (given the parse) speech that asserts nothing (:func:`asserts_nothing`)."""
    skip = boilerplate_ranges(text)
    starts = [s for s, _ in skip]
    out = []
    for a in attributions:
        if in_ranges(skip, starts, a.start):
            continue
        cand = Candidate(tuple(a.content), a.cue[0] if a.cue else None, source_span(a), None, "tagger")
        if doc is not None:
            cand = _widen_fragment(doc, cand)
        # every part of a cue cut in two counts ("It" + "is unclear" whether ...)
        if doc is not None and any(asserts_nothing(doc, dataclasses.replace(cand, cue=part)) for part in a.cue or [None]):
            continue
        if doc is not None and len(a.source_options) > 1:
            cand = _parse_choice(doc, cand, a.source_options)
        out.append(cand)
    return out


def _widen_fragment(doc, cand: Candidate) -> Candidate:
    """A content the tagger cut to one determiner or possessive ("has knocked | the", "supporting |
    his") takes the noun phrase that word opens, in its sentence and clear of the cue; anything else
    stays as tagged (and a lone function word is then no statement: :func:`bare_content`)."""
    if len(cand.content) != 1:
        return cand
    span = doc.char_span(*cand.content[0], alignment_mode="expand")
    words = [t for t in span or () if not (t.is_punct or t.is_space)]
    if len(words) != 1 or not is_function_word(words[0]) or words[0].dep_ not in ("det", "poss", "predet"):
        return cand
    head = words[0].head
    if head.i <= words[0].i or head.sent != words[0].sent:
        return cand
    start, end = words[0].idx, head.right_edge.idx + len(head.right_edge)
    if cand.cue is not None and start < cand.cue[1] and cand.cue[0] < end:
        return cand
    return dataclasses.replace(cand, content=((start, end),))


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
