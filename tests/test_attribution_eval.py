"""Attribution scorer: hand-computed numbers on a tiny invented document, then the fixture driver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimstance.data.polnear import GoldAttribution, PolnearDoc, iter_polnear, polnear_split_dir
from claimstance.data.root import DataRootNotFound
from claimstance.evaluate.attribution import (
    evaluate_attribution,
    exact_key,
    format_report,
    load_predictions,
    match_spans,
    overlap,
    score_corpus,
)
from claimstance.errors import ErrorType
from claimstance.records import DocumentResult, ErrorInfo, Span, Speaker, Statement

FIXTURE = Path(__file__).parent / "fixtures" / "brat"
TEXT = 'The mayor said "we will win." Critics said the plan would fail. It is believed that taxes will rise.'


def sp(phrase: str, nth: int = 1, text: str = TEXT) -> Span:
    """The nth occurrence of ``phrase`` in ``text`` as a span."""
    i = -1
    for _ in range(nth):
        i = text.index(phrase, i + 1)
    return Span.of(text, i, i + len(phrase))


G1 = GoldAttribution("E1", sp('"we will win."'), sp("said"), sp("The mayor"), "direct")
G2 = GoldAttribution("E2", sp("the plan would fail"), sp("said", 2), sp("Critics"), "indirect")
G3 = GoldAttribution("E3", sp("taxes will rise"), sp("It is believed"), None, "indirect")
DOC = PolnearDoc("doc", TEXT, "a1b2", "test", (G1, G2, G3))


def st(content: Span, kind: str = "indirect", cue: Span | None = None, source: Span | None = None) -> Statement:
    return Statement("s", kind, content, cue, Speaker("x", source) if source else None)


def perfect(doc: PolnearDoc) -> list[Statement]:
    return [st(a.content, a.kind, a.cue, a.source) for a in doc.attributions]


def score(*preds: Statement) -> dict:
    return score_corpus([DOC], {"doc": list(preds)})


def prf(metrics: dict, match: str, kind: str = "overall") -> tuple[float, float, float]:
    row = metrics["content"]["overall"] if kind == "overall" else metrics["content"]["by_kind"][kind]
    return tuple(round(row[match][k], 4) for k in ("precision", "recall", "f1"))


def test_perfect_predictions():
    m = score(*perfect(DOC))
    for match in ("exact", "overlap"):
        assert prf(m, match) == (1.0, 1.0, 1.0)
        assert prf(m, match, "direct") == prf(m, match, "indirect") == (1.0, 1.0, 1.0)
    assert (m["source"]["n"], m["source"]["exact"]["accuracy"], m["source"]["overlap"]["accuracy"]) == (2, 1.0, 1.0)
    assert (m["cue"]["n"], m["cue"]["exact"]["accuracy"]) == (3, 1.0)
    assert m["no_source"] == {"n_gold": 1, "n_matched": 1, "correct": 1, "accuracy": 1.0}
    assert m["content"]["by_kind"]["mixed"]["n_gold"] == 0
    json.dumps(m)  # serialisable as is


@pytest.mark.parametrize(
    "pred, exact, overlapped",
    [
        (st(sp("the plan would")), (0.0, 0.0, 0.0), (1.0, 0.3333, 0.5)),  # shifted: overlap only
        (st(sp("the plan would fail. It")), (0.0, 0.0, 0.0), (1.0, 0.3333, 0.5)),
        (st(sp("we will win")), (1.0, 0.3333, 0.5), (1.0, 0.3333, 0.5)),  # quote marks and period trimmed
        (st(sp("Critics said")), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),  # no shared character
    ],
)
def test_single_prediction(pred, exact, overlapped):
    m = score(pred)
    assert (prf(m, "exact"), prf(m, "overlap")) == (exact, overlapped)


def test_same_text_elsewhere_is_no_match():
    text = 'He said "no." She said "no."'
    doc = PolnearDoc("d", text, "a", "p", (GoldAttribution("E1", sp('"no."', 1, text), None, None, "direct"),))
    m = score_corpus([doc], {"d": [st(sp('"no."', 2, text), "direct")]})
    assert prf(m, "exact") == prf(m, "overlap") == (0.0, 0.0, 0.0)


def test_one_to_one_two_predictions_on_one_gold():
    m = score(st(sp("the plan would fail")), st(sp("plan")))
    assert m["content"]["overall"]["overlap"]["tp_pred"] == 1
    assert prf(m, "overlap") == (0.5, 0.3333, 0.4)
    assert prf(m, "exact") == (0.5, 0.3333, 0.4)  # the larger overlap wins the gold


@pytest.mark.parametrize(
    "source, exact_acc, overlap_acc",
    [
        (sp("The mayor"), 1.0, 1.0),
        (sp("mayor"), 0.0, 1.0),  # partial: overlap only
        (sp("Critics"), 0.0, 0.0),  # wrong speaker
        (None, 0.0, 0.0),  # no source given where gold has one
    ],
)
def test_source_accuracy(source, exact_acc, overlap_acc):
    m = score(st(G1.content, "direct", G1.cue, source))
    assert m["source"]["n"] == 1
    assert (m["source"]["exact"]["accuracy"], m["source"]["overlap"]["accuracy"]) == (exact_acc, overlap_acc)


@pytest.mark.parametrize("cue, exact_acc, overlap_acc", [(sp("said"), 1.0, 1.0), (sp("said", 2), 0.0, 0.0), (None, 0.0, 0.0)])
def test_cue_accuracy(cue, exact_acc, overlap_acc):
    m = score(st(G1.content, "direct", cue, G1.source))
    assert (m["cue"]["n"], m["cue"]["exact"]["accuracy"], m["cue"]["overlap"]["accuracy"]) == (1, exact_acc, overlap_acc)


@pytest.mark.parametrize("source, correct", [(None, 1), (sp("Critics"), 0)])
def test_no_source_gold(source, correct):
    m = score(st(G3.content, "indirect", G3.cue, source))
    assert m["no_source"] == {"n_gold": 1, "n_matched": 1, "correct": correct, "accuracy": float(correct)}
    assert m["source"]["n"] == 0 and m["source"]["exact"]["accuracy"] is None


def test_missing_predictions():
    m = score_corpus([DOC], {})
    assert prf(m, "exact") == prf(m, "overlap") == (0.0, 0.0, 0.0)
    assert m["content"]["overall"]["n_gold"] == 3 and m["content"]["overall"]["n_pred"] == 0
    assert m["source"]["overlap"]["accuracy"] is None and m["no_source"]["n_matched"] == 0


def test_per_kind_groups_recall_by_gold_and_precision_by_prediction():
    m = score(st(G1.content, "mixed"))  # right span, wrong kind
    assert prf(m, "exact", "direct") == (0.0, 1.0, 0.0)  # gold direct found; no direct predictions
    assert prf(m, "exact", "mixed") == (1.0, 0.0, 0.0)  # the mixed prediction is right; no mixed gold
    row = m["content"]["by_kind"]["indirect"]
    assert (row["n_gold"], row["n_pred"], row["overlap"]["tp_gold"]) == (2, 0, 0)


def test_micro_average_over_documents_and_unknown_docs():
    other = PolnearDoc("doc2", TEXT, "a1b2", "test", (G2,))
    m = score_corpus([DOC, other], {"doc": perfect(DOC), "doc2": [], "ghost": [st(G1.content)]})
    assert prf(m, "exact") == (1.0, 0.75, 0.8571)
    assert m["warnings"] == {"n_unknown_prediction_docs": 1, "unknown_prediction_docs": ["ghost"]}
    assert m["n_docs"] == 2


@pytest.mark.parametrize(
    "a, b, shared",
    [
        (Span(0, 10, "x" * 10), Span(5, 20, "x" * 15), 5),
        (Span(0, 10, "x" * 10), Span(10, 20, "x" * 10), 0),
        (Span(0, 30, "x" * 30, ((0, 10), (20, 30))), Span(5, 25, "x" * 20), 10),  # the gap is not shared
        (Span(0, 30, "x" * 30, ((0, 10), (20, 30))), Span(12, 18, "x" * 6), 0),
    ],
)
def test_overlap(a, b, shared):
    assert overlap(a, b) == overlap(b, a) == shared


def test_exact_key_discontinuous():
    text = '"We will fix the potholes," Ruiz told reporters, "before the first frost."'
    parts = Span.from_parts(text, [(0, 27), (49, len(text))])
    assert exact_key(parts, text) == "We will fix the potholes before the first frost"
    assert exact_key(Span.of(text, 1, 25), text) == "We will fix the potholes"
    pred = Span.from_parts(text, [(1, 25), (50, len(text) - 2)])
    assert match_spans([parts], [pred], text, exact=True) == [(0, 0)]


def test_load_predictions_round_trip(tmp_path):
    preds = perfect(DOC)
    out = tmp_path / "pred.jsonl"
    lines = [DocumentResult("doc", tuple(preds)).to_dict(), DocumentResult.failed("other", ErrorInfo(ErrorType.STAGE_ERROR, "boom")).to_dict()]
    out.write_text("\n".join(json.dumps(r) for r in lines) + "\n\n", encoding="utf-8")
    loaded = load_predictions(out)
    assert loaded == {"doc": preds, "other": []}


def test_load_predictions_bad_line(tmp_path):
    out = tmp_path / "bad.jsonl"
    out.write_text('{"id": "a", "statements": []}\n{"statements": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        load_predictions(out)


def _fixture_oracle():
    gold = {d.doc_id: d for d in iter_polnear(FIXTURE)}
    return lambda doc_id, text: perfect(gold[doc_id])


def test_evaluate_with_predict_and_report():
    m = evaluate_attribution(FIXTURE, predict=_fixture_oracle(), progress=False)
    assert (m["n_docs"], m["split"]) == (3, "brat")
    assert prf(m, "exact") == (1.0, 1.0, 1.0)
    report = format_report(m)
    for word in ("overall", "direct", "indirect", "mixed", "source accuracy", "cue accuracy", "no-source"):
        assert word in report


def test_evaluate_all_annotators_and_limit(tmp_path):
    gold = {d.doc_id: d for d in iter_polnear(FIXTURE)}  # first annotator per article
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(DocumentResult(k, tuple(perfect(d))).to_dict()) + "\n" for k, d in gold.items()))
    m = evaluate_attribution(FIXTURE, predictions_path=path, annotators="all", progress=False)
    assert m["n_docs"] == 4  # harbor article: second annotator differs only in a source span
    # c3d4 did not mark the no-source statement: 11 of 12 predictions right
    assert prf(m, "exact") == (0.9167, 1.0, 0.9565)
    assert (m["source"]["n"], m["source"]["exact"]["correct"], m["source"]["overlap"]["correct"]) == (10, 9, 10)
    m = evaluate_attribution(FIXTURE, predictions_path=path, limit=1, progress=False)
    assert m["n_docs"] == 1 and m["warnings"]["n_unknown_prediction_docs"] == 0


@pytest.mark.parametrize("kwargs", [{}, {"predict": lambda i, t: [], "predictions_path": "x.jsonl"}])
def test_evaluate_needs_exactly_one_source_of_predictions(kwargs):
    with pytest.raises(ValueError, match="exactly one"):
        evaluate_attribution(FIXTURE, **kwargs)


def test_real_dev_oracle_scores_one():
    try:
        split = polnear_split_dir("dev")
    except DataRootNotFound as exc:
        pytest.skip(f"PolNeAR not available: {exc}")
    if not split.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {split}; set CLAIMSTANCE_DATA")
    docs = list(iter_polnear(split))
    m = score_corpus(docs, {d.doc_id: perfect(d) for d in docs})
    assert prf(m, "exact") == prf(m, "overlap") == (1.0, 1.0, 1.0)
    assert m["source"]["exact"]["accuracy"] == m["cue"]["exact"]["accuracy"] == 1.0
