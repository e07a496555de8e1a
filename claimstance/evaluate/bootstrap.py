"""Bootstrap confidence intervals and the paired bootstrap test, over evaluation units.

A unit is what was sampled independently: a document for attribution (its statements are not
independent of each other), an example for stance (a DSA row with both directions). Each unit
carries additive counts (a dict of numbers); a statistic maps summed counts to a figure (micro F1,
accuracy, macro-F1 from a confusion matrix ...). Resampling units with replacement and recomputing
the statistic from the summed counts gives:

- ``bootstrap_ci``: the percentile 95% interval of one run's figure;
- ``paired_bootstrap``: for two runs over the same units (resampled together), the interval of
  the difference B - A and a two-sided p-value: twice the share of resamples whose difference
  falls on the other side of zero from the observed one (Koehn 2004; Berg-Kirkpatrick et al. 2012).

Counts are stacked into one matrix so a resample is a single matrix product with a multinomial
weight vector: 1,000 resamples of 2,000 units take milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

__all__ = ["Interval", "Paired", "bootstrap_ci", "paired_bootstrap", "stack_counts"]

Statistic = Callable[[Mapping[str, float]], float]


@dataclass(frozen=True)
class Interval:
    value: float
    low: float
    high: float
    n_units: int
    n_resamples: int

    def as_dict(self) -> dict:
        return {"value": _finite(self.value), "ci95": [_finite(self.low), _finite(self.high)], "n_units": self.n_units,
                "n_resamples": self.n_resamples}


@dataclass(frozen=True)
class Paired:
    a: float
    b: float
    delta: float
    low: float
    high: float
    p_value: float
    n_units: int
    n_resamples: int

    def as_dict(self) -> dict:
        return {"a": _finite(self.a), "b": _finite(self.b), "delta": _finite(self.delta),
                "ci95": [_finite(self.low), _finite(self.high)], "p_value": _finite(self.p_value),
                "n_units": self.n_units, "n_resamples": self.n_resamples}


def _finite(x: float) -> float | None:
    """NaN (a figure with an empty denominator) becomes None: JSON has no NaN."""
    return None if x != x else x


def stack_counts(units: Sequence[Mapping[str, float]]) -> tuple[list[str], np.ndarray]:
    """Keys (sorted) and a units x keys matrix; a key missing from a unit counts 0."""
    keys = sorted({k for u in units for k in u})
    return keys, np.array([[float(u.get(k, 0.0)) for k in keys] for u in units]).reshape(len(units), len(keys))


def _weights(n_units: int, n_resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_resamples).astype(float)


def _stats(keys: list[str], totals: np.ndarray, statistic: Statistic) -> np.ndarray:
    return np.array([statistic(dict(zip(keys, row))) for row in totals])


def bootstrap_ci(units: Sequence[Mapping[str, float]], statistic: Statistic, *, n_resamples: int = 1000,
                 seed: int = 0) -> Interval:
    """The figure on all units and its percentile 95% interval."""
    if not units:
        raise ValueError("bootstrap_ci needs at least one unit")
    keys, counts = stack_counts(units)
    value = statistic(dict(zip(keys, counts.sum(0))))
    samples = _stats(keys, _weights(len(units), n_resamples, seed) @ counts, statistic)
    low, high = np.nanpercentile(samples, [2.5, 97.5]) if np.isfinite(samples).any() else (np.nan, np.nan)
    return Interval(float(value), float(low), float(high), len(units), n_resamples)


def paired_bootstrap(units_a: Sequence[Mapping[str, float]], units_b: Sequence[Mapping[str, float]],
                     statistic: Statistic, *, n_resamples: int = 1000, seed: int = 0) -> Paired:
    """B - A on the same units, its 95% interval and a two-sided p-value (units aligned by position)."""
    if len(units_a) != len(units_b) or not units_a:
        raise ValueError(f"paired bootstrap needs the same non-empty units: {len(units_a)} vs {len(units_b)}")
    keys_a, counts_a = stack_counts(units_a)
    keys_b, counts_b = stack_counts(units_b)
    a = statistic(dict(zip(keys_a, counts_a.sum(0))))
    b = statistic(dict(zip(keys_b, counts_b.sum(0))))
    w = _weights(len(units_a), n_resamples, seed)
    deltas = _stats(keys_b, w @ counts_b, statistic) - _stats(keys_a, w @ counts_a, statistic)
    delta = b - a
    if not np.isfinite(deltas).any() or delta != delta:
        return Paired(float(a), float(b), float("nan"), float("nan"), float("nan"), float("nan"), len(units_a), n_resamples)
    low, high = np.nanpercentile(deltas, [2.5, 97.5])
    if delta == 0:
        p = 1.0
    else:
        other_side = np.mean(deltas <= 0) if delta > 0 else np.mean(deltas >= 0)
        p = min(1.0, 2.0 * float(other_side))
    return Paired(float(a), float(b), float(delta), float(low), float(high), p, len(units_a), n_resamples)
