"""The record between segmentation and speaker resolution: a candidate attribution.

Every segmenter (the rules, the tagger, their combinations: :mod:`claimstance.infer.segmenter`)
gives candidates; :mod:`claimstance.infer.speakers.attribute` turns them into statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from claimstance.infer.text.marks import content_kind

__all__ = ["Candidate", "cue_token"]


@dataclass(frozen=True)
class Candidate:
    """An attribution before speaker resolution (token indices refer to the spaCy Doc)."""

    content: tuple[tuple[int, int], ...]  # character parts
    cue: Optional[tuple[int, int]]
    source: Optional[tuple[int, int]]  # the source as written, character span
    source_head: Optional[int]  # token index of the source's head
    origin: str  # verb | according_to | noun | quote (rules) | tagger | signature (a signed text)

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    def kind(self, text: str) -> str:
        if self.origin == "signature":
            return "direct"  # the signer's own words
        pieces = [text[self.content[0][0] : self.content[0][1]]]
        for (_, prev_end), (s, e) in zip(self.content, self.content[1:]):
            pieces.append("\n\n" if "\n" in text[prev_end:s] else " ")
            pieces.append(text[s:e])
        return content_kind("".join(pieces))


def cue_token(doc, cand: Candidate):
    """The head token of a candidate's cue in the parse, or None."""
    if cand.cue is None:
        return None
    span = doc.char_span(*cand.cue, alignment_mode="expand")
    return span.root if span is not None and len(span) else None
