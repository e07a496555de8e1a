"""The cue lexicon: which words introduce attributed speech, thought or stance.

Built from a maintained reporting-verb list (the Gender Gap Tracker's quote-verb list,
MIT) extended with what PolNeAR train shows: for every lemma, how often a token with that
lemma is annotated as a cue there. ``data/lexicons/cue_lexicon.tsv`` holds the counts;
``python -m claimstance.data.cue_lexicon`` rebuilds it (see that module).
A lemma is a cue when its precision as a cue on PolNeAR train clears a threshold, or when
it is on the maintained list and PolNeAR has too few examples to say otherwise.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from claimstance.config import SegmentConfig

from claimstance.infer.words import NON_ASSERTIVE



@dataclass(frozen=True)
class CueEntry:
    lemma: str
    pos: str  # VERB | NOUN
    in_maintained_list: bool
    cue_count: int
    total: int

    @property
    def precision(self) -> float:
        return self.cue_count / self.total if self.total else 0.0


@dataclass(frozen=True)
class CueLexicon:
    """The counts, and the thresholds of ``segment.*`` in the infer config (``SegmentConfig``)."""

    entries: dict[tuple[str, str], CueEntry]
    min_precision: float
    min_count: int
    noun_min_precision: float  # noun cues also need a "that" clause, so a lower bar holds

    @classmethod
    def from_tsv(cls, config: SegmentConfig, path: Path | None = None) -> "CueLexicon":
        if path is None:
            text = resources.files("claimstance.data").joinpath("lexicons/cue_lexicon.tsv").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
        entries = {}
        for row in rows:
            entry = CueEntry(
                lemma=row["lemma"],
                pos=row["pos"],
                in_maintained_list=row["in_maintained_list"] == "1",
                cue_count=int(row["cue_count"]),
                total=int(row["total"]),
            )
            entries[(entry.lemma, entry.pos)] = entry
        return cls(entries, config.cue_min_precision, config.cue_min_count, config.noun_cue_min_precision)

    def is_cue(self, lemma: str, pos: str) -> bool:
        entry = self.entries.get((lemma.lower(), pos))
        if entry is None or lemma.lower() in NON_ASSERTIVE:
            return False
        threshold = self.noun_min_precision if pos == "NOUN" else self.min_precision
        if entry.total >= 10 or entry.cue_count >= self.min_count:
            return entry.precision >= threshold and entry.cue_count >= self.min_count
        return entry.in_maintained_list

    def cue_lemmas(self, pos: str) -> set[str]:
        lemmas = {lemma for (lemma, p) in self.entries if p == pos and self.is_cue(lemma, p)}
        return lemmas | stance_verbs() if pos == "VERB" else lemmas


@functools.lru_cache(maxsize=1)
def stance_verbs() -> frozenset[str]:
    """Verbs of support and opposition (``data/lexicons/stance_verbs.txt``): always cues for claims."""
    text = resources.files("claimstance.data").joinpath("lexicons/stance_verbs.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@functools.lru_cache(maxsize=4)
def load_lexicon(config: SegmentConfig = SegmentConfig()) -> CueLexicon:
    """The shipped lexicon with the thresholds of ``config``, read once per process and thresholds."""
    return CueLexicon.from_tsv(config)
