"""The attribution tagger: its own encoder against one shared with the stance model, and its speed.

    python benchmarks/bench_tagger.py [--train-limit N] [--json OUT.json]

In one process, on PolNeAR dev (tagger alone: the source is the tagged mention, no speaker
resolution; the figures of `claimstance evaluate attribution` come through the whole pipeline):

* ``own encoder``: the shipped tagger (models/attribution-tagger-minilm), fine-tuned end to end;
* ``shared encoder``: the shipped stance model's encoder, frozen, with a token-classification head
  trained here on PolNeAR train (the same windows and tags as the tagger's training). Sharing
  means one encoder on disk and in memory; it cannot save encoder passes, because the stance model
  reads marked statements and the tagger reads article windows.

Then the tagger's speed on the dev texts: windows of all texts batched and sorted by length,
against one article at a time, in articles/s and windows/s.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from pathlib import Path
from typing import Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_infer import machine_info  # noqa: E402


def _features(encoder, tokenizer, texts: list[str], size: int) -> list[tuple[np.ndarray, list]]:
    """Hidden states of every word piece (non-overlapping windows), with the pieces."""
    import torch

    from claimstance.infer.tagger.encoding import tokenize_text, windows

    out = []
    with torch.inference_mode():
        for text in texts:
            pieces = tokenize_text(tokenizer, text)
            states = []
            for s, e in windows(len(pieces.ids), size, 0):
                ids = torch.tensor([[tokenizer.cls_token_id, *pieces.ids[s:e], tokenizer.sep_token_id]])
                states.append(encoder(input_ids=ids).last_hidden_state[0, 1:-1].numpy())
            out.append((np.concatenate(states) if states else np.zeros((0, encoder.config.hidden_size)), pieces))
    return out


def shared_encoder_scores(train_docs, dev_docs, seed: int = 13) -> dict:
    """Train a linear tag head on the frozen stance encoder; score it on dev like the tagger."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from claimstance.evaluate.attribution import score_corpus
    from claimstance.infer.stance.model import resolve_stance_model
    from claimstance.infer.tagger.decode import decode, to_statements
    from claimstance.train.tagger.task import headline
    from claimstance.infer.tagger.encoding import TAGS, gold_segments, piece_tags

    torch.manual_seed(seed)
    folder = resolve_stance_model("default")
    encoder = AutoModel.from_pretrained(folder, dtype=torch.float32, use_safetensors=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    t0 = time.perf_counter()
    train = _features(encoder, tokenizer, [d.text for d in train_docs], 254)
    x = torch.tensor(np.concatenate([f for f, _ in train]))
    y = torch.tensor(np.concatenate([piece_tags(p.offsets, len(d.text), gold_segments(d.attributions))
                                     for (_, p), d in zip(train, train_docs)]))
    head = torch.nn.Linear(x.shape[1], len(TAGS))
    optimizer = torch.optim.Adam(head.parameters(), lr=3e-3)
    order = torch.randperm(len(y))
    for _ in range(4):
        for b in range(0, len(y), 4096):
            idx = order[b : b + 4096]
            loss = torch.nn.functional.cross_entropy(head(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    train_s = time.perf_counter() - t0
    dev = _features(encoder, tokenizer, [d.text for d in dev_docs], 254)
    predictions = {}
    with torch.inference_mode():
        for (f, pieces), doc in zip(dev, dev_docs):
            tags = head(torch.tensor(f)).argmax(-1).tolist()
            predictions[doc.doc_id] = to_statements(decode(tags, pieces.offsets, doc.text), doc.text)
    return {**headline(score_corpus(dev_docs, predictions)), "train_articles": len(train_docs),
            "features_and_head_seconds": round(train_s, 1)}


def own_encoder_scores(tagger, dev_docs) -> dict:
    from claimstance.train.tagger.task import headline, score_tagger

    return headline(score_tagger(tagger, dev_docs))


def speed(tagger, texts: list[str], repeat: int = 2) -> dict:
    from claimstance.infer.tagger.encoding import tokenize_text, windows

    n_windows = sum(len(windows(len(tokenize_text(tagger.tokenizer, t).ids), tagger.settings.max_length - 2,
                                tagger.settings.overlap)) for t in texts)
    tagger.attributions(texts[:2])  # warm-up
    batched, single = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        tagger.attributions(texts)
        batched.append(time.perf_counter() - t)
        t = time.perf_counter()
        for text in texts:
            tagger.attributions([text])
        single.append(time.perf_counter() - t)
    b, s = min(batched), min(single)
    return {"articles": len(texts), "windows": n_windows,
            "batched": {"seconds": round(b, 2), "articles_per_s": round(len(texts) / b, 2), "windows_per_s": round(n_windows / b, 1)},
            "one_article_at_a_time": {"seconds": round(s, 2), "articles_per_s": round(len(texts) / s, 2)},
            "ratio_batched_over_single": round(s / b, 3)}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train-limit", type=int, default=300,
                        help="PolNeAR train articles for the shared-encoder head (default 300; 0: skip that part)")
    parser.add_argument("--json", metavar="PATH", default=None)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # the PolNeAR reader's notes on skipped relations

    from claimstance.data.polnear import iter_polnear, polnear_split_dir
    from claimstance.infer.tagger.model import load_tagger

    dev_docs = list(iter_polnear(polnear_split_dir("dev")))
    tagger = load_tagger("default")
    figures: dict = {"dev_articles": len(dev_docs), "own_encoder": own_encoder_scores(tagger, dev_docs)}
    if args.train_limit:
        train_docs = list(iter_polnear(polnear_split_dir("train")))
        random.Random(13).shuffle(train_docs)
        figures["shared_encoder"] = shared_encoder_scores(train_docs[: args.train_limit], dev_docs)
    figures["speed"] = speed(tagger, [d.text for d in dev_docs])
    figures["machine"] = machine_info()

    print(f"PolNeAR dev, {len(dev_docs)} articles, tagger alone (source = tagged mention)")
    print(f"  {'encoder':<36}{'overlap F1':>11}{'exact F1':>10}{'source acc':>12}{'cue acc':>9}")
    rows = [("own, fine-tuned (shipped)", figures["own_encoder"])]
    if "shared_encoder" in figures:
        rows.append((f"stance model's, frozen + head ({args.train_limit} art.)", figures["shared_encoder"]))
    for name, h in rows:
        print(f"  {name:<36}{100 * h['overlap_f1']:>11.1f}{100 * h['exact_f1']:>10.1f}"
              f"{100 * h['source_accuracy']:>12.1f}{100 * h['cue_accuracy']:>9.1f}")
    sp = figures["speed"]
    print(f"speed: {sp['windows']} windows; batched {sp['batched']['articles_per_s']} articles/s "
          f"({sp['batched']['windows_per_s']} windows/s), one article at a time {sp['one_article_at_a_time']['articles_per_s']} "
          f"articles/s; ratio {sp['ratio_batched_over_single']}x")
    m = figures["machine"]
    print(f"machine: {m['cpu_count']} CPUs, load average {m['load_average_1_5_15min']}, torch {m['torch']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
