"""The stance report: DSA (directed pairs, 5 classes), NewsMTSC, or our sample gold through the pipeline.

Items are scored the same way whatever their source: gold label, predicted label, the predicted
label's calibrated probability. Headline: macro-F1 and accuracy (for DSA on its five classes, as
as DSA defines them, and on the directed three), expected calibration error, each with a 95% bootstrap interval
(units: examples; DSA rows with both directions; sample gold stances). Tables per class and per
group where the data has one (sample article); figures: confusion matrices, a reliability diagram,
score distributions; the worst errors: the most confident wrong predictions, speaker and target
highlighted.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from claimstance.data.dsa import DSA_CLASSES, DSA_DIRECTIONS, dsa_class_from_directions
from claimstance.evaluate import stance_stats as st
from claimstance.evaluate.bootstrap import bootstrap_ci
from claimstance.evaluate.eval_config import EvalConfig
from claimstance.evaluate.figures import confusion_png, histogram_png, reliability_bins, reliability_png
from claimstance.evaluate.report_doc import Example, Figure, Headline, Report, Section, Table, Text
from claimstance.evaluate.stance_items import MISSING, StanceItem, dsa_items, newsmtsc_items, sample_items
from claimstance.records import LABELS

__all__ = ["stance_report", "build_stance_report", "class_table", "statistics"]

def build_stance_report(config: EvalConfig, provenance: dict[str, Any]) -> Report:
    if config.dataset == "samples":
        items, data, dsa = sample_items(config), f"{config.gold or 'data/samples/gold.jsonl'} ({config.split})", False
    else:
        reader = dsa_items if config.dataset == "dsa" else newsmtsc_items
        items, data = reader(config)
        dsa = config.dataset == "dsa"
    provenance = {"data": data, "items": len(items), **provenance}
    title = config.title or f"Stance on {config.dataset} {config.split}"
    return stance_report(items, title=title, provenance=provenance, dsa=dsa, n_resamples=config.bootstrap,
                         seed=config.seed, n_errors=config.n_errors)


def _units(items: Sequence[StanceItem], dsa: bool) -> list[dict[str, Any]]:
    """Bootstrap units: a DSA row (both directions), else the item's ``unit`` (all the stances of
    one sample article, all the targets of one NewsMTSC sentence: not independent), else the item."""
    if not dsa:
        units: dict[str, dict[str, Any]] = {}
        for it in items:
            key = it.unit or it.id
            unit = units.setdefault(key, {"id": key})
            for k, v in st.item_counts(it.gold, it.pred, it.confidence).items():
                unit[k] = unit.get(k, 0.0) + v
        return list(units.values())
    to_class = {directions: c for c, directions in DSA_DIRECTIONS.items()}
    if len(items) % 2:
        raise ValueError(f"DSA items come in (p->q, q->p) pairs; got an odd number ({len(items)})")
    units = []
    for pq, qp in zip(items[0::2], items[1::2]):
        if pq.pair is None or pq.pair != qp.pair:
            raise ValueError(f"DSA items must come in (p->q, q->p) pairs: {pq.id} then {qp.id}")
        counts: dict[str, float] = {}
        for it in (pq, qp):
            for k, v in st.item_counts(it.gold, it.pred, it.confidence).items():
                counts[k] = counts.get(k, 0.0) + v
        gold5 = DSA_CLASSES[to_class[(pq.gold, qp.gold)]]
        pred5 = DSA_CLASSES[_dsa_class(pq, qp)]
        counts.update(st.item_counts(gold5, pred5, None, prefix="cm5"))
        units.append({"id": pq.pair, **counts})
    return units


def _dsa_class(pq: StanceItem, qp: StanceItem) -> int:
    return dsa_class_from_directions((pq.pred, pq.confidence or 0.0), (qp.pred, qp.confidence or 0.0))


def statistics(dsa: bool) -> dict[str, tuple[str, Any]]:
    """Headline figures: name -> (label, statistic over summed unit counts)."""
    stats: dict[str, tuple[str, Any]] = {}
    if dsa:
        stats["macro_f1"] = ("DSA 5-class macro-F1", lambda c: st.macro_f1(c, DSA_CLASSES, "cm5"))
        stats["accuracy"] = ("DSA 5-class accuracy", lambda c: st.accuracy(c, "cm5"))
        stats["directed_macro_f1"] = ("directed macro-F1 (favor / against / neutral)", lambda c: st.macro_f1(c, LABELS))
    else:
        stats["macro_f1"] = ("macro-F1 (favor / against / neutral)", lambda c: st.macro_f1(c, LABELS))
        stats["accuracy"] = ("accuracy", lambda c: st.accuracy(c))
    stats["ece"] = ("expected calibration error (15 bins)", st.ece)
    return stats


def stance_report(items: Sequence[StanceItem], *, title: str, provenance: dict[str, Any], dsa: bool = False,
                  n_resamples: int = 1000, seed: int = 0, n_errors: int = 12) -> Report:
    if not items:
        raise ValueError("no stance items to report on")
    units = _units(items, dsa)
    counts = [{k: v for k, v in u.items() if k != "id"} for u in units]
    stats = statistics(dsa)
    headline = {name: bootstrap_ci(counts, fn, n_resamples=n_resamples, seed=seed).as_dict()
                for name, (_, fn) in stats.items()}
    total: dict[str, float] = {}
    for c in counts:
        for k, v in c.items():
            total[k] = total.get(k, 0.0) + v
    found = [it for it in items if it.pred != MISSING]
    confidence = [it.confidence for it in found]
    correct = [it.pred == it.gold for it in found]
    pred_labels = [*LABELS, MISSING] if len(found) < len(items) else list(LABELS)
    confusion = _matrix(items, list(LABELS), pred_labels)
    metrics: dict[str, Any] = {
        "headline": headline,
        "per_class": st.per_class(total, LABELS),
        "confusion": {"gold": list(LABELS), "predicted": pred_labels, "matrix": confusion},
        "reliability": reliability_bins(confidence, correct, st.BINS),
        "n_items": len(items), "n_found": len(found),
    }
    figures = [Figure("Confusion matrix", "confusion.png",
                      confusion_png(confusion, list(LABELS), "stance (missing: no statement or no stance found)"
                                    if MISSING in pred_labels else "stance", columns=pred_labels),
                      "Rows gold, columns predicted; the colour is the share of the gold row.")]
    tables = [class_table(metrics["per_class"])]
    if dsa:
        m5 = [[int(total.get(f"cm5|{g}|{p}", 0)) for p in DSA_CLASSES] for g in DSA_CLASSES]
        metrics["dsa_confusion"] = {"labels": list(DSA_CLASSES), "matrix": m5}
        metrics["dsa_per_class"] = st.per_class(total, DSA_CLASSES, "cm5")
        figures.insert(0, Figure("DSA 5-class confusion", "dsa_confusion.png",
                                 confusion_png(m5, list(DSA_CLASSES), "DSA classes from both directions")))
        tables.insert(0, class_table(metrics["dsa_per_class"], "DSA classes (percent)"))
    if found:
        figures.append(Figure("Reliability diagram", "reliability.png",
                              reliability_png(confidence, correct, title, st.BINS, ece=st.ece(total)),
                              "Accuracy against the predicted label's calibrated probability; bars above the "
                              "diagonal are under-confident, below it over-confident. Counts above the bars."))
        groups = {"correct": [c for c, ok in zip(confidence, correct) if ok],
                  "wrong": [c for c, ok in zip(confidence, correct) if not ok]}
        figures.append(Figure("Score distribution", "scores.png",
                              histogram_png(groups, "predicted label's probability", "probability")))
    metrics["by_group"] = _by_group(items)
    sections = [Section("Per class", tables), Section("By group", _group_blocks(metrics["by_group"])),
                Section("Figures", figures), _error_section(items, n_errors)]
    return Report(title=title, kind="stance", provenance=provenance,
                  headline=[Headline(label, f"headline.{name}.value", headline[name]["value"], *headline[name]["ci95"],
                                     percent=name != "ece") for name, (label, _) in stats.items()],
                  sections=sections, metrics=metrics, units=units)


def _matrix(items: Sequence[StanceItem], gold: list[str], pred: list[str]) -> list[list[int]]:
    m = np.zeros((len(gold), len(pred)), dtype=int)
    for it in items:
        m[gold.index(it.gold), pred.index(it.pred)] += 1
    return m.tolist()


def class_table(per_class: dict[str, dict], title: str = "Per class (percent)") -> Table:
    rows = [[label, r["support"], r["precision"], r["recall"], r["f1"]] for label, r in per_class.items()]
    return Table(title, ["class", "support", "precision", "recall", "F1"], rows, percent=["precision", "recall", "F1"])


def _by_group(items: Sequence[StanceItem]) -> dict[str, dict]:
    out = {}
    for g in sorted({it.group for it in items if it.group}):
        sel = [it for it in items if it.group == g]
        out[g] = {"items": len(sel), "accuracy": sum(it.pred == it.gold for it in sel) / len(sel),
                  "found": sum(it.pred != MISSING for it in sel) / len(sel)}
    return out


def _group_blocks(by_group: dict[str, dict]) -> list:
    if not by_group:
        return [Text("This data has no source or publisher field to break the figures down by.")]
    rows = [[g, m["items"], m["accuracy"], m["found"]] for g, m in by_group.items()]
    return [Table("By article (percent)", ["group", "items", "accuracy", "found"], rows, percent=["accuracy", "found"])]


def _error_section(items: Sequence[StanceItem], n: int) -> Section:
    wrong = sorted((it for it in items if it.pred != it.gold), key=lambda it: -(it.confidence or 0.0))
    blocks: list = [Text("The most confident wrong predictions first (missing stances last). Highlights: speaker "
                         "(blue), target (yellow).")]
    for it in wrong[:n]:
        conf = "not found" if it.confidence is None else f"probability {it.confidence:.2f}"
        blocks.append(Example(f"{it.id}: gold {it.gold}, predicted {it.pred}", it.text, it.marks,
                              [f"speaker: {it.speaker or '(the text itself)'}", f"target: {it.target}",
                               f"predicted {it.pred} ({conf}), gold {it.gold}"]))
    return Section("Worst errors", blocks)
