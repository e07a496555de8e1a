"""The attribution report: PolNeAR-format gold against pipeline statements (or an infer output file).

Headline: content overlap and exact F1, source and cue accuracy, each with a 95% bootstrap
interval over documents. Tables per statement kind (direct / indirect / mixed) and per publisher;
figures: the kind confusion on matched statements (with missed and spurious ones), the spread of
per-document F1; the worst errors of four types with gold and predicted spans highlighted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

import numpy as np

from claimstance.data.polnear import PolnearDoc, iter_polnear, polnear_split_dir
from claimstance.evaluate.attribution import (HEADLINE_STATISTICS, doc_units, exact_key, load_predictions,
                                              match_spans, overlap, score_corpus)
from claimstance.evaluate.bootstrap import bootstrap_ci
from claimstance.evaluate.eval_config import EvalConfig
from claimstance.evaluate.figures import confusion_png, histogram_png
from claimstance.evaluate.predictors import attribution_predictor
from claimstance.evaluate.report_doc import Example, Figure, Headline, Report, Section, Table, Text
from claimstance.records import KINDS, Statement

__all__ = ["attribution_report", "build_attribution_report", "HEADLINE_LABELS"]

HEADLINE_LABELS = {"overlap_f1": "content overlap F1", "exact_f1": "content exact F1",
                   "source_accuracy": "source accuracy (matched contents)", "cue_accuracy": "cue accuracy (matched contents)"}
WINDOW = 160  # characters of context on each side of an error


def build_attribution_report(config: EvalConfig, provenance: dict[str, Any]) -> Report:
    """Read the gold, run the pipeline (or read ``config.predictions``) and build the report."""
    split_dir = Path(config.gold) if config.gold else polnear_split_dir(config.split, config.data_root)
    docs = list(iter_polnear(split_dir))
    if config.limit is not None:
        docs = docs[: config.limit]
    if config.predictions:
        predictions = load_predictions(config.predictions)
        source = f"predictions {config.predictions}"
    else:
        from tqdm.auto import tqdm


        predict = attribution_predictor(config.infer)
        predictions = {d.doc_id: list(predict(d.doc_id, d.text))
                       for d in tqdm(docs, desc="attribution", unit="doc", disable=not config.progress)}
        source = f"pipeline, segment.mode={config.infer.segment.mode}"
    provenance = {"data": str(split_dir), "documents": len(docs), "predictions": source, **provenance}
    title = config.title or f"Attribution on PolNeAR {split_dir.name}"
    return attribution_report(docs, predictions, title=title, provenance=provenance, n_resamples=config.bootstrap,
                              seed=config.seed, n_errors=config.n_errors)


def attribution_report(docs: Sequence[PolnearDoc], predictions: Mapping[str, Sequence[Statement]], *, title: str,
                       provenance: dict[str, Any], n_resamples: int = 1000, seed: int = 0, n_errors: int = 12) -> Report:
    full = score_corpus(docs, predictions)
    units = doc_units(docs, predictions)
    counts = [c for _, c in units]
    headline = {name: bootstrap_ci(counts, stat, n_resamples=n_resamples, seed=seed).as_dict()
                for name, stat in HEADLINE_STATISTICS.items()}
    by_publisher = _by_publisher(docs, units)
    confusion = _kind_confusion(docs, predictions)
    per_doc_f1 = [HEADLINE_STATISTICS["overlap_f1"](c) for c in counts if c.get("gold|all")]
    errors = _errors(docs, predictions)
    metrics = {"headline": headline, "full": full, "by_publisher": by_publisher, "kind_confusion": confusion,
               "error_counts": {k: len(v) for k, v in errors.items()}}
    sections = [
        Section("Contents per kind", [_kind_table(full)]),
        Section("Source and cue", [_role_table(full)]),
        Section("By publisher", [_publisher_table(by_publisher)]),
        Section("Figures", [
            Figure("Statement kinds on matched contents", "kind_confusion.png",
                   confusion_png(confusion["matrix"], confusion["labels"], "gold kind vs predicted kind"),
                   "Overlap-matched pairs by kind; column none: gold contents no prediction overlaps (missed), "
                   "row none: predictions that overlap no gold content (spurious)."),
            Figure("Per-document content overlap F1", "doc_f1.png",
                   histogram_png({"documents": per_doc_f1}, "content overlap F1 per document", "F1"),
                   "How evenly the score is spread over documents (documents with gold contents)."),
        ]),
        _error_section(errors, n_errors),
    ]
    return Report(
        title=title, kind="attribution", provenance=provenance,
        headline=[Headline(HEADLINE_LABELS[k], f"headline.{k}.value", v["value"], *v["ci95"]) for k, v in headline.items()],
        sections=sections, metrics=metrics, units=[{"id": doc_id, **c} for doc_id, c in units])


# ---------------------------------------------------------------- tables


def _kind_table(full: dict) -> Table:
    rows = []
    content = full["content"]
    for name, row in [("all", content["overall"]), *content["by_kind"].items()]:
        ex, ov = row["exact"], row["overlap"]
        rows.append([name, row["n_gold"], row["n_pred"], ex["precision"], ex["recall"], ex["f1"],
                     ov["precision"], ov["recall"], ov["f1"]])
    cols = ["kind", "gold", "predicted", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"]
    return Table("Content spans (percent)", cols, rows, percent=cols[3:],
                 note="direct: quoted; indirect: reported; mixed: reported with a quoted part.")


def _role_table(full: dict) -> Table:
    rows = [[role, full[role]["n"], full[role]["exact"]["accuracy"], full[role]["overlap"]["accuracy"]]
            for role in ("source", "cue")]
    ns = full["no_source"]
    return Table("Source and cue on overlap-matched contents (percent)", ["role", "n", "exact", "overlap"], rows,
                 percent=["exact", "overlap"],
                 note=f"Gold with no source: {ns['n_gold']}; matched {ns['n_matched']}, "
                      f"of which predicted without a source {ns['correct']}.")


def _by_publisher(docs: Sequence[PolnearDoc], units: list[tuple[str, dict]]) -> dict[str, dict]:
    sums: dict[str, Counter] = defaultdict(Counter)
    n_docs: Counter = Counter()
    for doc, (_, c) in zip(docs, units):
        sums[doc.publisher].update(c)
        n_docs[doc.publisher] += 1
    return {pub: {"n_docs": n_docs[pub], "n_gold": int(c.get("gold|all", 0)), "n_pred": int(c.get("pred|all", 0)),
                  **{name: stat(c) for name, stat in HEADLINE_STATISTICS.items()}}
            for pub, c in sorted(sums.items())}


def _publisher_table(by_publisher: dict[str, dict]) -> Table:
    rows = [[pub, m["n_docs"], m["n_gold"], m["n_pred"], m["overlap_f1"], m["exact_f1"], m["source_accuracy"]]
            for pub, m in by_publisher.items()]
    cols = ["publisher", "documents", "gold", "predicted", "overlap F1", "exact F1", "source accuracy"]
    return Table("By publisher (percent)", cols, rows, percent=cols[4:],
                 note="Small publishers have wide intervals: read these as descriptive.")


def _kind_confusion(docs: Sequence[PolnearDoc], predictions: Mapping[str, Sequence[Statement]]) -> dict:
    """Rows: gold kind, or none (a spurious prediction); columns: predicted kind, or none (missed)."""
    labels = [*KINDS, "none"]
    none = len(KINDS)
    m = np.zeros((len(labels), len(labels)), dtype=int)
    for doc in docs:
        preds = list(predictions.get(doc.doc_id, ()))
        pairs = match_spans([g.content for g in doc.attributions], [p.content for p in preds], doc.text)
        for gi, pi in pairs:
            m[KINDS.index(doc.attributions[gi].kind), KINDS.index(preds[pi].kind)] += 1
        matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for gi, g in enumerate(doc.attributions):
            if gi not in matched_g:
                m[KINDS.index(g.kind), none] += 1
        for pi, p in enumerate(preds):
            if pi not in matched_p:
                m[none, KINDS.index(p.kind)] += 1
    return {"labels": labels, "matrix": m.tolist()}


# ---------------------------------------------------------------- errors


def _errors(docs: Sequence[PolnearDoc], predictions: Mapping[str, Sequence[Statement]]) -> dict[str, list]:
    """(severity, example) lists per error type, worst first."""
    out: dict[str, list] = {"missed": [], "spurious": [], "wrong source": [], "boundary": []}
    for doc in docs:
        text, gold = doc.text, doc.attributions
        preds = list(predictions.get(doc.doc_id, ()))
        pairs = match_spans([g.content for g in gold], [p.content for p in preds], text)
        matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                out["missed"].append((len(g.content.text), _example(doc, f"missed {g.kind} statement", g, None)))
        for pi, p in enumerate(preds):
            if pi not in matched_p:
                out["spurious"].append((p.content.end - p.content.start,
                                        _example(doc, f"spurious {p.kind} statement", None, p)))
        for gi, pi in pairs:
            g, p = gold[gi], preds[pi]
            mention = p.speaker.mention if p.speaker else None
            if g.source is not None and (mention is None or overlap(g.source, mention) == 0):
                out["wrong source"].append((len(g.content.text), _example(doc, "wrong source", g, p)))
            elif exact_key(g.content, text) != exact_key(p.content, text):
                size = overlap(g.content, g.content) + overlap(p.content, p.content) - 2 * overlap(g.content, p.content)
                out["boundary"].append((size, _example(doc, "content boundary", g, p)))
    for v in out.values():
        v.sort(key=lambda item: -item[0])
    return out


def _parts(span) -> list[tuple[int, int]]:
    return list(span.parts) if span.parts else [(span.start, span.end)]


def _example(doc: PolnearDoc, what: str, gold, pred: Optional[Statement]) -> Example:
    marks: list[tuple[int, int, str]] = []
    lines = []
    if gold is not None:
        marks += [(s, e, "gold") for s, e in _parts(gold.content)]
        if gold.source is not None:
            marks += [(s, e, "gsrc") for s, e in _parts(gold.source)]
        lines.append(f"gold: {gold.kind}; source {gold.source.text if gold.source else '(none)'!r}; "
                     f"cue {gold.cue.text if gold.cue else '(none)'!r}")
    if pred is not None:
        marks += [(s, e, "pred") for s, e in _parts(pred.content)]
        mention = pred.speaker.mention if pred.speaker else None
        if mention is not None:
            marks.append((mention.start, mention.end, "psrc"))
        lines.append(f"predicted: {pred.kind}; source {mention.text if mention else '(none)'!r} "
                     f"-> {pred.speaker.name if pred.speaker else '(none)'!r}; cue {pred.cue.text if pred.cue else '(none)'!r}")
    lo = max(0, min(s for s, _, _ in marks) - WINDOW)
    hi = min(len(doc.text), max(e for _, e, _ in marks) + WINDOW)
    lo = doc.text.rfind(" ", 0, lo) + 1 if lo > 0 else 0
    hi = doc.text.find(" ", hi) if 0 <= doc.text.find(" ", hi) < hi + 30 else hi
    text = ("…" if lo else "") + doc.text[lo:hi] + ("…" if hi < len(doc.text) else "")
    shift = lo - (1 if lo else 0)
    marks = [(max(s, lo) - shift, min(e, hi) - shift, c) for s, e, c in marks if e > lo and s < hi]
    return Example(f"{what} · {doc.doc_id}", text, marks, lines)


def _error_section(errors: dict[str, list], n: int) -> Section:
    blocks: list = [Text("Highlights: gold content (green), predicted content (red underline), gold source "
                         "(blue), predicted source mention (dashed box). Worst first: longest missed or spurious "
                         "content, largest boundary difference.")]
    blocks.append(Table("Errors by type", ["type", "count"], [[k, len(v)] for k, v in errors.items()]))
    for name, items in errors.items():
        blocks += [example for _, example in items[:n]]
    return Section("Worst errors", blocks)
