"""The matrix report: the pipeline's speaker × party matrix against the matrix dev set (``data/matrix``).

Headline (95% bootstrap intervals over articles): accuracy and macro-F1 on the found cells, the
found rate, end-to-end accuracy and "against" precision (:mod:`claimstance.evaluate.matrix`).
Tables per class and per article; the confusion (gold × predicted, missing cells a column of their
own) and a reliability diagram; the worst errors: the most confident wrong cells, then the
missing ones, with the gold evidence highlighted and the predicted cell's evidence beside it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping, Sequence

from claimstance.data.matrix_gold import SPLITS, read_matrix_gold
from claimstance.evaluate import stance_stats as st
from claimstance.evaluate.bootstrap import bootstrap_ci
from claimstance.evaluate.eval_config import EvalConfig
from claimstance.evaluate.figures import confusion_png, reliability_bins, reliability_png
from claimstance.evaluate.matrix import MISSING, CellOutcome, match_cells, matrix_figures, outcome_counts
from claimstance.evaluate.report_doc import Example, Figure, Headline, Report, Section, Table, Text
from claimstance.evaluate.stance_report import class_table
from claimstance.records import LABELS

__all__ = ["build_matrix_report", "matrix_report", "predict_articles"]

WINDOW = 200  # characters of article text shown on each side of an error's evidence


def predict_articles(config: EvalConfig, texts: Mapping[str, str]) -> dict[str, dict]:
    """Infer output records (``to_dict`` form) for the articles, by id: the pipeline run, or
    ``config.predictions`` (an infer output file) read."""
    if config.predictions:
        out = {}
        with open(config.predictions, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    out[record["id"]] = record
        return out
    from tqdm.auto import tqdm

    from claimstance.infer.pipeline import Pipeline

    pipeline = Pipeline.from_config(config.infer)
    results = pipeline.pipe(texts.items())
    return {r.id: r.to_dict() for r in tqdm(results, total=len(texts), desc="matrix", unit="doc",
                                           disable=not config.progress)}


def build_matrix_report(config: EvalConfig, provenance: dict[str, Any]) -> Report:
    """``config.split``: ``dev`` (the matrix dev set, the headline) or ``tune`` (cells on PolNeAR
    train articles, for error analysis)."""
    folder, polnear_split = SPLITS[config.split]  # EvalConfig checked the split
    cells, texts = read_matrix_gold(Path(config.gold) if config.gold else None, config.data_root, config.split)
    if config.limit is not None:
        keep = sorted(texts)[: config.limit]
        cells, texts = [c for c in cells if c.article in keep], {a: texts[a] for a in keep}
    results = predict_articles(config, texts)
    source = f"predictions {config.predictions}" if config.predictions else "pipeline"
    gold = config.gold or "data/matrix/" + folder
    provenance = {"data": f"{gold} (PolNeAR {polnear_split} articles)", "articles": len(texts),
                  "cells": len(cells), "predictions": source, **provenance}
    title = config.title or f"Speaker × party matrix on PolNeAR {polnear_split} (matrix {config.split} set)"
    return matrix_report(match_cells(cells, results), texts, title=title,
                         provenance=provenance, n_resamples=config.bootstrap, seed=config.seed, n_errors=config.n_errors)


def _units(outcomes: Sequence[CellOutcome]) -> list[dict[str, Any]]:
    units: dict[str, dict[str, Any]] = {}
    for o in outcomes:
        unit = units.setdefault(o.gold.article, {"id": o.gold.article})
        for k, v in outcome_counts(o).items():
            unit[k] = unit.get(k, 0.0) + v
    return list(units.values())


def matrix_report(outcomes: Sequence[CellOutcome], texts: Mapping[str, str], *, title: str, provenance: dict[str, Any],
                  n_resamples: int = 1000, seed: int = 0, n_errors: int = 12) -> Report:
    if not outcomes:
        raise ValueError("no gold cells to report on")
    units = _units(outcomes)
    counts = [{k: v for k, v in u.items() if k != "id"} for u in units]
    figures = matrix_figures()
    headline = {name: bootstrap_ci(counts, fn, n_resamples=n_resamples, seed=seed).as_dict()
                for name, (_, fn) in figures.items()}
    found = [o for o in outcomes if o.found]
    total: dict[str, float] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0.0) + v
    found_counts = {k: v for k, v in total.items() if not k.endswith(f"|{MISSING}")}
    columns = [*LABELS, MISSING]
    confusion = [[sum(1 for o in outcomes if o.gold.label == g and o.pred == p) for p in columns] for g in LABELS]
    confidence, correct = [o.score for o in found], [o.pred == o.gold.label for o in found]
    metrics: dict[str, Any] = {
        "headline": headline,
        "n_cells": len(outcomes), "n_found": len(found),
        "gold_labels": {label: sum(o.gold.label == label for o in outcomes) for label in LABELS},
        "per_class_found": st.per_class(found_counts, LABELS),
        "confusion": {"gold": list(LABELS), "predicted": columns, "matrix": confusion},
        "reliability": reliability_bins(confidence, correct, st.BINS),
        "by_article": _by_article(outcomes),
    }
    blocks: list = [class_table(metrics["per_class_found"], "Per class, found cells (percent)"),
                    Table("By article (percent)", ["article", "cells", "found", "accuracy on found"],
                          [[a, m["cells"], m["found"], m["accuracy_found"]] for a, m in metrics["by_article"].items()],
                          percent=["found", "accuracy on found"])]
    pictures = [Figure("Confusion", "confusion.png", confusion_png(confusion, list(LABELS), "matrix cells", columns=columns),
                       "Rows gold, columns predicted (missing: no predicted cell for that speaker and target).")]
    if found:
        pictures.append(Figure("Reliability diagram", "reliability.png",
                               reliability_png(confidence, correct, title, st.BINS, ece=st.ece(found_counts)),
                               "Accuracy on found cells against the cell's calibrated probability."))
    sections = [Section("Per class and per article", blocks), Section("Figures", pictures),
                _errors(outcomes, texts, n_errors)]
    return Report(title=title, kind="matrix", provenance=provenance,
                  headline=[Headline(label, f"headline.{name}.value", headline[name]["value"], *headline[name]["ci95"])
                            for name, (label, _) in figures.items()],
                  sections=sections, metrics=metrics, units=units)


def _by_article(outcomes: Sequence[CellOutcome]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for article in sorted({o.gold.article for o in outcomes}):
        sel = [o for o in outcomes if o.gold.article == article]
        hit = [o for o in sel if o.found]
        out[article] = {"cells": len(sel), "found": len(hit) / len(sel),
                        "accuracy_found": sum(o.pred == o.gold.label for o in hit) / len(hit) if hit else None}
    return out


def _errors(outcomes: Sequence[CellOutcome], texts: Mapping[str, str], n: int) -> Section:
    wrong = [o for o in outcomes if o.found and o.pred != o.gold.label]
    wrong.sort(key=lambda o: -(o.score or 0.0))
    missing = [o for o in outcomes if not o.found]
    blocks: list = [Text(f"{len(wrong)} found cells are wrong and {len(missing)} are missing. The most confident "
                         "wrong cells first, then missing ones. Highlights: the gold evidence (green), the speaker's "
                         "names (blue), the target's (yellow).")]
    for o in (wrong + missing)[:n]:
        text = texts[o.gold.article]
        at = text.find(o.gold.evidence)
        lo, hi = max(0, at - WINDOW), min(len(text), at + len(o.gold.evidence) + WINDOW)
        window = text[lo:hi]
        marks: list = [(at - lo, at - lo + len(o.gold.evidence), "gold")]
        for names, css in ((o.gold.speaker_aliases, "speaker"), (o.gold.target_aliases, "target")):
            for name in names:
                marks += [(m.start(), m.end(), css) for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", window)]
        pred = (f"predicted {o.pred} ({o.score:.2f}) for {o.speaker} → {o.target}" if o.found
                else "missing: no predicted cell for these names")
        lines = [f"gold {o.gold.label}: {o.gold.speaker} → {o.gold.target}", pred]
        lines += [f"predicted evidence: {e[:200]}" for e in o.evidence[:3]]
        if o.gold.note:
            lines.append(f"annotator's note: {o.gold.note}")
        blocks.append(Example(f"{o.gold.article} ({o.gold.where})", window, marks, lines))
    return Section("Worst errors", blocks)
