"""Batch first, then one by one (``infer/isolate.py``): an item that breaks a stage fails alone, as a value."""

from __future__ import annotations

import pytest

from claimstance.errors import ErrorType
from claimstance.infer.isolate import failed, map_each, map_isolated
from claimstance.records import ErrorInfo


def double_all(items):
    if any(x == "bad" for x in items):
        raise ValueError("bad in the batch")
    return [x * 2 for x in items]


def double(x):
    if x == "bad":
        raise ValueError("bad item")
    return x * 2


def test_the_batch_function_runs_once_when_nothing_fails():
    calls = []

    def batch(items):
        calls.append(list(items))
        return [x * 2 for x in items]

    assert map_isolated(batch, double, [1, 2, 3], "stage") == [2, 4, 6]
    assert calls == [[1, 2, 3]]


def test_one_bad_item_fails_alone_with_the_stage_and_exception_named():
    out = map_isolated(double_all, double, [1, "bad", 3], "parse")
    assert out[0] == 2 and out[2] == 6
    assert failed(out[1]) and out[1].type is ErrorType.STAGE_ERROR
    assert out[1].message == "parse: ValueError: bad item"


def test_earlier_failures_pass_through_untouched():
    earlier = ErrorInfo(ErrorType.TEXT_TOO_LONG, "too long")
    seen = []

    def batch(items):
        seen.extend(items)
        return [x + 1 for x in items]

    assert map_isolated(batch, lambda x: x + 1, [1, earlier, 2], "stage") == [2, earlier, 3]
    assert seen == [1, 2]


def test_a_batch_that_loses_an_item_is_redone_one_by_one():
    out = map_isolated(lambda items: [0], lambda x: x * 10, [1, 2], "stage")
    assert out == [10, 20]


def test_map_each_has_no_batch():
    assert map_each(double, [1, "bad"], "attribute")[0] == 2
    assert map_each(double, [1, "bad"], "attribute")[1].message.startswith("attribute: ValueError")


def test_error_types_are_a_closed_set():
    assert ErrorInfo("TextTooLong", "x").type is ErrorType.TEXT_TOO_LONG  # the contract's strings are accepted
    assert ErrorInfo(ErrorType.EMPTY_TEXT, "x").to_dict() == {"type": "EmptyText", "message": "x"}
    with pytest.raises(ValueError):
        ErrorInfo("RuntimeError", "an exception's class is not an error type")
