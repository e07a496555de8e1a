"""Stance figures from additive per-unit counts, so that they can be bootstrapped.

A unit's counts: ``cm|<gold>|<pred>`` (1 for a directed or plain example; DSA rows also carry
``cm5|<gold class>|<pred class>``) and, for calibration, ``bin|<k>|n``, ``bin|<k>|correct`` and
``bin|<k>|conf`` over :data:`BINS` equal-width bins of the predicted label's probability. Macro-F1
follows scikit-learn with ``labels=`` the full label set and ``zero_division=0``; a prediction
outside the labels ("missing") is wrong for its gold class.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Optional, Sequence

__all__ = ["BINS", "item_counts", "macro_f1", "accuracy", "ece", "per_class"]

BINS = 15  # as the stance model card's ECE


def item_counts(gold: str, pred: str, confidence: Optional[float], prefix: str = "cm") -> dict[str, float]:
    out: dict[str, float] = {f"{prefix}|{gold}|{pred}": 1.0}
    if confidence is not None and prefix == "cm":
        k = min(BINS - 1, int(confidence * BINS))
        out.update({f"bin|{k}|n": 1.0, f"bin|{k}|correct": float(gold == pred), f"bin|{k}|conf": float(confidence)})
    return out


def _cells(counts: Mapping[str, float], prefix: str) -> Counter:
    cells: Counter = Counter()
    for key, value in counts.items():
        parts = key.split("|")
        if parts[0] == prefix and len(parts) == 3:
            cells[(parts[1], parts[2])] += value
    return cells


def per_class(counts: Mapping[str, float], labels: Sequence[str], prefix: str = "cm") -> dict[str, dict[str, float]]:
    cells = _cells(counts, prefix)
    out = {}
    for label in labels:
        tp = cells[(label, label)]
        n_pred = sum(v for (g, p), v in cells.items() if p == label)
        n_gold = sum(v for (g, p), v in cells.items() if g == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": int(n_gold)}
    return out


def macro_f1(counts: Mapping[str, float], labels: Sequence[str], prefix: str = "cm") -> float:
    rows = per_class(counts, labels, prefix)
    return sum(r["f1"] for r in rows.values()) / len(labels)


def accuracy(counts: Mapping[str, float], prefix: str = "cm") -> float:
    cells = _cells(counts, prefix)
    n = sum(cells.values())
    return sum(v for (g, p), v in cells.items() if g == p) / n if n else 0.0


def ece(counts: Mapping[str, float]) -> float:
    """Expected calibration error: sum over bins of |correct - confidence|, over all predictions."""
    n = sum(v for k, v in counts.items() if k.startswith("bin|") and k.endswith("|n"))
    if not n:
        return 0.0
    total = 0.0
    for k in range(BINS):
        total += abs(counts.get(f"bin|{k}|correct", 0.0) - counts.get(f"bin|{k}|conf", 0.0))
    return total / n
