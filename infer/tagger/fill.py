"""Fill the roles the best tag sequence left empty, from the tagger's probabilities.

Viterbi keeps only the single most probable tag sequence. Where it gives a content no cue, or a
cue no source, the tagger usually still ranks the right words first among the rest of the
sentence: PolNeAR annotates a source for nearly every cue, so a weaker guess from the model beats
a guess from the parse. So after grouping (:func:`claimstance.infer.tagger.decode.group_segments`):

- a cue with no content takes the likeliest content run in its sentence when that run's best word
  is at least :data:`MIN_CONTENT` in the role, with the nearest tagged source of the sentence;
- a content with no cue takes the likeliest cue run in its sentence, outside every decoded
  segment and outside the content's own quotation; then a cue with no source takes the likeliest
  source run in its sentence, outside the decoded segments and its own cue;
- every cue also records the tagged source runs of its sentence (``Attribution.source_options``),
  so that a later stage with a parse can prefer the one the parse makes the cue's subject
  (:func:`claimstance.infer.tagger.candidates.tagger_candidates`).

A run is the word most probably in the role (``B-`` plus ``I-`` probability) and the words on
either side, in the same sentence, that keep at least half that probability. A word below
:data:`MIN_START` probability is no guess. On the 53 held-out PolNeAR train articles (dev chose
nothing), filling cues and sources and the parse's choice raised the first tagger's source accuracy
from 89.0 to 91.4. Filling contents costs a little there (PolNeAR annotates "X backed Y" less often
than our sample gold): thresholds 0.2, 0.3 and 0.45 gave exact F1 -0.8, -0.5 and -0.3 points with
the shipped tagger, so the least costly is kept; docs/results.md gives the dev figures.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from claimstance.infer.tagger.decode import (
    SENTENCE_COST, Attribution, Gaps, Groups, Segment, cue_groups, join_sources, quotation_end,
)
from claimstance.infer.tagger.encoding import TAGS

__all__ = ["MIN_START", "MIN_CONTENT", "fill_roles"]

MIN_START = 0.001  # least probability of B-X at a run's first piece; chosen on the held-out articles
MIN_CONTENT = 0.45  # least probability in the role of a filled content's likeliest word (held-out articles)


def fill_roles(attributions: Sequence[Attribution], segments: Sequence[Segment], log_probs: np.ndarray,
               offsets: Sequence[tuple[int, int]], text: str) -> list[Attribution]:
    """``attributions`` with missing cues and sources filled in place (see the module doc)."""
    gaps = Gaps(text)
    runs = _Runs(np.exp(log_probs), segments, offsets, text, gaps)
    sources = join_sources([s for s in segments if s.role == "SOURCE"], text)
    indexed = Groups([[s] for s in sources])
    attributions = list(attributions) + _contents_for_bare_cues(attributions, segments, runs, indexed, text, gaps)
    for a in attributions:
        if not a.cue:
            cue = runs.best("CUE", a.content[0])
            quote_end = quotation_end(text, a.start)
            if cue is not None and not a.start < cue[0] < quote_end:  # not a word of its own quotation
                a.cue.append(cue)
                runs.take(cue)  # no source inside it
        if a.cue:
            if not a.source:
                source = runs.best("SOURCE", a.cue[0])
                if source is not None:
                    a.source.append(source)
            a.source_options = [indexed[g][0] for g in indexed.near(a.cue[0], SENTENCE_COST)
                                if gaps.cost(indexed[g][0], a.cue[0]) < SENTENCE_COST]
    return sorted(attributions, key=lambda a: a.start)


def _contents_for_bare_cues(attributions: Sequence[Attribution], segments: Sequence[Segment], runs: "_Runs",
                            sources: Groups, text: str, gaps: Gaps) -> list[Attribution]:
    """A cue the best sequence left without content takes the likeliest content run of its sentence
    when one is likely enough (:data:`MIN_CONTENT`): "The Caribbean Community backed Guyana." with
    "Guyana" a content at 0.48 against 0.48 for O. Its source is the nearest tagged one in the
    sentence, else none yet (the caller fills it)."""
    used = {part for a in attributions for part in a.cue}
    contents = [s for s in segments if s.role == "CONTENT"]
    out = []
    for group in cue_groups([s for s in segments if s.role == "CUE"], contents, gaps):
        if group[0] in used:
            continue
        content = runs.best("CONTENT", group[0], least=MIN_CONTENT)
        if content is None:
            continue
        runs.take(content)
        a = Attribution(content=[content], cue=list(group))
        g = gaps.nearest(group[0], sources, SENTENCE_COST)
        if g is not None:
            a.source.append(sources[g][0])
        out.append(a)
    return out


class _Runs:
    """Best untagged runs of one role near an anchor span."""

    def __init__(self, probs: np.ndarray, segments: Sequence[Segment], offsets: Sequence[tuple[int, int]], text: str,
                 gaps: Gaps):
        self.offsets, self.gaps = offsets, gaps
        self.starts = np.array([s for s, _ in offsets], dtype=np.int64)
        self.word_start = np.array([e > s and (s == 0 or not text[s - 1].isalnum()) for s, e in offsets])
        self.taken = np.zeros(len(offsets), dtype=bool)
        for seg in segments:  # decoded segments are never filled over
            self.take((seg.start, seg.end))
        # each piece's probability of being in the role (B- plus I-), once per document
        self.inside = {role: probs[:, TAGS.index(f"B-{role}")] + probs[:, TAGS.index(f"I-{role}")]
                       for role in ("CUE", "SOURCE", "CONTENT")}

    def take(self, span: tuple[int, int]) -> None:
        self.taken[np.searchsorted(self.starts, span[0]) : np.searchsorted(self.starts, span[1])] = True

    def best(self, role: str, anchor: tuple[int, int], least: float = MIN_START) -> Optional[tuple[int, int]]:
        """The words around the sentence's most probable word in ``role`` (``B-`` or ``I-``; at least
        ``least``), while they keep at least half its probability, within that sentence."""
        inside = self.inside[role]
        lo = np.searchsorted(self.starts, anchor[0] - SENTENCE_COST)
        hi = np.searchsorted(self.starts, anchor[1] + SENTENCE_COST)
        ok = lo + np.flatnonzero(self.word_start[lo:hi] & ~self.taken[lo:hi] & (inside[lo:hi] >= least))
        ok = [k for k in ok if self.gaps.cost(self.offsets[k], anchor) < SENTENCE_COST]
        if not ok:
            return None
        peak = max(ok, key=lambda k: inside[k])
        first = last = peak
        same = lambda k: self.gaps.cost(self.offsets[k], self.offsets[peak]) < SENTENCE_COST  # noqa: E731
        while first > 0 and not self.taken[first - 1] and same(first - 1) and (
                not self.word_start[first] or inside[first - 1] >= inside[peak] / 2):
            first -= 1
        while first < peak and not self.word_start[first]:
            first += 1
        while last + 1 < len(self.offsets) and not self.taken[last + 1] and same(last + 1) and (
                not self.word_start[last + 1] or inside[last + 1] >= inside[peak] / 2):
            last += 1
        return self.offsets[first][0], self.offsets[last][1]
