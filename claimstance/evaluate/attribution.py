"""Attribution scoring against PolNeAR: content spans (exact and overlap), then source and cue.

Per document, predicted statements are matched one-to-one to gold attributions, greedily by
the largest number of shared character positions (pieces of discontinuous spans counted
separately). A gold content is *overlap-matched* by a prediction sharing any character, and
*exact-matched* (a separate one-to-one matching) by an overlapping prediction whose text is
equal after :func:`claimstance.infer.text.marks.trim` of each piece, pieces joined by one space and
whitespace normalised. Requiring overlap keeps a repeated sentence elsewhere in the article
from counting as the same statement.

Source and cue accuracy are measured on overlap-matched pairs whose gold has that role:
*overlap* when the predicted span shares a character with the gold one, *exact* when it also
has the same trimmed text; a missing prediction is wrong. Everything is micro-averaged.
Precision/recall/F1 with an empty denominator are 0.0 (the usual convention); accuracies with
an empty denominator are ``None``.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from claimstance.data.polnear import PolnearDoc, iter_polnear, polnear_doc_ids
from claimstance.infer.text.marks import trim
from claimstance.records import KINDS, Span, Speaker, StanceJudgment, Statement

__all__ = [
    "load_predictions",
    "statement_from_dict",
    "overlap",
    "exact_key",
    "match_spans",
    "score_corpus",
    "doc_units",
    "HEADLINE_STATISTICS",
    "format_report",
    "format_comparison",
    "evaluate_attribution",
]

log = logging.getLogger(__name__)
Predict = Callable[[str, str], Sequence[Statement]]


# ---------------------------------------------------------------- loading predictions


def _span(d: Optional[Mapping[str, Any]]) -> Optional[Span]:
    return Span.from_dict(dict(d)) if d else None


def statement_from_dict(d: Mapping[str, Any]) -> Statement:
    """Rebuild a :class:`Statement` from its JSON-contract dict (the inverse of ``to_dict``)."""
    sp = d.get("speaker")
    speaker = Speaker(sp.get("name") or "", _span(sp.get("mention")), sp.get("party")) if sp else None
    stances = tuple(StanceJudgment(s["target"], s["label"], float(s["score"])) for s in d.get("stances") or ())
    return Statement(
        id=str(d.get("id", "")),
        kind=d["kind"],
        content=Span.from_dict(dict(d["content"])),
        cue=_span(d.get("cue")),
        speaker=speaker,
        stances=stances,
    )


def load_predictions(path: str | Path) -> dict[str, list[Statement]]:
    """Statements per document id from a ``claimstance infer`` JSONL output file."""
    out: dict[str, list[Statement]] = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                doc_id = str(rec["id"])
                statements = [statement_from_dict(s) for s in rec.get("statements") or ()]
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{lineno}: not a prediction record ({type(exc).__name__}: {exc})") from exc
            if doc_id in out:
                log.warning("%s:%d: document %r appears again; the later line wins", path, lineno, doc_id)
            out[doc_id] = statements
    return out


# ---------------------------------------------------------------- span comparison


def _ranges(span: Span) -> list[tuple[int, int]]:
    return list(span.parts) if span.parts else [(span.start, span.end)]


def overlap(a: Span, b: Span) -> int:
    """Number of character positions the two spans share (pieces of discontinuous spans only)."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in _ranges(a) for s2, e2 in _ranges(b))


def exact_key(span: Span, text: str) -> str:
    """The text compared for an exact match: trimmed pieces joined by a space, whitespace normalised."""
    pieces = [text[s:e] for s, e in span.parts] if span.parts else [span.text]
    return " ".join(" ".join(trim(p) for p in pieces).split())


