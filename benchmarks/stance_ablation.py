"""Stance ablations: the default training config against one change at a time, same seed and budget.

Each variant is ``claimstance train configs/train/stance-default.yaml`` plus its overrides (and
``--overrides`` for all, e.g. ``optim.epochs=1`` for a shorter budget); a run whose
``metrics.json`` exists is not trained again. The table gives the dev figures (the sets choices
are made on) and the held-out eval figures of every run, with its encoder passes per eval target (training
times are in each run's metrics.json); ``--baseline-metrics`` adds a row from an older model's ``metrics.json`` (sets it
lacks are left blank).

    python benchmarks/stance_ablation.py --out runs/ablation --overrides optim.epochs=1 \\
        --baseline-metrics old-metrics.json --markdown out/ablation.md
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

VARIANTS = {
    "default (markers, one pass, contrast)": [],
    "one target per pass": ["model.one_per_pass=true"],
    "[CLS] pooling (one per pass)": ["model.pooling=cls", "model.one_per_pass=true"],
    "no contrast examples": ["data.contrast=false"],
}
DEV = ("dsa-dev", "newsmtsc-rw-dev")
EVAL = ("dsa-valid-unseen", "newsmtsc-rw-test", "contrast-test", "own-test")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.split(" (")[0].lower()).strip("-")


def train(run_dir: Path, overrides: list[str], config: str) -> None:
    if (run_dir / "metrics.json").is_file():
        print(f"{run_dir}: trained already", file=sys.stderr)
        return
    cmd = [str(Path(sys.executable).parent / "claimstance"), "train", config, f"output_dir={run_dir}", "progress=false", *overrides]
    print(" ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def row(name: str, metrics: dict) -> list[str]:
    def f1(group: str, key: str) -> str:
        value = metrics.get(group, {}).get(key, {}).get("macro_f1")
        return "" if value is None else f"{100 * value:.1f}"

    cal = metrics.get("calibration", {})
    passes = cal.get("eval_encoder_passes")
    per_target = f"{passes / cal['eval_targets']:.2f}" if passes and cal.get("eval_targets") else ""
    return [name] + [f1("dev", k) for k in DEV] + [f1("eval", k) for k in EVAL] + [per_target]


def table(rows: list[list[str]]) -> str:
    head = ["variant", *DEV, *EVAL, "passes/target"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("runs/ablation"))
    ap.add_argument("--config", default="configs/train/stance-default.yaml")
    ap.add_argument("--overrides", nargs="*", default=[], help="overrides for every variant")
    ap.add_argument("--only", nargs="*", help="variant slugs to run (default: all)")
    ap.add_argument("--baseline-metrics", type=Path, help="an older model's metrics.json, as a row")
    ap.add_argument("--baseline-name", default="baseline")
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    args = ap.parse_args(argv)
    rows = []
    if args.baseline_metrics:
        rows.append(row(args.baseline_name, json.loads(args.baseline_metrics.read_text("utf-8"))))
    for name, overrides in VARIANTS.items():
        if args.only and slug(name) not in args.only:
            continue
        run_dir = args.out / slug(name)
        train(run_dir, [*args.overrides, *overrides], args.config)
        rows.append(row(name, json.loads((run_dir / "metrics.json").read_text("utf-8"))))
    text = table(rows)
    budget = " ".join(args.overrides) or "the config's budget"
    print(f"stance ablation, macro-F1 x100, seed from the config, {budget}\n\n{text}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
