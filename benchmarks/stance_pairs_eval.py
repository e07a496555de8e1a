"""Score any stance model that runs ``claimstance stance`` (an older release included) on the dev
and eval sets of a training config, so that models of different versions meet on the same sets.

1. ``export DIR``: the config's dev and eval sets as ``claimstance stance`` input, one
   ``<group>.<set>.jsonl`` per set;
2. run each file through the model to compare, e.g. an older release in its own environment:
   ``for f in DIR/*.jsonl; do old/bin/claimstance stance $f -o PRED/$(basename $f); done``;
3. ``score DIR PRED -o metrics.json``: the figures in the form of a run's ``metrics.json``
   (``dev`` and ``eval``, DSA sets as DSA's five classes), the most probable class as the label.

    python benchmarks/stance_pairs_eval.py export /tmp/pairs
    python benchmarks/stance_pairs_eval.py score /tmp/pairs /tmp/pred -o /tmp/old-metrics.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from claimstance.config import load_config
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.data import build_stance_data
from claimstance.train.stance.metrics import score_dsa, score_plain

LABELS = ("favor", "against", "neutral")


def export(out: Path, config_path: str) -> None:
    config = load_config(StanceTrainConfig, config_path)
    data = build_stance_data(config.data, config.seed)
    out.mkdir(parents=True, exist_ok=True)
    for group, sets in (("dev", data.dev), ("eval", data.eval)):
        for s in sets:
            with open(out / f"{group}.{s.name}.jsonl", "w", encoding="utf-8") as fh:
                for i, e in enumerate(s.examples):
                    fh.write(json.dumps({"id": str(i), "text": e.text, "speaker": e.speaker, "target": e.target,
                                         "speaker_span": list(e.speaker_span) if e.speaker_span else None,
                                         "target_span": list(e.target_span) if e.target_span else None,
                                         "gold": e.label, "paired": s.paired}, ensure_ascii=False) + "\n")
            print(f"{group}.{s.name}: {len(s.examples)} pairs")


def score(pairs: Path, predictions: Path) -> dict:
    out: dict = {"dev": {}, "eval": {}}
    for path in sorted(pairs.glob("*.jsonl")):
        group, name = path.stem.split(".", 1)
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        pred = {}
        for line in (predictions / path.name).read_text("utf-8").splitlines():
            r = json.loads(line)
            if r.get("scores") is None:
                raise ValueError(f"{predictions / path.name}: pair {r.get('id')} has no scores ({r.get('error')})")
            pred[r["id"]] = [r["scores"][label] for label in LABELS]
        probs = np.array([pred[r["id"]] for r in rows])
        gold = [r["gold"] for r in rows]
        out[group][name] = (score_dsa if rows[0]["paired"] else score_plain)(gold, probs, LABELS)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("export")
    ex.add_argument("out", type=Path)
    ex.add_argument("--config", default="configs/train/stance-default.yaml")
    sc = sub.add_parser("score")
    sc.add_argument("pairs", type=Path)
    sc.add_argument("predictions", type=Path)
    sc.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args(argv)
    if args.cmd == "export":
        export(args.out, args.config)
    else:
        metrics = score(args.pairs, args.predictions)
        args.output.write_text(json.dumps(metrics, indent=1), "utf-8")
        for group, sets in metrics.items():
            for name, s in sets.items():
                print(f"{group}.{name}: macro-F1 {100 * s['macro_f1']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
