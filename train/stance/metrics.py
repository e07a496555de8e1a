"""Stance metrics: 3-class scores, DSA's 5 classes from two directed predictions, calibration.

* ``score_plain``: macro-F1, accuracy and per-class F1 over favor / against / neutral.
* ``score_dsa``: each DSA row is queried p->q and q->p; ``dsa_class_from_directions`` combines the
  two predictions back into DSA's five classes (the more confident directed label decides); macro-F1 over the five.
* ``expected_calibration_error``: 15 equal-width bins of the top probability.
* ``fit_temperature``: the temperature minimising dev negative log-likelihood.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from claimstance.data.dsa import DSA_CLASSES, DSA_DIRECTIONS, dsa_class_from_directions

__all__ = ["expected_calibration_error", "fit_temperature", "score_dsa", "score_plain", "nll"]


def score_plain(gold: Sequence[str], probs: np.ndarray, labels: Sequence[str]) -> dict:
    pred = [labels[i] for i in probs.argmax(axis=1)]
    order = list(labels)
    per_class = f1_score(gold, pred, labels=order, average=None, zero_division=0)
    return {
        "n": len(gold),
        "macro_f1": float(f1_score(gold, pred, labels=order, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
        "f1": {label: float(f) for label, f in zip(order, per_class)},
        "confusion": {"labels": order, "matrix": confusion_matrix(gold, pred, labels=order).tolist()},
    }


def dsa_predictions(probs: np.ndarray, labels: Sequence[str]) -> list[int]:
    """DSA class per row from probabilities of consecutive (p->q, q->p) queries."""
    out = []
    for pq, qp in zip(probs[0::2], probs[1::2]):
        pq_i, qp_i = int(pq.argmax()), int(qp.argmax())
        out.append(dsa_class_from_directions((labels[pq_i], float(pq[pq_i])), (labels[qp_i], float(qp[qp_i]))))
    return out


_FROM_DIRECTIONS = {directions: class_id for class_id, directions in DSA_DIRECTIONS.items()}


def score_dsa(gold_directed: Sequence[str], probs: np.ndarray, labels: Sequence[str]) -> dict:
    """5-class scores for paired DSA queries (gold labels per direction, as the reader gives them)."""
    gold = [_FROM_DIRECTIONS[(a, b)] for a, b in zip(gold_directed[0::2], gold_directed[1::2])]
    pred = dsa_predictions(probs, labels)
    ids = list(range(len(DSA_CLASSES)))
    per_class = f1_score(gold, pred, labels=ids, average=None, zero_division=0)
    directed = score_plain(gold_directed, probs, labels)
    return {
        "n_rows": len(gold),
        "macro_f1": float(f1_score(gold, pred, labels=ids, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
        "f1": {DSA_CLASSES[i]: float(f) for i, f in zip(ids, per_class)},
        "confusion": {"labels": list(DSA_CLASSES), "matrix": confusion_matrix(gold, pred, labels=ids).tolist()},
        "directed_macro_f1": directed["macro_f1"],
    }


def expected_calibration_error(gold_ids: np.ndarray, probs: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error of the top-class probability (equal-width bins)."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold_ids
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return float(ece)


def nll(gold_ids: np.ndarray, logits: np.ndarray, temperature: float) -> float:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(gold_ids)), gold_ids].mean())


def fit_temperature(gold_ids: np.ndarray, logits: np.ndarray) -> float:
    """The temperature in [0.05, 20] with the lowest dev NLL (golden-section search on log T)."""
    lo, hi = math.log(0.05), math.log(20.0)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = nll(gold_ids, logits, math.exp(a)), nll(gold_ids, logits, math.exp(b))
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = nll(gold_ids, logits, math.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = nll(gold_ids, logits, math.exp(b))
    return round(math.exp((lo + hi) / 2), 4)