def match_spans(gold: Sequence[Span], pred: Sequence[Span], text: str, exact: bool = False) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, greedy by largest overlap, ties by position."""
    gkeys = [exact_key(g, text) for g in gold] if exact else []
    pkeys = [exact_key(p, text) for p in pred] if exact else []
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            n = overlap(g, p)
            if n > 0 and (not exact or gkeys[gi] == pkeys[pi]):
                candidates.append((-n, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


# ---------------------------------------------------------------- counting


@dataclass
class _Counts:
    """Running micro-average counts over the corpus (mutable on purpose: an accumulator)."""

    gold: Counter
    pred: Counter
    tp_gold: Counter  # keys: (match, gold kind) and (match, "all")
    tp_pred: Counter  # keys: (match, predicted kind) and (match, "all")
    role: Counter  # keys: (role, "n") and (role, match)
    no_source: Counter

    @classmethod
    def empty(cls) -> "_Counts":
        return cls(Counter(), Counter(), Counter(), Counter(), Counter(), Counter())


def _source(st: Statement) -> Optional[Span]:
    return st.speaker.mention if st.speaker else None


def _role_hit(gold: Span, pred: Optional[Span], text: str) -> tuple[bool, bool]:
    """(exact, overlap) correctness of one predicted role span against the gold one."""
    if pred is None or overlap(gold, pred) == 0:
        return False, False
    return exact_key(gold, text) == exact_key(pred, text), True


def _score_doc(c: _Counts, doc: PolnearDoc, preds: Sequence[Statement]) -> None:
    """Add one document's matches to the counts."""
    gold, text = doc.attributions, doc.text
    for g in gold:
        c.gold[g.kind] += 1
        c.gold["all"] += 1
        c.no_source["n_gold"] += g.source is None
    for p in preds:
        c.pred[p.kind] += 1
        c.pred["all"] += 1
    gspans, pspans = [g.content for g in gold], [p.content for p in preds]
    overlap_pairs = match_spans(gspans, pspans, text)
    for match, pairs in (("exact", match_spans(gspans, pspans, text, exact=True)), ("overlap", overlap_pairs)):
        for gi, pi in pairs:
            for counter, kind in ((c.tp_gold, gold[gi].kind), (c.tp_pred, preds[pi].kind)):
                counter[(match, kind)] += 1
                counter[(match, "all")] += 1
    for gi, pi in overlap_pairs:
        g, p = gold[gi], preds[pi]
        for role, gspan, pspan in (("source", g.source, _source(p)), ("cue", g.cue, p.cue)):
            if gspan is None:
                continue
            ex, ov = _role_hit(gspan, pspan, text)
            c.role[(role, "n")] += 1
            c.role[(role, "exact")] += ex
            c.role[(role, "overlap")] += ov
        if g.source is None:
            c.no_source["n_matched"] += 1
            c.no_source["correct"] += _source(p) is None


def _prf(tp_gold: int, tp_pred: int, n_gold: int, n_pred: int) -> dict[str, Any]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp_gold": tp_gold, "tp_pred": tp_pred, "precision": p, "recall": r, "f1": f}


def _acc(correct: int, n: int) -> dict[str, Any]:
    return {"correct": correct, "accuracy": correct / n if n else None}


def _content_row(c: _Counts, kind: str) -> dict[str, Any]:
    row: dict[str, Any] = {"n_gold": c.gold[kind], "n_pred": c.pred[kind]}
    for match in ("exact", "overlap"):
        row[match] = _prf(c.tp_gold[(match, kind)], c.tp_pred[(match, kind)], c.gold[kind], c.pred[kind])
    return row


def _metrics(c: _Counts, n_docs: int, unknown: list[str]) -> dict[str, Any]:
    roles = {
        role: {"n": c.role[(role, "n")], **{m: _acc(c.role[(role, m)], c.role[(role, "n")]) for m in ("exact", "overlap")}}
        for role in ("source", "cue")
    }
    ns = c.no_source
    return {
        "n_docs": n_docs,
        "content": {"overall": _content_row(c, "all"), "by_kind": {k: _content_row(c, k) for k in KINDS}},
        **roles,
        "no_source": {
            "n_gold": ns["n_gold"],
            "n_matched": ns["n_matched"],
            **_acc(ns["correct"], ns["n_matched"]),
        },
        "warnings": {"n_unknown_prediction_docs": len(unknown), "unknown_prediction_docs": sorted(unknown)[:20]},
    }


