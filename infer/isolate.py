"""Batch first, then one by one: an item that breaks a stage fails alone, as a value.

Models and the parser are fast on a whole batch, so each stage first runs on every item at once.
When that raises (or loses an item), the stage runs on each item alone, and an item that still
raises becomes an :class:`~claimstance.records.ErrorInfo` naming the stage. Failures are values:
an item that failed in an earlier stage passes through later stages untouched, and becomes its
record's error object at the end. No exception leaves a batch.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence, TypeVar

from claimstance.records import ErrorInfo

__all__ = ["map_isolated", "map_each", "failed"]

A = TypeVar("A")
B = TypeVar("B")


def failed(item: object) -> bool:
    return isinstance(item, ErrorInfo)


def map_isolated(batch_fn: Optional[Callable[[list[A]], Sequence[B]]], one_fn: Callable[[A], B],
                 items: Sequence[A | ErrorInfo], stage: str) -> list[B | ErrorInfo]:
    """``batch_fn`` on the items that have not failed (one result each, in order); where it raises or
    gives a different number of results, ``one_fn`` on each alone. Failed items pass through; an item
    ``one_fn`` raises on becomes a failure of ``stage``. ``batch_fn`` None: one by one from the start."""
    live = [i for i, item in enumerate(items) if not failed(item)]
    out: list = list(items)
    if batch_fn is not None and live:
        try:
            results = list(batch_fn([items[i] for i in live]))
            if len(results) == len(live):
                for i, result in zip(live, results):
                    out[i] = result
                return out
        except Exception:  # noqa: BLE001 - one item broke the batch: find it below
            pass
    for i in live:
        try:
            out[i] = one_fn(items[i])
        except Exception as exc:  # noqa: BLE001 - never an exception out of a batch
            out[i] = ErrorInfo.from_exception(exc, stage)
    return out


def map_each(fn: Callable[[A], B], items: Sequence[A | ErrorInfo], stage: str) -> list[B | ErrorInfo]:
    """``fn`` on each item that has not failed; an item it raises on becomes a failure of ``stage``."""
    return map_isolated(None, fn, items, stage)
