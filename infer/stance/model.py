"""The stance classifier at inference: a fine-tuned cross-encoder folder -> calibrated probabilities.

A model folder (a training run's ``model/``, or the shipped ``models/stance-minilm``; see
:mod:`claimstance.infer.model_folder`) holds the weights, the tokenizer, the label map in
``config.json`` and :class:`StanceSettings` in ``settings.json``: the input sizes it was trained
with and the temperature fitted on dev. Inputs are built by
:func:`claimstance.infer.stance.encoding.encode_pairs`, the function training uses; batches are
sorted by length so that padding stays small.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from claimstance.infer.model_folder import load_model_folder
from claimstance.infer.stance.encoding import StanceQuery, encode_pairs
from claimstance.models import resolve_model_folder

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_STANCE_MODEL", "StanceClassifier", "StanceSettings", "resolve_stance_model", "softmax"]

DEFAULT_STANCE_MODEL = "stance-minilm"  # under models/ (the package claimstance.shipped)


@dataclass(frozen=True)
class StanceSettings:
    """A stance model's ``settings.json``: what inference needs besides the weights."""

    task: str  # "stance"
    max_length: int  # tokens per (question, context) pair
    max_context_chars: int  # the context window around the marked mentions
    temperature: float  # divides the logits: the calibration fitted on dev

    def __post_init__(self) -> None:
        if self.task != "stance":
            raise ValueError(f"task is {self.task!r}: this is not a stance model")
        if self.temperature <= 0:
            raise ValueError(f"temperature must be positive, got {self.temperature!r}")


def resolve_stance_model(name: Optional[str]) -> Path:
    """The model folder for ``name``: ``None`` or ``"default"`` is the shipped model, else a path."""
    return resolve_model_folder(name, DEFAULT_STANCE_MODEL, "stance model", "configs/train/stance-default.yaml")


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class StanceClassifier:
    """``predict(queries)`` -> probabilities over ``labels``, calibrated by ``settings.temperature``."""

    def __init__(self, model, tokenizer, settings: StanceSettings, *, batch_size: int = 64):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.batch_size = batch_size
        id2label = model.config.id2label
        self.labels = tuple(id2label[i] for i in range(len(id2label)))

    @classmethod
    def load(cls, folder: str | Path, batch_size: int = 64, runtime: str = "torch") -> "StanceClassifier":
        """``runtime``: torch, or onnx / onnx-int8 (:mod:`claimstance.infer.runtime`)."""
        model, tokenizer, settings = load_model_folder(folder, StanceSettings, "AutoModelForSequenceClassification",
                                                       "stance model", runtime)
        return cls(model, tokenizer, settings, batch_size=batch_size)

    def logits(self, queries: Sequence[StanceQuery], progress: bool = False) -> np.ndarray:
        """Raw logits, one row per query, in input order (before the temperature)."""
        import torch

        if not queries:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        enc = encode_pairs(self.tokenizer, list(queries), self.settings.max_length, self.settings.max_context_chars)
        order = sorted(range(len(queries)), key=lambda i: len(enc["input_ids"][i]))
        out = np.zeros((len(queries), len(self.labels)), dtype=np.float32)
        starts = range(0, len(order), self.batch_size)
        if progress:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc="predict", unit="batch", leave=False)
        with torch.inference_mode():
            for s in starts:
                idx = order[s : s + self.batch_size]
                batch = self.tokenizer.pad({k: [enc[k][i] for i in idx] for k in enc.keys()}, return_tensors="pt")
                out[idx] = self.model(**batch).logits.float().numpy()
        return out

    def probabilities(self, queries: Sequence[StanceQuery], progress: bool = False) -> np.ndarray:
        return softmax(self.logits(queries, progress) / self.settings.temperature)

    def predict(self, queries: Sequence[StanceQuery]) -> list[tuple[str, dict[str, float]]]:
        """``(label, {label: probability})`` per query."""
        probs = self.probabilities(queries)
        return [
            (self.labels[int(row.argmax())], {label: float(p) for label, p in zip(self.labels, row)})
            for row in probs
        ]