def score_corpus(gold: Iterable[PolnearDoc], predictions: Mapping[str, Sequence[Statement]]) -> dict[str, Any]:
    """Micro-averaged attribution metrics (a JSON-serialisable nested dict).

    ``gold`` holds :class:`~claimstance.data.polnear.PolnearDoc` records; a document missing
    from ``predictions`` predicted nothing; predictions for documents not in ``gold`` are
    ignored and reported under ``warnings``.
    """
    c = _Counts.empty()
    seen: set[str] = set()
    n_docs = 0
    for doc in gold:
        n_docs += 1
        seen.add(doc.doc_id)
        _score_doc(c, doc, predictions.get(doc.doc_id, ()))
    unknown = [d for d in predictions if d not in seen]
    if unknown:
        log.warning("%d predicted documents are not in the gold set and were ignored", len(unknown))
    return _metrics(c, n_docs, unknown)


def doc_units(gold: Iterable[PolnearDoc], predictions: Mapping[str, Sequence[Statement]]) -> list[tuple[str, dict[str, int]]]:
    """Each document's counts, flat (``"tp_gold|overlap|all"``, ``"role|source|n"`` ...): the units
    of the bootstrap; summed over all documents they give :func:`score_corpus`'s figures."""
    out = []
    for doc in gold:
        c = _Counts.empty()
        _score_doc(c, doc, predictions.get(doc.doc_id, ()))
        flat: dict[str, int] = {}
        for name in ("gold", "pred", "tp_gold", "tp_pred", "role", "no_source"):
            for key, value in getattr(c, name).items():
                flat["|".join((name, *(key if isinstance(key, tuple) else (key,))))] = value
        out.append((doc.doc_id, flat))
    return out


def _f1_of(counts: Mapping[str, float], match: str, kind: str = "all") -> float:
    return _prf(counts.get(f"tp_gold|{match}|{kind}", 0), counts.get(f"tp_pred|{match}|{kind}", 0),
                counts.get(f"gold|{kind}", 0), counts.get(f"pred|{kind}", 0))["f1"]


def _role_acc(counts: Mapping[str, float], role: str) -> float:
    """Overlap accuracy of a role; NaN (shown "–", null in JSON) when no matched gold has it."""
    n = counts.get(f"role|{role}|n", 0)
    return counts.get(f"role|{role}|overlap", 0) / n if n else float("nan")


HEADLINE_STATISTICS = {  # name -> statistic over summed unit counts (see claimstance.evaluate.bootstrap)
    "overlap_f1": lambda c: _f1_of(c, "overlap"),
    "exact_f1": lambda c: _f1_of(c, "exact"),
    "source_accuracy": lambda c: _role_acc(c, "source"),
    "cue_accuracy": lambda c: _role_acc(c, "cue"),
}


# ---------------------------------------------------------------- report


def _pct(x: Optional[float]) -> str:
    return "    -" if x is None else f"{100 * x:5.1f}"


