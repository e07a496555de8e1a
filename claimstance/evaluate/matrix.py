"""The speaker × party matrix against hand-annotated cells (``data/matrix``; rules in its README).

Each gold cell ``(article, speaker, target, label)`` is looked up in that article's predicted
``stance_matrix``: a predicted cell **finds** it when its speaker is one of the gold speaker's
aliases and its target one of the gold target's, names compared by :func:`name_key` (case,
whitespace, curly apostrophes and a leading "the" ignored). Where several predicted cells find
one gold cell (the same person under two names), the one with the most evidence statements
decides, then the higher score. A gold cell no predicted cell finds is ``missing``.

Figures (:func:`matrix_figures`): the found rate; accuracy, macro-F1 (favor / against / neutral)
and "against" precision on the found cells; end-to-end accuracy, where a missing cell is wrong.
They are computed from additive counts per article, so that :mod:`claimstance.evaluate.bootstrap`
resamples articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from claimstance.data.matrix_gold import GoldCell
from claimstance.evaluate import stance_stats as st
from claimstance.records import LABELS

__all__ = ["MISSING", "CellOutcome", "match_cells", "matrix_figures", "name_key", "outcome_counts"]

MISSING = "missing"


def name_key(name: str) -> str:
    """A name as matching compares it."""
    name = " ".join(name.replace("’", "'").replace("‘", "'").split()).lower()
    return re.sub(r"^the ", "", name)


@dataclass(frozen=True)
class CellOutcome:
    gold: GoldCell
    pred: str  # a label, or MISSING
    score: Optional[float] = None
    speaker: Optional[str] = None  # the predicted cell's names
    target: Optional[str] = None
    evidence: tuple[str, ...] = ()  # the predicted cell's evidence statements: their contents' text

    @property
    def found(self) -> bool:
        return self.pred != MISSING


def match_cells(gold: Sequence[GoldCell], results: Mapping[str, Mapping[str, Any]]) -> list[CellOutcome]:
    """One outcome per gold cell, from infer output records (``to_dict`` form) by article id.

    An article with no record, or an error record, finds none of its cells."""
    out = []
    for cell in gold:
        record = results.get(cell.article) or {}
        speakers = {name_key(a) for a in cell.speaker_aliases}
        targets = {name_key(a) for a in cell.target_aliases}
        hits = [c for c in record.get("stance_matrix") or ()
                if name_key(c["speaker"]) in speakers and name_key(c["target"]) in targets]
        if not hits:
            out.append(CellOutcome(cell, MISSING))
            continue
        best = max(hits, key=lambda c: (len(c.get("evidence") or ()), c["score"]))
        contents = {s["id"]: s["content"]["text"] for s in record.get("statements") or ()}
        evidence = tuple(contents.get(sid, sid) for sid in best.get("evidence") or ())
        out.append(CellOutcome(cell, best["label"], float(best["score"]), best["speaker"], best["target"], evidence))
    return out


def outcome_counts(outcome: CellOutcome) -> dict[str, float]:
    """Additive counts of one outcome (see :mod:`claimstance.evaluate.stance_stats`)."""
    return st.item_counts(outcome.gold.label, outcome.pred, outcome.score)


def _found_only(counts: Mapping[str, float]) -> dict[str, float]:
    return {k: v for k, v in counts.items() if not (k.startswith("cm|") and k.endswith(f"|{MISSING}"))}


def _n(counts: Mapping[str, float], found: bool = False) -> float:
    return sum(v for k, v in counts.items() if k.startswith("cm|") and (not found or not k.endswith(f"|{MISSING}")))


def found_rate(counts: Mapping[str, float]) -> float:
    n = _n(counts)
    return _n(counts, found=True) / n if n else 0.0


def accuracy_found(counts: Mapping[str, float]) -> float:
    return st.accuracy(_found_only(counts))


def macro_f1_found(counts: Mapping[str, float]) -> float:
    return st.macro_f1(_found_only(counts), LABELS)


def end_to_end_accuracy(counts: Mapping[str, float]) -> float:
    return st.accuracy(counts)


def against_precision(counts: Mapping[str, float]) -> float:
    return st.per_class(_found_only(counts), LABELS)["against"]["precision"]


def matrix_figures() -> dict[str, tuple[str, Any]]:
    """The headline figures: name -> (label, statistic over summed counts)."""
    return {
        "accuracy_found": ("accuracy on found cells", accuracy_found),
        "macro_f1_found": ("macro-F1 on found cells (favor / against / neutral)", macro_f1_found),
        "found_rate": ("cells found (speaker and target in the matrix)", found_rate),
        "end_to_end_accuracy": ("end-to-end accuracy (a missing cell is wrong)", end_to_end_accuracy),
        "against_precision": ("'against' precision on found cells", against_precision),
    }
