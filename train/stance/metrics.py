"""Stance metrics: 3-class scores, DSA's 5 classes from two directed predictions.

* ``score_plain``: macro-F1, accuracy and per-class F1 over favor / against / neutral.
* ``score_dsa``: each DSA row is queried p->q and q->p; ``dsa_class_from_directions`` combines the
  two predictions back into DSA's five classes (the more confident directed label decides); macro-F1 over the five.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from claimstance.data.dsa import DSA_CLASSES, DSA_DIRECTIONS, dsa_class_from_directions

__all__ = ["score_dsa", "score_plain"]


def _argmax(probs: np.ndarray) -> np.ndarray:
    return probs.argmax(axis=-1)


def score_plain(gold: Sequence[str], probs: np.ndarray, labels: Sequence[str], decide: Callable = _argmax) -> dict:
    """``decide``: probabilities -> label indices (the classifier's rule; default the most probable)."""
    pred = [labels[i] for i in decide(probs)]
    order = list(labels)
    per_class = f1_score(gold, pred, labels=order, average=None, zero_division=0)
    return {
        "n": len(gold),
        "macro_f1": float(f1_score(gold, pred, labels=order, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
        "f1": {label: float(f) for label, f in zip(order, per_class)},
        "confusion": {"labels": order, "matrix": confusion_matrix(gold, pred, labels=order).tolist()},
    }


def dsa_predictions(probs: np.ndarray, labels: Sequence[str], decide: Callable = _argmax) -> list[int]:
    """DSA class per row from probabilities of consecutive (p->q, q->p) queries."""
    out = []
    chosen = decide(probs)
    for pq, qp, pq_i, qp_i in zip(probs[0::2], probs[1::2], chosen[0::2], chosen[1::2]):
        out.append(dsa_class_from_directions((labels[pq_i], float(pq[pq_i])), (labels[qp_i], float(qp[qp_i]))))
    return out


_FROM_DIRECTIONS = {directions: class_id for class_id, directions in DSA_DIRECTIONS.items()}


def score_dsa(gold_directed: Sequence[str], probs: np.ndarray, labels: Sequence[str], decide: Callable = _argmax) -> dict:
    """5-class scores for paired DSA queries (gold labels per direction, as the reader gives them)."""
    gold = [_FROM_DIRECTIONS[(a, b)] for a, b in zip(gold_directed[0::2], gold_directed[1::2])]
    pred = dsa_predictions(probs, labels, decide)
    ids = list(range(len(DSA_CLASSES)))
    per_class = f1_score(gold, pred, labels=ids, average=None, zero_division=0)
    directed = score_plain(gold_directed, probs, labels, decide)
    return {
        "n_rows": len(gold),
        "macro_f1": float(f1_score(gold, pred, labels=ids, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
        "f1": {DSA_CLASSES[i]: float(f) for i, f in zip(ids, per_class)},
        "confusion": {"labels": list(DSA_CLASSES), "matrix": confusion_matrix(gold, pred, labels=ids).tolist()},
        "directed_macro_f1": directed["macro_f1"],
    }
