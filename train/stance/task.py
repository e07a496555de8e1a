"""The stance task of a training run: data -> fine-tuned encoder with a marker head -> calibrated model.

What the skeleton (:mod:`claimstance.train.run`) does not: assemble the sets
(:mod:`claimstance.train.stance.data`); gather the examples that share a text and a speaker into
statements (one pass, several targets; ``model.one_per_pass`` keeps them apart) and tokenize them
with the input builder inference uses (:mod:`claimstance.infer.stance.encoding`); class-weighted
cross-entropy over every target of batches of statements of similar length; the dev score (mean
macro-F1 over the dev sets) that picks the epoch; after saving, reload the model, fit the
per-class calibration and the neutral floor on dev (written into ``settings.json``) and score the
dev and eval sets with the reloaded, calibrated model.
"""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path

import numpy as np

from claimstance.infer.model_folder import write_settings
from claimstance.infer.stance.encoding import encode_statements, group_queries, query_from_example
from claimstance.infer.stance.model import StanceClassifier, StanceSettings, flat_targets, hidden_states, pool, softmax
from claimstance.records import LABELS
from claimstance.train.base_model import base_model
from claimstance.train.optim import class_weights
from claimstance.train.run import train
from claimstance.train.stance.calibration import choose_neutral_floor, expected_calibration_error, fit_vector_scaling
from claimstance.train.stance.card import write_stance_card
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.data import EvalSet, build_stance_data
from claimstance.train.stance.metrics import score_dsa, score_plain
from claimstance.train.stance.net import StanceNet

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
        self.tokenizer, encoder = base_model(config.model, "AutoModel", LABELS)
        self.model = StanceNet(encoder, config.model.pooling, len(LABELS))
        label_ids = {label: i for i, label in enumerate(LABELS)}
        statements, where = group_queries([query_from_example(e) for e in self.data.train], config.model.one_per_pass)
        self.targets = [[0] * len(s.targets) for s in statements]  # label ids per statement and target
        for (i, k), example in zip(where, self.data.train):
            self.targets[i][k] = label_ids[example.label]
        self.encoded = encode_statements(self.tokenizer, statements, config.model.max_length, config.model.max_context_chars)
        self.lengths = self.encoded.lengths()
        flat = [t for row in self.targets for t in row]
        self.loss_fn = torch.nn.CrossEntropyLoss(weight=class_weights(flat, config.optim.class_weights, len(LABELS)))
        self.rng = random.Random(config.seed)
        self.classifier = StanceClassifier(hidden_states(self.model.encoder), self.model.head, self.tokenizer,
                                           self.settings(), LABELS, batch_size=config.optim.eval_batch_size)
        self.counts = {"train_statements": len(statements), "train_targets": len(flat)}

    def total_steps(self) -> int:
        return math.ceil(len(self.lengths) / self.config.optim.batch_size) * self.config.optim.epochs

    def batches(self, epoch: int) -> list[list[int]]:
        return _length_grouped_batches(self.lengths, self.config.optim.batch_size, self.rng)

    def loss(self, batch: list[int]):
        import torch

        features = self.encoded.features
        padded = self.tokenizer.pad({k: [features[k][i] for i in batch] for k in features}, return_tensors="pt")
        hidden = self.model.encoder(**padded).last_hidden_state
        rows, spk, tgt = flat_targets(self.encoded, batch)
        logits = self.model.head(pool(hidden, rows, spk, tgt, self.config.model.pooling))
        gold = torch.tensor([t for i in batch for t in self.targets[i]])
        return self.loss_fn(logits, gold)

    def select(self, epoch: int) -> tuple[float, dict, str]:
        """The mean macro-F1 over the dev sets."""
        scores = {s.name: score_set(self.classifier, s, self.config.progress)[0] for s in self.data.dev}
        score = float(np.mean([m["macro_f1"] for m in scores.values()]))
        per_set = ", ".join(f"{name} {m['macro_f1']:.4f}" for name, m in scores.items())
        return score, {"dev_score": score, "dev": scores}, f"dev macro-F1 mean {score:.4f} ({per_set})"

    def settings(self, scale=(1.0, 1.0, 1.0), bias=(0.0, 0.0, 0.0), neutral_below: float = 0.0) -> StanceSettings:
        m = self.config.model
        return StanceSettings("stance", m.max_length, m.max_context_chars, m.pooling, m.one_per_pass,
                              [float(x) for x in scale], [float(x) for x in bias], float(neutral_below))

    def score_saved(self, model_dir: Path) -> dict:
        """Reload the saved model; fit the per-class calibration and the neutral floor on dev; score
        the dev and eval sets with the calibrated model."""
        config, data = self.config, self.data
        classifier = StanceClassifier.load(model_dir, batch_size=config.optim.eval_batch_size)
        dev_logits = [score_set(classifier, s, config.progress)[1] for s in data.dev]
        label_ids = {label: i for i, label in enumerate(classifier.labels)}
        gold = np.array([label_ids[e.label] for s in data.dev for e in s.examples])
        logits = np.concatenate(dev_logits)
        scale, bias = fit_vector_scaling(gold, logits)
        classifier.settings = self.settings(scale, bias)
        floor = choose_neutral_floor(lambda c: np.mean([score_set(c, s, logits=lg)[0]["macro_f1"]
                                                        for s, lg in zip(data.dev, dev_logits)]), classifier,
                                     config.model.neutral_floors)
        classifier.settings = self.settings(scale, bias, floor)
        write_settings(model_dir, classifier.settings)
        calibrated = classifier.calibrate(logits)
        calibration = {
            "scale": classifier.settings.scale, "bias": classifier.settings.bias, "neutral_below": floor,
            "dev_ece_before": round(expected_calibration_error(gold, softmax(logits)), 4),
            "dev_ece_after": round(expected_calibration_error(gold, calibrated), 4),
            "dev_n": int(len(gold)),
        }
        dev = {s.name: score_set(classifier, s, logits=lg)[0] for s, lg in zip(data.dev, dev_logits)}
        passes = classifier.passes
        evaluation = {s.name: score_set(classifier, s, config.progress)[0] for s in data.eval}
        calibration["eval_encoder_passes"] = classifier.passes - passes
        calibration["eval_targets"] = sum(len(s.examples) for s in data.eval)
        return {"calibration": calibration, "dev": dev, "eval": evaluation}

    def extra_metrics(self) -> dict:
        return {"data": {**self.data.counts, **self.counts}}

    def write_card(self, path: Path, metrics: dict) -> None:
        write_stance_card(path, self.config, metrics)


def score_set(classifier: StanceClassifier, eval_set: EvalSet, progress: bool = False, logits=None) -> tuple[dict, np.ndarray]:
    """Scores of one set (with the classifier's calibration and decision rule) and its raw logits."""
    if logits is None:
        logits = classifier.logits([query_from_example(e) for e in eval_set.examples], progress)
    probs = classifier.calibrate(logits)
    gold = [e.label for e in eval_set.examples]
    score = score_dsa if eval_set.paired else score_plain
    scores = score(gold, probs, classifier.labels, classifier.decide)
    if not eval_set.paired:
        against = classifier.labels.index("against")
        pred = classifier.decide(probs)
        called = pred == against
        scores["against_precision"] = float((np.array(gold)[called] == "against").mean()) if called.any() else None
    return scores, logits


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
