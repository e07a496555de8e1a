"""The segmenter: where statements come from, built once from ``segment.mode``.

- ``rules``: the rule segmenter alone (:mod:`claimstance.infer.rules.segment`);
- ``tagger``: the learned tagger's candidates (:mod:`claimstance.infer.tagger.candidates`);
- ``tagger_quotes``: the tagger's, a content that is part of a quotation taking the whole quotation,
  across paragraphs;
- ``union``: the tagger's, plus the rule candidates whose content overlaps none of them;
- ``rules_first``: the rule candidates, plus the tagger's whose content overlaps none of them (the
  rules decide where they find something; the tagger adds what they miss).

``claimstance evaluate attribution --modes rules,tagger,tagger_quotes,union,rules_first`` scores them
side by side on PolNeAR dev (docs/results.md gives the figures; docs/attribution.md why ``tagger`` is the default).

Every mode adds the signed texts of the page furniture (a letter or post above its signature line).
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Optional, Sequence

from claimstance.config import SegmentConfig
from claimstance.infer.candidate import Candidate
from claimstance.infer.rules.cues import load_lexicon
from claimstance.infer.rules.segment import RuleSegmenter, extend_to_quotes
from claimstance.infer.tagger.candidates import tagger_candidates
from claimstance.infer.tagger.model import AttributionTagger, load_tagger
from claimstance.infer.text.furniture import signed_blocks, without_furniture
from claimstance.infer.text.quotes import QuoteIndex, find_quotes
from claimstance.infer.text.units import doc_text
from claimstance.infer.words import FIRST_PERSON

__all__ = ["Segmenter", "build_segmenter"]

Combine = Callable[[object, Sequence[Candidate], Sequence[Candidate]], list[Candidate]]


def _overlaps_any(cand: Candidate, others: Sequence[Candidate]) -> bool:
    return any(s < e2 and s2 < e for s, e in cand.content for o in others for s2, e2 in o.content)


def _tagger_quotes(doc, rules: Sequence[Candidate], tagged: Sequence[Candidate]) -> list[Candidate]:
    text = doc_text(doc)
    quotes = QuoteIndex(find_quotes(text), text)
    return [extend_to_quotes(c, quotes) for c in tagged]


# mode -> (uses the rules, how the rules' and the tagger's candidates combine)
MODES: dict[str, tuple[bool, Combine]] = {
    "rules": (True, lambda doc, rules, tagged: list(rules)),
    "tagger": (False, lambda doc, rules, tagged: list(tagged)),
    "tagger_quotes": (False, _tagger_quotes),
    "union": (True, lambda doc, rules, tagged: list(tagged) + [c for c in rules if not _overlaps_any(c, tagged)]),
    "rules_first": (True, lambda doc, rules, tagged: list(rules) + [c for c in tagged if not _overlaps_any(c, rules)]),
}


class Segmenter:
    """Candidates of a parsed doc from the rules, the tagger, or both, combined as its mode says.

    ``tag(docs)`` runs the tagger over many docs at once (its windows batched by length); a
    segmenter without a tagger gives ``None`` for each. ``segmenter(doc, attributions)`` gives the
    doc's candidates in text order."""

    def __init__(self, combine: Combine, rules: Optional[RuleSegmenter] = None,
                 tagger: Optional[AttributionTagger] = None, uses_rules: bool = True):
        self.combine = combine
        self.rules = rules
        self.tagger = tagger
        self.uses_rules = uses_rules  # False: the rules only lend cues to the tagger's cue-less quotations

    def tag(self, docs: Sequence) -> list:
        if self.tagger is None:
            return [None] * len(docs)
        # the tagger reads the reporting: furniture lines are blanked out (offsets unchanged)
        return self.tagger.attributions([without_furniture(doc_text(d)) for d in docs])

    def __call__(self, doc, attributions=None) -> list[Candidate]:
        rules = self.rules(doc) if self.rules is not None and self.uses_rules else []
        tagged = []
        if self.tagger is not None:
            text = doc_text(doc)
            if attributions is None:
                attributions = self.tag([doc])[0]
            tagged = tagger_candidates(attributions, text, doc)
            if self.rules is not None and any(c.cue is None and c.source is None for c in tagged):
                tagged = with_rule_cues(tagged, rules if self.uses_rules else self.rules(doc))
        found = with_signed_texts(doc, self.combine(doc, rules, tagged))
        return sorted(found, key=lambda c: (c.start, c.end))


def with_rule_cues(tagged: Sequence[Candidate], rules: Sequence[Candidate]) -> list[Candidate]:
    """The tagger's candidates, a quotation it found without cue or source taking the cue and source
    of the rule candidate on the same quotation ('"I will not resign!" insists the mayor': the
    rules read the inverted cue after it). The rules run only for a doc with such a quotation."""
    out = []
    for cand in tagged:
        if cand.cue is None and cand.source is None:
            lent = next((r for r in rules if r.cue is not None and r.source is not None
                         and any(s < e2 and s2 < e for s, e in r.content for s2, e2 in cand.content)), None)
            if lent is not None:
                cand = dataclasses.replace(cand, cue=lent.cue, source=lent.source, source_head=lent.source_head)
        out.append(cand)
    return out


def with_signed_texts(doc, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates, plus one per signed text (a letter above "— Jane Doe, Ohio": the signer's
    statement), less the first-person statements inside it, which that one now holds."""
    text = doc_text(doc)
    blocks = signed_blocks(text)
    if not blocks:
        return list(candidates)
    out = [c for c in candidates if not any(
        b.start <= c.start < b.end and c.source is not None and text[c.source[0] : c.source[1]].lower() in FIRST_PERSON
        for b in blocks)]
    for b in blocks:
        name = doc.char_span(*b.name, alignment_mode="expand")
        out.append(Candidate(b.paragraphs, None, b.name, name.root.i if name is not None and len(name) else None, "signature"))
    return out


def build_segmenter(config: SegmentConfig, tagger: Optional[AttributionTagger] = None,
                    runtime: str = "torch") -> Segmenter:
    """The segmenter of ``config.mode``; its tagger is ``tagger``, else loaded from ``config.tagger_model``."""
    uses_rules, combine = MODES[config.mode]
    rules = RuleSegmenter(load_lexicon(config), min_quote_words=config.min_quote_words)
    if config.needs_tagger and tagger is None:
        tagger = load_tagger(config.tagger_model, runtime)
    return Segmenter(combine, rules, tagger if config.needs_tagger else None, uses_rules)
