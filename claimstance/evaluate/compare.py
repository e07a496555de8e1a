"""Two runs side by side: headline deltas with a paired bootstrap test, and a regression flag.

Each run is a report directory (``metrics.json`` + ``units.jsonl``) of the same kind over the same
gold: units are paired by id (a unit in only one run is left out, and counted). For each headline
figure: A, B, B - A, the 95% interval of the difference and a two-sided p-value from the paired
bootstrap (:mod:`claimstance.evaluate.bootstrap`). A figure **regresses** when it gets worse (lower;
higher for the calibration error) with p < ``alpha``; ``claimstance evaluate compare --fail-on-regression``
then exits with status 1, so a CI job can gate on it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from claimstance.evaluate.bootstrap import paired_bootstrap
from claimstance.evaluate.report_doc import Figure, Headline, Report, Section, Table, Text

__all__ = ["compare_runs", "load_run", "LOWER_IS_BETTER"]

LOWER_IS_BETTER = {"ece"}


def load_run(folder: str | Path) -> tuple[dict, dict[str, dict]]:
    folder = Path(folder)
    for name in ("metrics.json", "units.jsonl"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} not found: compare needs two report folders "
                                    "written by `claimstance evaluate report`")
    metrics = json.loads((folder / "metrics.json").read_text("utf-8"))
    units = {}
    with open(folder / "units.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                u = json.loads(line)
                units[str(u.pop("id"))] = u
    return metrics, units


def _statistics(metrics: dict) -> dict[str, tuple[str, Callable]]:
    kind = metrics.get("kind")
    if kind == "attribution":
        from claimstance.evaluate.attribution import HEADLINE_STATISTICS
        from claimstance.evaluate.attribution_report import HEADLINE_LABELS

        return {k: (HEADLINE_LABELS[k], fn) for k, fn in HEADLINE_STATISTICS.items()}
    if kind == "stance":
        from claimstance.evaluate.stance_report import statistics

        return statistics("dsa_confusion" in metrics)
    raise ValueError(f"runs of kind {kind!r} cannot be compared (attribution or stance reports only)")


def compare_runs(dir_a: str | Path, dir_b: str | Path, *, provenance: dict[str, Any], n_resamples: int = 1000,
                 seed: int = 0, alpha: float = 0.05, names: tuple[str, str] = ("A", "B")) -> Report:
    metrics_a, units_a = load_run(dir_a)
    metrics_b, units_b = load_run(dir_b)
    if metrics_a.get("kind") != metrics_b.get("kind"):
        raise ValueError(f"cannot compare a {metrics_a.get('kind')} report with a {metrics_b.get('kind')} report")
    shared = sorted(set(units_a) & set(units_b))
    if not shared:
        raise ValueError("the two runs share no unit ids: were they scored on the same gold?")
    stats = _statistics(metrics_a)
    results, rows, regressions, improvements = {}, [], [], []
    for key, (label, fn) in stats.items():
        p = paired_bootstrap([units_a[i] for i in shared], [units_b[i] for i in shared], fn,
                             n_resamples=n_resamples, seed=seed).as_dict()
        worse = p["delta"] > 0 if key in LOWER_IS_BETTER else p["delta"] < 0
        verdict = "no significant change"
        if p["p_value"] < alpha and p["delta"] != 0:
            verdict = "REGRESSION" if worse else "improvement"
            (regressions if worse else improvements).append(key)
        p["verdict"] = verdict
        results[key] = p
        percent = key not in LOWER_IS_BETTER
        scale = 100 if percent else 1
        rows.append([label, p["a"] * scale, p["b"] * scale, p["delta"] * scale,
                     f"[{p['ci95'][0] * scale:+.{1 if percent else 3}f}, {p['ci95'][1] * scale:+.{1 if percent else 3}f}]",
                     p["p_value"], verdict])
    metrics = {
        "a": str(dir_a), "b": str(dir_b), "names": list(names), "compared_kind": metrics_a.get("kind"),
        "n_units": len(shared), "only_in_a": len(set(units_a) - set(units_b)), "only_in_b": len(set(units_b) - set(units_a)),
        "alpha": alpha, "figures": results, "regression": bool(regressions), "regressions": regressions,
        "improvements": improvements,
    }
    verdict = (f"REGRESSION in {', '.join(regressions)}" if regressions else "no regression")
    table = Table(f"{names[0]} vs {names[1]} (percent points; calibration error as is)",
                  ["figure", names[0], names[1], "delta", "95% CI of delta", "p", "verdict"],
                  [[r[0], _num(r[1]), _num(r[2]), f"{r[3]:+.{1 if abs(r[3]) >= 0.05 or r[3] == 0 else 3}f}", r[4],
                    f"< {1 / n_resamples:.3g}" if r[5] == 0 else f"{r[5]:.3f}", r[6]] for r in rows],
                  note=f"Paired bootstrap over {len(shared)} shared units, {n_resamples} resamples; "
                       f"significant at p < {alpha}.")
    figure = Figure("Differences with 95% intervals", "deltas.png", _delta_png(results, stats), "B - A per figure.")
    sections = [Section("Verdict", [Text(f"{verdict}. Improvements: {', '.join(improvements) or 'none'}."), table]),
                Section("Figures", [figure]),
                Section("Runs", [Text(f"A: {dir_a} ({metrics_a.get('title')}); B: {dir_b} ({metrics_b.get('title')}); "
                                      f"units only in A: {metrics['only_in_a']}, only in B: {metrics['only_in_b']}.")])]
    headline = [Headline(f"{label}: B - A", f"figures.{key}.delta", results[key]["delta"], *results[key]["ci95"],
                         percent=key not in LOWER_IS_BETTER) for key, (label, _) in stats.items()]
    return Report(title=f"Comparison: {names[0]} vs {names[1]} ({verdict})", kind="comparison", provenance=provenance,
                  headline=headline, sections=sections, metrics=metrics)


def _num(x: float) -> str:
    return f"{x:.1f}" if abs(x) >= 1 else f"{x:.3f}"


def _delta_png(results: dict, stats: dict) -> bytes:
    from claimstance.evaluate.figures import _plt, _png

    plt = _plt()
    keys = list(results)
    fig, ax = plt.subplots(figsize=(6, 0.6 * len(keys) + 1.2))
    for i, k in enumerate(keys):
        r = results[k]
        color = "crimson" if r["verdict"] == "REGRESSION" else "seagreen" if r["verdict"] == "improvement" else "grey"
        ax.errorbar(r["delta"], i, xerr=[[r["delta"] - r["ci95"][0]], [r["ci95"][1] - r["delta"]]], fmt="o",
                    color=color, capsize=4)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(keys)), [stats[k][0] for k in keys])
    ax.set_xlabel("B - A")
    return _png(fig)
