"""The per-article speaker x party matrix from per-statement stance probabilities.

One cell per (speaker, target): the mean of the statements' probability vectors; its label is the
most probable class, its score that probability, and its evidence the ids of the statements whose
own label agrees with the cell (all of them when none does).
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from claimstance.records import MatrixCell

__all__ = ["aggregate_matrix"]


def aggregate_matrix(probs: dict[tuple[str, str], list[tuple[str, np.ndarray]]], labels: tuple[str, ...]) -> tuple[MatrixCell, ...]:
    """Matrix cells from per-statement probability vectors keyed by (speaker, target)."""
    cells = []
    for (speaker, target), items in probs.items():
        mean = np.mean([p for _, p in items], axis=0)
        best = int(mean.argmax())
        label = labels[best]
        agree = [sid for sid, p in items if int(p.argmax()) == best]
        evidence = tuple(OrderedDict.fromkeys(agree or [sid for sid, _ in items]))
        cells.append(MatrixCell(speaker, target, label, float(mean[best]), evidence))
    return tuple(cells)
