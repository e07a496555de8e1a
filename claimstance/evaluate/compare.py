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

from claimstance.evaluate.attribution import HEADLINE_STATISTICS
from claimstance.evaluate.attribution_report import HEADLINE_LABELS
from claimstance.evaluate.bootstrap import paired_bootstrap
from claimstance.evaluate.figures import deltas_png
from claimstance.evaluate.report_doc import Figure, Headline, Report, Section, Table, Text
from claimstance.evaluate.stance_report import statistics

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

        return {k: (HEADLINE_LABELS[k], fn) for k, fn in HEADLINE_STATISTICS.items()}
    if kind == "stance":

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
        delta = p["delta"] or 0.0
        worse = delta > 0 if key in LOWER_IS_BETTER else delta < 0
        verdict = "no significant change"
        if p["p_value"] is not None and p["p_value"] < alpha and delta != 0:
            verdict = "REGRESSION" if worse else "improvement"
            (regressions if worse else improvements).append(key)
        p["verdict"] = verdict
        results[key] = p
        rows.append(_row(label, p, percent=key not in LOWER_IS_BETTER, n_resamples=n_resamples))
    metrics = {
        "a": str(dir_a), "b": str(dir_b), "names": list(names), "compared_kind": metrics_a.get("kind"),
        "n_units": len(shared), "only_in_a": len(set(units_a) - set(units_b)), "only_in_b": len(set(units_b) - set(units_a)),
        "alpha": alpha, "figures": results, "regression": bool(regressions), "regressions": regressions,
        "improvements": improvements,
    }
    verdict = (f"REGRESSION in {', '.join(regressions)}" if regressions else "no regression")
    table = Table(f"{names[0]} vs {names[1]} (percent points; calibration error as is)",
                  ["figure", names[0], names[1], "delta", "95% CI of delta", "p", "verdict"], rows,
                  note=f"Paired bootstrap over {len(shared)} shared units, {n_resamples} resamples; "
                       f"significant at p < {alpha}.")
    figure = Figure("Differences with 95% intervals", "deltas.png", deltas_png(results, [stats[k][0] for k in results]),
                    "B - A per figure.")
    sections = [Section("Verdict", [Text(f"{verdict}. Improvements: {', '.join(improvements) or 'none'}."), table]),
                Section("Figures", [figure]),
                Section("Runs", [Text(f"A: {dir_a} ({metrics_a.get('title')}); B: {dir_b} ({metrics_b.get('title')}); "
                                      f"units only in A: {metrics['only_in_a']}, only in B: {metrics['only_in_b']}.")])]
    headline = [Headline(f"{label}: B - A", f"figures.{key}.delta", results[key]["delta"], *results[key]["ci95"],
                         percent=key not in LOWER_IS_BETTER) for key, (label, _) in stats.items()]
    return Report(title=f"Comparison: {names[0]} vs {names[1]} ({verdict})", kind="comparison", provenance=provenance,
                  headline=headline, sections=sections, metrics=metrics)


def _row(label: str, p: dict, *, percent: bool, n_resamples: int) -> list[str]:
    """One table row, as text: percent points for rates, the calibration error as is; "–" for a
    figure with nothing to measure (None)."""
    digits, scale = (1, 100) if percent else (3, 1)

    def num(x, sign=""):
        return "–" if x is None else f"{x * scale:{sign}.{digits}f}"

    ci = "–" if p["ci95"][0] is None else f"[{num(p['ci95'][0], '+')}, {num(p['ci95'][1], '+')}]"
    pv = p["p_value"]
    shown_p = "–" if pv is None else f"< {1 / n_resamples:.3g}" if pv == 0 else f"{pv:.3f}"
    return [label, num(p["a"]), num(p["b"]), num(p["delta"], "+"), ci, shown_p, p["verdict"]]
