"""The per-article speaker x party matrix from per-statement stance probabilities.

One cell per (speaker, target). Statements whose words name the target (the target marked in the
speaker's own words) speak for the cell; those that reach the target only through a linking
context count only when the speaker has no statement of the first kind about it. The cell's
probabilities are the mean of those statements' vectors; its label is ``decide``'s (the
classifier's rule: the most probable class, or neutral under a confidence floor), its score that
label's probability, and its evidence the ids of those statements whose own label agrees with the
cell (all of them when none does).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np

from claimstance.records import MatrixCell

__all__ = ["CellEvidence", "aggregate_matrix"]


@dataclass(frozen=True)
class CellEvidence:
    """One statement's probabilities toward a cell's target; ``in_words``: the target is named in
    the speaker's own words (not only in a linking context)."""

    statement: str
    probs: np.ndarray
    in_words: bool = True


def _argmax(probs: np.ndarray) -> np.ndarray:
    return probs.argmax(axis=-1)


def aggregate_matrix(cells: dict[tuple[str, str], list[CellEvidence]], labels: tuple[str, ...],
                     decide: Callable[[np.ndarray], np.ndarray] = _argmax) -> tuple[MatrixCell, ...]:
    """Matrix cells from per-statement evidence keyed by (speaker, target), in key order."""
    out = []
    for (speaker, target), items in cells.items():
        items = [e for e in items if e.in_words] or items
        rows = np.stack([e.probs for e in items])
        mean = rows.mean(axis=0)
        best = int(decide(mean[None])[0])
        agree = [e.statement for e, own in zip(items, decide(rows)) if int(own) == best]
        evidence = tuple(OrderedDict.fromkeys(agree or [e.statement for e in items]))
        out.append(MatrixCell(speaker, target, labels[best], float(mean[best]), evidence))
    return tuple(out)
