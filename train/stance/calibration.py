"""Calibration of a stance model, fitted on dev after training.

* ``fit_vector_scaling``: per-class calibration: each class's logit scaled and shifted
  (``z * scale + bias``), the six numbers minimising the dev negative log-likelihood (a light
  pull toward the identity keeps a small dev set from bending them far). Temperature scaling
  is the special case of one shared scale and no bias.
* ``choose_neutral_floor``: the confidence under which a favor/against call is neutral, the
  floor among ``candidates`` with the best dev score (ties: the lower floor).
* ``expected_calibration_error``: 15 equal-width bins of the top probability.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

import numpy as np
from scipy.optimize import minimize

__all__ = ["choose_neutral_floor", "expected_calibration_error", "fit_vector_scaling", "nll"]


def nll(gold_ids: np.ndarray, logits: np.ndarray, scale, bias) -> float:
    z = logits * np.asarray(scale) + np.asarray(bias)
    z = z - z.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(gold_ids)), gold_ids].mean())


def fit_vector_scaling(gold_ids: np.ndarray, logits: np.ndarray, pull: float = 1e-3) -> tuple[list[float], list[float]]:
    """``(scale, bias)`` per class minimising dev NLL plus ``pull`` times the squared distance from
    the identity (scale 1, bias 0); rounded to 4 places."""
    k = logits.shape[1]

    def objective(x):
        scale, bias = x[:k], x[k:]
        return nll(gold_ids, logits, scale, bias) + pull * (np.sum((scale - 1) ** 2) + np.sum(bias ** 2))

    x0 = np.concatenate([np.ones(k), np.zeros(k)])
    best = minimize(objective, x0, method="L-BFGS-B", bounds=[(0.05, 20.0)] * k + [(-10.0, 10.0)] * k)
    x = best.x if best.success or objective(best.x) < objective(x0) else x0
    bias = x[k:] - x[k:].mean()  # softmax ignores a shared shift
    return [round(float(v), 4) for v in x[:k]], [round(float(v), 4) for v in bias]


def choose_neutral_floor(dev_score: Callable, classifier, candidates: Sequence[float]) -> float:
    """The floor in ``candidates`` (and 0) under which the classifier's favor/against calls are
    neutral that maximises ``dev_score(classifier)``; the classifier's settings are left as found."""
    original = classifier.settings
    best, best_score = 0.0, None
    try:
        for floor in sorted({0.0, *candidates}):
            classifier.settings = dataclasses.replace(original, neutral_below=float(floor))
            score = dev_score(classifier)
            if best_score is None or score > best_score + 1e-9:
                best, best_score = float(floor), score
    finally:
        classifier.settings = original
    return best


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
