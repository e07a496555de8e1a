"""The stance classifier at inference: a fine-tuned cross-encoder folder -> calibrated probabilities.

A model folder (a training run's ``model/``, or the shipped ``models/stance-minilm``) holds the
Hugging Face config with the label map, ``model.safetensors`` (fp16 or fp32; weights load as
fp32), the tokenizer and ``calibration.json`` (the temperature fitted on dev). Only safetensors
weights are read: a folder with pickled weights alone is refused.

Inputs are built by :func:`claimstance.infer.stance.encoding.encode_pairs`, the function training uses;
batches are sorted by length so that padding stays small.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from claimstance.models import load_model_folder, resolve_model_folder
from claimstance.infer.stance.encoding import DEFAULT_MAX_CHARS, StanceQuery, encode_pairs

log = logging.getLogger(__name__)

__all__ = ["CALIBRATION_FILE", "DEFAULT_STANCE_MODEL", "StanceClassifier", "resolve_stance_model", "softmax"]

CALIBRATION_FILE = "calibration.json"
DEFAULT_STANCE_MODEL = "stance-minilm"  # under models/ (the package claimstance.shipped)


def resolve_stance_model(name: Optional[str]) -> Path:
    """The model folder for ``name``: ``None`` or ``"default"`` is the shipped model, else a path."""
    return resolve_model_folder(name, DEFAULT_STANCE_MODEL, "stance model", "configs/train/stance-default.yaml")


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class StanceClassifier:
    """``predict(queries)`` -> probabilities over ``labels``; ``temperature`` divides the logits."""

    def __init__(self, model, tokenizer, *, max_length: int = 128, max_chars: int = DEFAULT_MAX_CHARS,
                 temperature: float = 1.0, batch_size: int = 64):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.max_chars = max_chars
        self.temperature = temperature
        self.batch_size = batch_size
        id2label = model.config.id2label
        self.labels = tuple(id2label[i] for i in range(len(id2label)))

    @classmethod
    def load(cls, folder: str | Path, batch_size: int = 64, runtime: str = "torch") -> "StanceClassifier":
        """``runtime``: torch, or onnx / onnx-int8 (:mod:`claimstance.infer.runtime`)."""
        from claimstance.infer.runtime import use_runtime

        folder = Path(folder)
        model, tokenizer = load_model_folder(folder, "AutoModelForSequenceClassification", "stance model")
        model = use_runtime(model, folder, runtime, tuple(tokenizer.model_input_names))
        calib = json.loads((folder / CALIBRATION_FILE).read_text("utf-8")) if (folder / CALIBRATION_FILE).is_file() else {}
        return cls(model, tokenizer, max_length=int(calib.get("max_length", 128)),
                   max_chars=int(calib.get("max_context_chars", DEFAULT_MAX_CHARS)),
                   temperature=float(calib.get("temperature", 1.0)), batch_size=batch_size)

    def logits(self, queries: Sequence[StanceQuery], progress: bool = False) -> np.ndarray:
        """Raw logits, one row per query, in input order (before the temperature)."""
        import torch

        if not queries:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        enc = encode_pairs(self.tokenizer, list(queries), self.max_length, self.max_chars)
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
        return softmax(self.logits(queries, progress) / self.temperature)

    def predict(self, queries: Sequence[StanceQuery]) -> list[tuple[str, dict[str, float]]]:
        """``(label, {label: probability})`` per query."""
        probs = self.probabilities(queries)
        return [
            (self.labels[int(row.argmax())], {label: float(p) for label, p in zip(self.labels, row)})
            for row in probs
        ]
