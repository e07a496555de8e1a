"""The stance task of a training run: data -> fine-tuned cross-encoder -> calibrated model.

What the skeleton (:mod:`claimstance.train.run`) does not: assemble the sets
(:mod:`claimstance.train.stance.data`); tokenize them with ``datasets`` through the input builder
inference uses (:mod:`claimstance.infer.stance.encoding`); class-weighted cross-entropy over
batches of similar length; the dev score (mean macro-F1 over the dev sets) that picks the epoch;
after saving, reload the model, fit the temperature on dev (written into ``settings.json``) and
score the dev and eval sets with the reloaded, calibrated model.
"""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path

import numpy as np

from claimstance.infer.model_folder import write_settings
from claimstance.infer.stance.encoding import StanceQuery, encode_pairs, query_from_example
from claimstance.infer.stance.model import StanceClassifier, StanceSettings, softmax
from claimstance.records import LABELS
from claimstance.train.base_model import base_model
from claimstance.train.optim import class_weights
from claimstance.train.run import train
from claimstance.train.stance.card import write_stance_card
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.data import EvalSet, build_stance_data
from claimstance.train.stance.metrics import expected_calibration_error, fit_temperature, score_dsa, score_plain

__all__ = ["StanceTask", "train_stance", "score_set"]


def train_stance(config: StanceTrainConfig) -> Path:
    """Train, calibrate, evaluate and save; returns the run directory."""
    return train(StanceTask(config))


class StanceTask:
    unit = "examples"

    def __init__(self, config: StanceTrainConfig):
        self.config = config

    def prepare(self) -> None:
        import torch

        config = self.config
        self.data = build_stance_data(config.data, config.seed)
        self.tokenizer, self.model = base_model(config.model, "AutoModelForSequenceClassification", LABELS)
        train_set = _tokenized(self.data.train, self.tokenizer, config)
        self.lengths = [len(ids) for ids in train_set["input_ids"]]
        self.labels = train_set["label"]
        self.features = {k: train_set[k] for k in train_set.column_names if k != "label"}
        self.loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights(self.labels, config.optim.class_weights, len(LABELS)))
        self.rng = random.Random(config.seed)
        self.classifier = StanceClassifier(self.model, self.tokenizer, self.settings(),
                                           batch_size=config.optim.eval_batch_size)

    def total_steps(self) -> int:
        return math.ceil(len(self.labels) / self.config.optim.batch_size) * self.config.optim.epochs

    def batches(self, epoch: int) -> list[list[int]]:
        return _length_grouped_batches(self.lengths, self.config.optim.batch_size, self.rng)

    def loss(self, batch: list[int]):
        import torch

        padded = self.tokenizer.pad({k: [v[i] for i in batch] for k, v in self.features.items()}, return_tensors="pt")
        return self.loss_fn(self.model(**padded).logits, torch.tensor([self.labels[i] for i in batch]))

    def select(self, epoch: int) -> tuple[float, dict, str]:
        """The mean macro-F1 over the dev sets."""
        scores = {s.name: score_set(self.classifier, s, self.config.progress)[0] for s in self.data.dev}
        score = float(np.mean([m["macro_f1"] for m in scores.values()]))
        per_set = ", ".join(f"{name} {m['macro_f1']:.4f}" for name, m in scores.items())
        return score, {"dev_score": score, "dev": scores}, f"dev macro-F1 mean {score:.4f} ({per_set})"

    def settings(self, temperature: float = 1.0) -> StanceSettings:
        return StanceSettings("stance", self.config.model.max_length, self.config.model.max_context_chars, temperature)

    def score_saved(self, model_dir: Path) -> dict:
        """Reload the saved model, fit the temperature on dev, score the dev and eval sets with it."""
        config, data = self.config, self.data
        classifier = StanceClassifier.load(model_dir, batch_size=config.optim.eval_batch_size)
        dev_logits = [score_set(classifier, s, config.progress)[1] for s in data.dev]
        label_ids = {label: i for i, label in enumerate(classifier.labels)}
        gold = np.array([label_ids[e.label] for s in data.dev for e in s.examples])
        logits = np.concatenate(dev_logits)
        temperature = fit_temperature(gold, logits)
        calibration = {
            "temperature": temperature,
            "dev_ece_before": round(expected_calibration_error(gold, softmax(logits)), 4),
            "dev_ece_after": round(expected_calibration_error(gold, softmax(logits / temperature)), 4),
            "dev_n": int(len(gold)),
        }
        write_settings(model_dir, self.settings(temperature))
        classifier.settings = dataclasses.replace(classifier.settings, temperature=temperature)
        dev = {s.name: score_set(classifier, s, logits=lg)[0] for s, lg in zip(data.dev, dev_logits)}
        evaluation = {s.name: score_set(classifier, s, config.progress)[0] for s in data.eval}
        return {"calibration": calibration, "dev": dev, "eval": evaluation}

    def extra_metrics(self) -> dict:
        return {"data": self.data.counts}

    def write_card(self, path: Path, metrics: dict) -> None:
        write_stance_card(path, self.config, metrics)


def score_set(classifier: StanceClassifier, eval_set: EvalSet, progress: bool = False, logits=None) -> tuple[dict, np.ndarray]:
    """Scores of one set and its logits (before the temperature)."""
    if logits is None:
        logits = classifier.logits([query_from_example(e) for e in eval_set.examples], progress)
    probs = softmax(logits / classifier.settings.temperature)
    gold = [e.label for e in eval_set.examples]
    scores = score_dsa(gold, probs, classifier.labels) if eval_set.paired else score_plain(gold, probs, classifier.labels)
    return scores, logits


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
