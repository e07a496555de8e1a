"""Stance benchmark: accuracy against a TF-IDF baseline, inference pairs/s, training examples/s.

In one process:
1. TF-IDF + logistic regression trained on DSA train (5 classes, entities marked in the text) and
   on NewsMTSC train (3 classes, target marked), scored on DSA valid and NewsMTSC rw test;
2. the stance model (default: the shipped models/stance-minilm) on the same sets, and the ratio;
   on our own test split; and on the sample articles' gold stances through the whole ``infer`` pipeline;
3. inference pairs/s: batched and length-sorted (as ``infer`` runs it) against one pair at a time;
4. training examples/s: a short run of the real training code (``claimstance train``) on the
   default config, ``--train-steps`` optimiser steps.

    python benchmarks/bench_stance.py [--model DIR] [--train-steps 40] [--json out/bench-stance.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from claimstance.config import InferConfig, load_config
from claimstance.data.dsa import parse_dsa_line, read_dsa
from claimstance.data.newsmtsc import read_newsmtsc
from claimstance.data.own_stance import read_own
from claimstance.data.root import default_data_root
from claimstance.data.samples import load_samples
from claimstance.evaluate.sample_stances import score_sample_stances
from claimstance.infer.pipeline import Pipeline
from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.data import EvalSet, sentence_key
from claimstance.infer.stance.encoding import query_from_example
from claimstance.train.stance.task import score_set, train_stance

REPO = Path(__file__).resolve().parents[1]


def _marked(text: str, a: tuple[int, int], b: tuple[int, int] | None = None) -> str:
    """The text with entity a (and b) wrapped in distinct tokens, for the bag-of-words baseline."""
    spans = sorted([(a, "ENTA"), (b, "ENTB")] if b else [(a, "ENTA")], reverse=True)
    for (s, e), tag in spans:
        text = f"{text[:s]} {tag}_ {text[s:e]} _{tag} {text[e:]}"
    return text


def _dsa_rows(path: Path, drop: set = frozenset()):
    """(marked text, class, sentence key) per row; rows whose sentence is in ``drop`` are left out."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        try:
            text, p, q, label = parse_dsa_line(line)
        except ValueError:
            continue
        if sentence_key(text) not in drop:
            rows.append((_marked(text, p, q), label, sentence_key(text)))
    return rows


