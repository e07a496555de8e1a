"""One stance training run: data -> fine-tuned cross-encoder -> calibrated model in a run directory.

``train_stance(config)`` does, in order: seed everything; assemble the sets
(:mod:`claimstance.train.examples`); tokenize them with ``datasets`` through the shared input
builder; fine-tune with class-weighted cross-entropy, evaluating on dev after each epoch and
keeping the best epoch; save that model (safetensors, ``save_dtype``) with its tokenizer; reload
it from disk, fit the temperature on dev, and score the eval sets with the reloaded, calibrated
model; write ``metrics.json``, ``labels.json``, ``config.yaml`` and the model card.

Run directory::

    <output_dir>/config.yaml   resolved config      metrics.json   dev per epoch, eval, calibration
    <output_dir>/model/        config.json (label map), model.safetensors, tokenizer, calibration.json,
                               README.md (model card), labels.json
"""

from __future__ import annotations

import copy
import json
import logging
import math
import random
import time
from pathlib import Path

import numpy as np
import yaml

from claimstance.config import to_dict
from claimstance.infer.stance.model import CALIBRATION_FILE, StanceClassifier, softmax
from claimstance.records import LABELS
from claimstance.train.base_model import base_model, save_model
from claimstance.train.card import write_model_card
from claimstance.train.config import StanceTrainConfig
from claimstance.train.examples import EvalSet, build_stance_data
from claimstance.infer.stance.encoding import StanceQuery, encode_pairs, query_from_example
from claimstance.train.optim import make_optimizer, train_epoch
from claimstance.train.metrics import expected_calibration_error, fit_temperature, score_dsa, score_plain

log = logging.getLogger(__name__)

