"""Report figures as PNG bytes (matplotlib, Agg backend: no display needed).

- ``confusion_png``: a confusion matrix, counts in the cells, rows normalised for the colour;
- ``reliability_png``: a reliability diagram (accuracy against confidence in equal-width bins, with
  the count per bin and the expected calibration error in the title);
- ``histogram_png``: score distributions of several groups (correct / wrong, per label);
- ``heatmap_png``: a signed matrix (speaker x party mean stance), diverging colours around 0;
- ``bars_png``: horizontal bars (counts of top speakers, parties, kinds);
- ``deltas_png``: the differences of a comparison with their intervals.
"""

from __future__ import annotations

import io
from typing import Mapping, Sequence

import numpy as np

__all__ = ["confusion_png", "reliability_png", "reliability_bins", "histogram_png", "heatmap_png", "bars_png",
           "deltas_png"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return buf.getvalue()


def confusion_png(matrix: Sequence[Sequence[int]], labels: Sequence[str], title: str,
                  columns: Sequence[str] | None = None, xlabel: str = "predicted", ylabel: str = "gold") -> bytes:
    """Rows ``labels`` (gold), columns ``columns`` (predicted; default the same labels)."""
    plt = _plt()
    columns = list(labels) if columns is None else list(columns)
    m = np.asarray(matrix, dtype=float).reshape(len(labels), len(columns))
    norm = m / np.maximum(m.sum(1, keepdims=True), 1)
    size = max(3.5, 0.9 * max(len(labels), len(columns)) + 1.5)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            ax.text(j, i, f"{int(m[i, j])}", ha="center", va="center", color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.046, label="share of the gold row")
    return _png(fig)


def reliability_bins(confidence: Sequence[float], correct: Sequence[bool], bins: int = 10) -> list[dict]:
    """Equal-width bins of confidence: count, mean confidence and accuracy per non-empty bin."""
    conf, ok = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    idx = np.minimum((conf * bins).astype(int), bins - 1)  # as stance_stats.item_counts
    out = []
    for b in range(bins):
        sel = idx == b
        if sel.any():
            out.append({"low": float(edges[b]), "high": float(edges[b + 1]), "n": int(sel.sum()),
                        "confidence": float(conf[sel].mean()), "accuracy": float(ok[sel].mean())})
    return out


def reliability_png(confidence: Sequence[float], correct: Sequence[bool], title: str, bins: int = 10,
                    ece: float | None = None) -> bytes:
    """``ece``: the figure's title gives this value (the report's own), else computes it from the bins."""
    plt = _plt()
    rows = reliability_bins(confidence, correct, bins)
    n = max(1, len(confidence))
    if ece is None:
        ece = sum(r["n"] / n * abs(r["accuracy"] - r["confidence"]) for r in rows)
    fig, ax = plt.subplots(figsize=(5, 4.6))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    width = 1.0 / bins
    ax.bar([r["low"] for r in rows], [r["accuracy"] for r in rows], width=width, align="edge",
           edgecolor="black", alpha=0.7, label="accuracy in bin")
    ax.plot([r["confidence"] for r in rows], [r["accuracy"] for r in rows], "o", color="crimson", label="mean confidence")
    for r in rows:
        ax.text(r["low"] + width / 2, min(0.98, r["accuracy"] + 0.02), str(r["n"]), ha="center", fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (top class probability)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"{title}\nECE {ece:.3f} over {len(confidence)} predictions")
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig)


def histogram_png(groups: Mapping[str, Sequence[float]], title: str, xlabel: str = "score") -> bytes:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6, 3.8))
    bins = np.linspace(0, 1, 21)
    for name, values in groups.items():
        if len(values):
            ax.hist(values, bins=bins, alpha=0.55, label=f"{name} ({len(values)})")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return _png(fig)


def heatmap_png(matrix: Sequence[Sequence[float]], rows: Sequence[str], cols: Sequence[str], title: str,
                counts: Sequence[Sequence[int]] | None = None) -> bytes:
    """Values in [-1, 1] (against .. favor); empty cells (NaN) stay blank; counts written in cells."""
    plt = _plt()
    m = np.asarray(matrix, dtype=float).reshape(len(rows), len(cols))
    fig, ax = plt.subplots(figsize=(max(4.5, 0.8 * len(cols) + 3), max(3, 0.42 * len(rows) + 1.5)))
    im = ax.imshow(np.ma.masked_invalid(m), cmap="RdYlGn", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=35, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    if counts is not None:
        for i in range(len(rows)):
            for j in range(len(cols)):
                if counts[i][j]:
                    ax.text(j, i, str(counts[i][j]), ha="center", va="center", fontsize=7)
    ax.set_xlabel("party (target)")
    ax.set_ylabel("speaker")
    ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.046, label="mean stance (against -1 .. favor +1)")
    return _png(fig)


def bars_png(items: Sequence[tuple[str, float]], title: str, xlabel: str = "count") -> bytes:
    plt = _plt()
    names = [n for n, _ in items][::-1]
    values = [v for _, v in items][::-1]
    fig, ax = plt.subplots(figsize=(6, max(2.2, 0.32 * len(items) + 1)))
    ax.barh(range(len(items)), values, color="#4a7ab7")
    ax.set_yticks(range(len(items)), names)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return _png(fig)


def deltas_png(results: Mapping[str, dict], labels: Sequence[str]) -> bytes:
    """B - A per figure with its 95% interval, coloured by verdict (regression red, improvement green)."""
    plt = _plt()
    keys = list(results)
    fig, ax = plt.subplots(figsize=(6, 0.6 * len(keys) + 1.2))
    for i, k in enumerate(keys):
        r = results[k]
        if r["delta"] is None:
            continue
        color = "crimson" if r["verdict"] == "REGRESSION" else "seagreen" if r["verdict"] == "improvement" else "grey"
        ax.errorbar(r["delta"], i, xerr=[[r["delta"] - r["ci95"][0]], [r["ci95"][1] - r["delta"]]], fmt="o",
                    color=color, capsize=4)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(keys)), list(labels))
    ax.set_xlabel("B - A")
    return _png(fig)