def tfidf_baselines(root: Path) -> dict:
    """Macro-F1 of TF-IDF (1-2 grams) + balanced logistic regression; like the model, trained on no
    sentence of the set it is scored on."""

    def fit_score(train, test) -> float:
        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        clf = LogisticRegression(max_iter=2000, class_weight="balanced", C=1.0)
        clf.fit(vec.fit_transform([r[0] for r in train]), [r[1] for r in train])
        return float(f1_score([r[1] for r in test], clf.predict(vec.transform([r[0] for r in test])), average="macro"))

    valid = _dsa_rows(root / "dsa_news" / "valid.txt")
    out = {"dsa-valid": fit_score(_dsa_rows(root / "dsa_news" / "train.txt", {r[2] for r in valid}), valid)}

    def mtsc(path, drop=frozenset()):
        return [(_marked(e.text, e.target_span), e.label) for e in read_newsmtsc(path) if sentence_key(e.text) not in drop]

    rw = root / "newsmtsc" / "splits" / "newsmtsc-rw"
    held_out = {sentence_key(e.text) for name in ("dev.jsonl", "test.jsonl") for e in read_newsmtsc(rw / name)}
    out["newsmtsc-rw-test"] = fit_score(mtsc(root / "newsmtsc" / "train.jsonl", held_out), mtsc(rw / "test.jsonl"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="stance model folder (default: the shipped model)")
    ap.add_argument("--train-steps", type=int, default=40, help="optimiser steps of the training-speed run (0: skip)")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args(argv)
    root = default_data_root()
    figures: dict = {}

    started = time.perf_counter()
    baseline = tfidf_baselines(root)
    figures["tfidf_seconds"] = round(time.perf_counter() - started, 1)

    classifier = StanceClassifier.load(resolve_stance_model(args.model))
    sets = [EvalSet("dsa-valid", list(read_dsa(root / "dsa_news" / "valid.txt")), True),
            EvalSet("newsmtsc-rw-test", list(read_newsmtsc(root / "newsmtsc" / "splits" / "newsmtsc-rw" / "test.jsonl")))]
    print("| set | TF-IDF + LR macro-F1 | model macro-F1 | ratio |\n|---|---|---|---|")
    figures["sets"] = {}
    for s in sets:
        model_f1 = score_set(classifier, s)[0]["macro_f1"]
        figures["sets"][s.name] = {"tfidf": round(baseline[s.name], 4), "model": round(model_f1, 4),
                                   "ratio": round(model_f1 / baseline[s.name], 2)}
        print(f"| {s.name} | {baseline[s.name]:.4f} | {model_f1:.4f} | {model_f1 / baseline[s.name]:.2f}x |")

    own = EvalSet("own-test", list(read_own("test")))
    figures["sets"]["own-test"] = {"model": round(score_set(classifier, own)[0]["macro_f1"], 4)}
    print(f"| own-test | - | {figures['sets']['own-test']['model']:.4f} | - |")

    pipeline = Pipeline.from_config(InferConfig(stance_model=str(resolve_stance_model(args.model))))
    samples = load_samples(split="test")  # the half for figures
    sample_scores = score_sample_stances(samples, {s.id: pipeline(s.text, s.id) for s in samples})
    figures["sample_gold"] = {k: v for k, v in sample_scores.items() if k != "misses"}
    print(f"\nsample gold stances, test half, through `infer` (n = {sample_scores['n']}): accuracy {sample_scores['accuracy']:.4f}, "
          f"macro-F1 {sample_scores['macro_f1']:.4f}, targets found {sample_scores['targets_found']:.4f}")

    queries = [query_from_example(e) for e in sets[0].examples]
    classifier.probabilities(queries[:64])  # warm-up
    t0 = time.perf_counter()
    batched = classifier.probabilities(queries)
    t_batched = time.perf_counter() - t0
    naive_n = min(300, len(queries))
    t0 = time.perf_counter()
    naive = np.concatenate([classifier.probabilities([q]) for q in queries[:naive_n]])
    t_naive = time.perf_counter() - t0
    agree = float(np.abs(naive - batched[:naive_n]).max())
    figures["inference"] = {"pairs": len(queries), "batched_pairs_per_s": round(len(queries) / t_batched, 1),
                            "one_at_a_time_pairs_per_s": round(naive_n / t_naive, 1),
                            "ratio": round((len(queries) / t_batched) / (naive_n / t_naive), 2),
                            "max_abs_diff": agree}
    inf = figures["inference"]
    print(f"\ninference on DSA valid ({len(queries)} pairs): batched {inf['batched_pairs_per_s']} pairs/s, "
          f"one at a time {inf['one_at_a_time_pairs_per_s']} pairs/s, ratio {inf['ratio']}x "
          f"(max |difference| {agree:.1e})")

    if args.train_steps:
        with tempfile.TemporaryDirectory() as tmp:
            config = load_config(StanceTrainConfig, REPO / "configs" / "train" / "stance-default.yaml",
                                 [f"output_dir={tmp}", f"optim.max_steps={args.train_steps}", "optim.epochs=1",
                                  "data.limit=600", "progress=false"])
            run = train_stance(config)
            metrics = json.loads((run / "metrics.json").read_text())
        figures["training"] = {"steps": metrics["steps"], "examples_per_s": metrics["train_examples_per_s"]}
        print(f"training (default config, {metrics['steps']} steps of {config.optim.batch_size}): "
              f"{metrics['train_examples_per_s']} examples/s")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