def format_report(metrics: Mapping[str, Any]) -> str:
    """A plain-text table: content P/R/F1 (exact, overlap) overall and per kind, then roles."""
    head = f"{'content':<9}{'gold':>6}{'pred':>6} | {'exact P':>7}{'R':>6}{'F1':>6} | {'overlap P':>9}{'R':>6}{'F1':>6}"
    lines = []
    if "split" in metrics or "n_docs" in metrics:
        lines.append(f"split: {metrics.get('split', '?')}   documents: {metrics.get('n_docs', '?')}")
    lines += [head, "-" * len(head)]
    content = metrics["content"]
    for name, row in [("overall", content["overall"]), *content["by_kind"].items()]:
        ex, ov = row["exact"], row["overlap"]
        lines.append(
            f"{name:<9}{row['n_gold']:>6}{row['n_pred']:>6} | {_pct(ex['precision']):>7}{_pct(ex['recall']):>6}"
            f"{_pct(ex['f1']):>6} | {_pct(ov['precision']):>9}{_pct(ov['recall']):>6}{_pct(ov['f1']):>6}"
        )
    lines += ["", "on overlap-matched statements   n   exact  overlap"]
    for role in ("source", "cue"):
        r = metrics[role]
        lines.append(f"{role + ' accuracy':<30}{r['n']:>5}  {_pct(r['exact']['accuracy'])}    {_pct(r['overlap']['accuracy'])}")
    ns = metrics["no_source"]
    rate = "" if ns["accuracy"] is None else f" ({_pct(ns['accuracy']).strip()}%)"
    lines.append(
        f"no-source gold: {ns['n_gold']}; matched {ns['n_matched']}, predicted without source {ns['correct']}{rate}"
    )
    warn = metrics.get("warnings", {})
    if warn.get("n_unknown_prediction_docs"):
        lines.append(f"warning: {warn['n_unknown_prediction_docs']} predicted documents not in gold were ignored")
    return "\n".join(lines)


def format_comparison(runs: Mapping[str, Mapping[str, Any]]) -> str:
    """One line per run: the headline figures side by side (content F1s, source and cue accuracy)."""
    head = f"{'run':<16}{'overlap F1':>11}{'exact F1':>10}{'source acc':>12}{'cue acc':>9}{'pred':>7}{'seconds':>9}"
    lines = [head, "-" * len(head)]
    for name, m in runs.items():
        overall = m["content"]["overall"]
        lines.append(
            f"{name:<16}{_pct(overall['overlap']['f1']):>11}{_pct(overall['exact']['f1']):>10}"
            f"{_pct(m['source']['overlap']['accuracy']):>12}{_pct(m['cue']['overlap']['accuracy']):>9}"
            f"{overall['n_pred']:>7}{m.get('seconds', 0):>9.1f}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- driver


def evaluate_attribution(
    split_dir: str | Path,
    predict: Optional[Predict] = None,
    predictions_path: str | Path | None = None,
    limit: Optional[int] = None,
    annotators: str = "first",
    progress: bool = True,
) -> dict[str, Any]:
    """Score ``predict(doc_id, text)`` or a predictions JSONL file on one PolNeAR split folder."""
    if (predict is None) == (predictions_path is None):
        raise ValueError("give exactly one of predict= or predictions_path=")
    split_dir = Path(split_dir)
    docs = list(iter_polnear(split_dir, annotators=annotators))
    if limit is not None:
        kept = set(sorted({d.doc_id for d in docs})[:limit])
        docs = [d for d in docs if d.doc_id in kept]
    if predict is not None:
        predictions = _run_predict(predict, docs, progress)
    else:
        predictions = load_predictions(predictions_path)  # type: ignore[arg-type]
        if limit is not None:  # docs of this split beyond the limit are not "unknown"
            skipped = set(polnear_doc_ids(split_dir)) - {d.doc_id for d in docs}
            predictions = {k: v for k, v in predictions.items() if k not in skipped}
    metrics = score_corpus(docs, predictions)
    metrics.update({"n_docs": len(docs), "split": split_dir.name})
    return metrics


def _run_predict(predict: Predict, docs: Sequence[PolnearDoc], progress: bool) -> dict[str, list[Statement]]:
    """Predictions per unique document (an article annotated several times is predicted once)."""
    from tqdm.auto import tqdm

    unique = {d.doc_id: d.text for d in docs}
    out: dict[str, list[Statement]] = {}
    for doc_id, text in tqdm(unique.items(), desc="attribution", unit="doc", disable=not progress):
        out[doc_id] = list(predict(doc_id, text))
    return out