__all__ = ["train_stance", "score_set", "set_seed", "start_run", "write_metrics"]


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def start_run(config) -> Path:
    """Threads, seed, the run directory and its resolved ``config.yaml``: how every training run starts."""
    import torch

    if config.optim.threads:
        torch.set_num_threads(config.optim.threads)
    set_seed(config.seed)
    out = Path(config.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.yaml").write_text(yaml.safe_dump(to_dict(config), sort_keys=False), "utf-8")
    return out


def write_metrics(out: Path, metrics: dict, *, started: float, train_seconds: float, steps: int) -> None:
    """Add the run's times and steps, and write ``metrics.json`` to the run and to its model folder."""
    metrics.update({"train_seconds": round(train_seconds, 1), "total_seconds": round(time.perf_counter() - started, 1),
                    "steps": steps})
    for folder in (out, out / "model"):
        (folder / "metrics.json").write_text(json.dumps(metrics, indent=2), "utf-8")


def _tokenized(examples, tokenizer, config: StanceTrainConfig):
    """A ``datasets.Dataset`` of input ids and label ids, built with the shared input builder."""
    from datasets import Dataset

    label_ids = {l: i for i, l in enumerate(LABELS)}
    table = Dataset.from_dict({
        "text": [e.text for e in examples], "speaker": [e.speaker for e in examples],
        "target": [e.target for e in examples], "label": [label_ids[e.label] for e in examples],
        "speaker_span": [list(e.speaker_span) if e.speaker_span else None for e in examples],
        "target_span": [list(e.target_span) if e.target_span else None for e in examples],
    })

    def encode(batch):
        queries = [StanceQuery(t, s, g, tuple(ss) if ss else None, tuple(ts) if ts else None)
                   for t, s, g, ss, ts in zip(batch["text"], batch["speaker"], batch["target"],
                                              batch["speaker_span"], batch["target_span"])]
        return dict(encode_pairs(tokenizer, queries, config.model.max_length, config.model.max_context_chars))

    return table.map(encode, batched=True, remove_columns=["text", "speaker", "target", "speaker_span", "target_span"],
                     desc="tokenize", load_from_cache_file=False, keep_in_memory=True)


def _length_grouped_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (little padding), in a random order; deterministic per rng."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for s in range(0, len(order), chunk):
        group = sorted(order[s : s + chunk], key=lambda i: lengths[i])
        batches += [group[i : i + batch_size] for i in range(0, len(group), batch_size)]
    rng.shuffle(batches)
    return batches


def class_weights(label_ids: list[int], mode: str, n_classes: int = len(LABELS)):
    """Loss weights from the training label counts: none | inverse | sqrt_inverse (mean 1)."""
    import torch

    counts = np.bincount(label_ids, minlength=n_classes).astype(float)
    if mode == "none":
        return None
    weights = counts.sum() / (n_classes * np.maximum(counts, 1))
    if mode == "sqrt_inverse":
        weights = np.sqrt(weights)
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


def score_set(classifier: StanceClassifier, eval_set: EvalSet, progress: bool = False, logits=None) -> tuple[dict, np.ndarray]:
    """Scores of one set and its logits (before the temperature)."""
    if logits is None:
        logits = classifier.logits([query_from_example(e) for e in eval_set.examples], progress)
    probs = softmax(logits / classifier.temperature)
    gold = [e.label for e in eval_set.examples]
    scores = score_dsa(gold, probs, classifier.labels) if eval_set.paired else score_plain(gold, probs, classifier.labels)
    return scores, logits


def _dev_score(classifier: StanceClassifier, dev: list[EvalSet], progress: bool) -> tuple[float, dict]:
    """Mean macro-F1 over the dev sets (the model-selection criterion) and their scores."""
    scores = {s.name: score_set(classifier, s, progress)[0] for s in dev}
    return float(np.mean([m["macro_f1"] for m in scores.values()])), scores


def train_stance(config: StanceTrainConfig) -> Path:
    """Train, calibrate, evaluate and save; returns the run directory."""
    import torch

    started = time.perf_counter()
    out = start_run(config)

    data = build_stance_data(config.data, config.seed)
    tokenizer, model = base_model(config.model, "AutoModelForSequenceClassification", LABELS)
    train_set = _tokenized(data.train, tokenizer, config)
    lengths = [len(ids) for ids in train_set["input_ids"]]
    labels = train_set["label"]
    features = {k: train_set[k] for k in train_set.column_names if k != "label"}
    weights = class_weights(labels, config.optim.class_weights)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)

    rng = random.Random(config.seed)
    steps_per_epoch = math.ceil(len(labels) / config.optim.batch_size)
    total = steps_per_epoch * config.optim.epochs
    if config.optim.max_steps:
        total = min(total, config.optim.max_steps)
    optimizer, scheduler = make_optimizer(model, config.optim, total)
    classifier = StanceClassifier(model, tokenizer, max_length=config.model.max_length,
                                  max_chars=config.model.max_context_chars, batch_size=config.optim.eval_batch_size)

    history, best, best_state, step, seen = [], -1.0, None, 0, 0
    train_seconds = 0.0
    for epoch in range(1, config.optim.epochs + 1):
        epoch_start = time.perf_counter()
        batches = _length_grouped_batches(lengths, config.optim.batch_size, rng)

        def loss_of(idx):
            batch = tokenizer.pad({k: [v[i] for i in idx] for k, v in features.items()}, return_tensors="pt")
            return loss_fn(model(**batch).logits, torch.tensor([labels[i] for i in idx]))

        step, n_seen, mean_loss = train_epoch(model, batches, loss_of, optimizer, scheduler, max_grad_norm=config.optim.max_grad_norm,
                                              step=step, total=total, desc=f"epoch {epoch}/{config.optim.epochs}", progress=config.progress)
        seen += n_seen
        train_seconds += time.perf_counter() - epoch_start
        dev_score, dev_scores = _dev_score(classifier, data.dev, config.progress)
        history.append({"epoch": epoch, "step": step, "train_loss": mean_loss, "dev_score": dev_score, "dev": dev_scores})
        log.info("epoch %d: dev score %.4f", epoch, dev_score)
        if config.progress:
            per_set = ", ".join(f"{name} {m['macro_f1']:.4f}" for name, m in dev_scores.items())
            print(f"\nepoch {epoch}: train loss {mean_loss:.4f}, dev macro-F1 mean {dev_score:.4f} ({per_set})", flush=True)
        if dev_score > best:
            best, best_state = dev_score, copy.deepcopy(model.state_dict())
        if step >= total:
            break

    model.load_state_dict(best_state)
    best_epoch = max(history, key=lambda h: h["dev_score"])["epoch"]
    model_dir = out / "model"
    save_model(model, tokenizer, model_dir, config.model.save_dtype, LABELS)
    metrics = _calibrate_and_evaluate(model_dir, data, config)
    metrics.update({"best_epoch": best_epoch, "epochs": history, "data": data.counts, "seed": config.seed,
                    "train_examples_per_s": round(seen / max(train_seconds, 1e-9), 2)})
    write_metrics(out, metrics, started=started, train_seconds=train_seconds, steps=step)
    write_model_card(model_dir / "README.md", config, metrics)
    return out


def _calibrate_and_evaluate(model_dir: Path, data, config: StanceTrainConfig) -> dict:
    """Reload the saved model, fit the temperature on dev, score dev and eval sets with it."""
    classifier = StanceClassifier.load(model_dir, batch_size=config.optim.eval_batch_size)
    classifier.max_length, classifier.max_chars = config.model.max_length, config.model.max_context_chars
    dev_logits = [score_set(classifier, s, config.progress)[1] for s in data.dev]
    label_ids = {l: i for i, l in enumerate(classifier.labels)}
    gold = np.array([label_ids[e.label] for s in data.dev for e in s.examples])
    logits = np.concatenate(dev_logits)
    temperature = fit_temperature(gold, logits)
    calibration = {
        "temperature": temperature,
        "dev_ece_before": round(expected_calibration_error(gold, softmax(logits)), 4),
        "dev_ece_after": round(expected_calibration_error(gold, softmax(logits / temperature)), 4),
        "dev_n": int(len(gold)),
    }
    (model_dir / CALIBRATION_FILE).write_text(json.dumps({
        "temperature": temperature, "max_length": config.model.max_length,
        "max_context_chars": config.model.max_context_chars}, indent=2), "utf-8")
    classifier.temperature = temperature
    dev = {s.name: score_set(classifier, s, logits=lg)[0] for s, lg in zip(data.dev, dev_logits)}
    evaluation = {s.name: score_set(classifier, s, config.progress)[0] for s in data.eval}
    return {"calibration": calibration, "dev": dev, "eval": evaluation}
