"""The stance classifier at inference: a fine-tuned encoder with a marker-pooling head -> calibrated probabilities.

A model folder (a training run's ``model/``, or the shipped ``models/stance-minilm``; see
:mod:`claimstance.infer.model_folder`) holds the encoder (``config.json`` with the label map,
``model.safetensors``, the tokenizer), the head (``head.safetensors``) and :class:`StanceSettings`
in ``settings.json``: the input sizes it was trained with, the pooling, and the calibration fitted
on dev. Inputs are built by :func:`claimstance.infer.stance.encoding.encode_statements`, the
function training uses.

One encoder pass per statement; the head reads, per target, the hidden states at ``[CLS]``, the
speaker's mark and the target's mark (``pooling: markers``), or ``[CLS]`` alone (``pooling: cls``,
one target per pass). Calibration is per class (vector scaling: each class's logit scaled and
shifted), and a favor/against call below ``neutral_below`` is neutral: a cautious label, not a guess.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from claimstance.errors import ModelNotFound
from claimstance.infer.model_folder import load_model_folder
from claimstance.infer.stance.encoding import (
    Encoded, StanceQuery, StatementQuery, encode_statements, group_queries,
)
from claimstance.models import resolve_model_folder

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_STANCE_MODEL", "HEAD_FILE", "POOLINGS", "StanceClassifier", "StanceSettings", "flat_targets",
           "hidden_states", "make_head", "pool", "resolve_stance_model", "softmax"]

DEFAULT_STANCE_MODEL = "stance-minilm"  # under models/ (the package claimstance.shipped)
HEAD_FILE = "head.safetensors"
POOLINGS = ("markers", "cls")
NEUTRAL = "neutral"
# statements per model call: the runtime keeps working memory for its largest call (16 statements
# of up to 160 pieces: about 350 MB less than 64 over a parser batch, and as fast on 2 cores;
# docs/batch-jobs.md)
BATCH_STATEMENTS = 16


@dataclass(frozen=True)
class StanceSettings:
    """A stance model's ``settings.json``: what inference needs besides the weights."""

    task: str  # "stance"
    max_length: int  # tokens per statement (both segments)
    max_context_chars: int  # the window of the speaker's words around the marks
    pooling: str  # markers | cls
    one_per_pass: bool  # one target per encoder pass (pooling cls needs it)
    scale: list  # per-class calibration: logit * scale + bias
    bias: list
    neutral_below: float  # a favor/against call with a lower probability is neutral (0: never)

    def __post_init__(self) -> None:
        if self.task != "stance":
            raise ValueError(f"task is {self.task!r}: this is not a stance model")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {self.pooling!r}")
        if self.pooling == "cls" and not self.one_per_pass:
            raise ValueError("pooling cls reads one vector per pass: it needs one_per_pass true")
        if len(self.scale) != 3 or len(self.bias) != 3:
            raise ValueError("scale and bias hold one number per class (3)")
        if not 0 <= self.neutral_below < 1:
            raise ValueError(f"neutral_below must be in [0, 1), got {self.neutral_below!r}")


def resolve_stance_model(name: Optional[str]) -> Path:
    """The model folder for ``name``: ``None`` or ``"default"`` is the shipped model, else a path."""
    return resolve_model_folder(name, DEFAULT_STANCE_MODEL, "stance model", "configs/train/stance-default.yaml")


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _torch():
    import torch

    return torch


def hidden_states(encoder):
    """``encoder`` (a Hugging Face base model) as a module whose ``.logits`` are its last hidden
    states: the form the runtimes (:mod:`claimstance.infer.runtime`) run and export."""
    torch = _torch()
    from types import SimpleNamespace

    class HiddenStates(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner
            self.config = inner.config

        def forward(self, **inputs):
            return SimpleNamespace(logits=self.inner(**inputs).last_hidden_state)

    return HiddenStates(encoder).eval()


def make_head(hidden: int, pooling: str, n_labels: int = 3, dropout: float = 0.1):
    """The head over pooled hidden states: ``[CLS; speaker mark; target mark]`` (markers) or ``[CLS]``."""
    torch = _torch()
    width = hidden * (3 if pooling == "markers" else 1)
    return torch.nn.Sequential(torch.nn.Dropout(dropout), torch.nn.Linear(width, hidden), torch.nn.GELU(),
                               torch.nn.Dropout(dropout), torch.nn.Linear(hidden, n_labels))


def pool(hidden, rows, speaker_pos, target_pos, pooling: str):
    """Per target: the head's input from the encoder's last hidden states ``hidden`` (batch, seq, dim)."""
    torch = _torch()
    rows = torch.as_tensor(rows, dtype=torch.long)
    cls = hidden[rows, 0]
    if pooling == "cls":
        return cls
    spk = hidden[rows, torch.as_tensor(speaker_pos, dtype=torch.long)]
    tgt = hidden[rows, torch.as_tensor(target_pos, dtype=torch.long)]
    return torch.cat([cls, spk, tgt], dim=-1)


def flat_targets(encoded: Encoded, batch: Sequence[int]) -> tuple[list[int], list[int], list[int]]:
    """For the statements ``batch`` (indices into ``encoded``): per target, its row in the batch,
    its speaker-mark token (``[CLS]`` where there is none) and its target-mark token."""
    rows, spk, tgt = [], [], []
    for r, i in enumerate(batch):
        for t in encoded.target_pos[i]:
            rows.append(r)
            spk.append(encoded.speaker_pos[i] or 0)
            tgt.append(t)
    return rows, spk, tgt


class StanceClassifier:
    """``judge(statements)`` -> per statement, probabilities over ``labels`` for each target, calibrated;
    ``probabilities(queries)`` for (speaker, target) pairs, grouped into statements first.
    ``encoder``: a module whose output's ``.logits`` are the last hidden states (:func:`hidden_states`,
    or a runtime's stand-in)."""

    def __init__(self, encoder, head, tokenizer, settings: StanceSettings, labels: Sequence[str], *,
                 batch_size: int = BATCH_STATEMENTS):
        self.encoder = encoder.eval()
        self.head = head.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.batch_size = batch_size
        self.labels = tuple(labels)
        self.passes = 0  # encoder rows run so far (statements): the count the tests and benchmarks read

    @classmethod
    def load(cls, folder: str | Path, batch_size: int = BATCH_STATEMENTS, runtime: str = "torch") -> "StanceClassifier":
        """``runtime``: torch, or onnx / onnx-int8 (:mod:`claimstance.infer.runtime`) for the encoder."""
        from safetensors.torch import load_file

        encoder, tokenizer, settings = load_model_folder(folder, StanceSettings, "AutoModel", "stance model", runtime,
                                                         wrap=hidden_states)
        head_file = Path(folder) / HEAD_FILE
        if not head_file.is_file():
            raise ModelNotFound(f"{folder} has no {HEAD_FILE}: not a stance model of this version (retrain it)")
        config = encoder.config
        head = make_head(config.hidden_size, settings.pooling, len(config.id2label))
        head.load_state_dict({k: v.float() for k, v in load_file(str(head_file)).items()})
        labels = [config.id2label[i] for i in range(len(config.id2label))]
        return cls(encoder, head, tokenizer, settings, labels, batch_size=batch_size)

    def encode(self, statements: Sequence[StatementQuery]) -> Encoded:
        return encode_statements(self.tokenizer, statements, self.settings.max_length, self.settings.max_context_chars)

    def statement_logits(self, statements: Sequence[StatementQuery], progress: bool = False) -> list[np.ndarray]:
        """Raw logits (before calibration), one ``(targets, labels)`` array per statement, in input order."""
        torch = _torch()
        if not statements:
            return []
        enc = self.encode(statements)
        lengths = enc.lengths()
        order = sorted(range(len(statements)), key=lambda i: lengths[i])
        out: list[np.ndarray] = [np.zeros((0, len(self.labels)), dtype=np.float32)] * len(statements)
        starts = range(0, len(order), self.batch_size)
        if progress:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc="predict", unit="batch", leave=False)
        with torch.inference_mode():
            for s in starts:
                idx = order[s : s + self.batch_size]
                batch = self.tokenizer.pad({k: [enc.features[k][i] for i in idx] for k in enc.features}, return_tensors="pt")
                hidden = self.encoder(**batch).logits  # the runtime's "logits" are the last hidden states
                self.passes += len(idx)
                rows, spk, tgt = flat_targets(enc, idx)
                logits = self.head(pool(hidden.float(), rows, spk, tgt, self.settings.pooling)).numpy()
                at = 0
                for i in idx:
                    n = len(enc.target_pos[i])
                    out[i] = logits[at : at + n]
                    at += n
        return out

    def calibrate(self, logits: np.ndarray) -> np.ndarray:
        """Calibrated probabilities from raw logits (per-class scale and bias from ``settings``)."""
        scaled = logits * np.asarray(self.settings.scale, dtype=np.float32) + np.asarray(self.settings.bias, dtype=np.float32)
        return softmax(scaled.astype(np.float32))

    def judge(self, statements: Sequence[StatementQuery], progress: bool = False) -> list[np.ndarray]:
        """Calibrated probabilities, one ``(targets, labels)`` array per statement."""
        return [self.calibrate(z) for z in self.statement_logits(statements, progress)]

    def logits(self, queries: Sequence[StanceQuery], progress: bool = False) -> np.ndarray:
        """Raw logits of (speaker, target) pairs, one row per query, in input order: the pairs sharing
        a text and a speaker take one pass."""
        if not queries:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        statements, where = group_queries(queries, self.settings.one_per_pass)
        per_statement = self.statement_logits(statements, progress)
        return np.stack([per_statement[s][t] for s, t in where])

    def probabilities(self, queries: Sequence[StanceQuery], progress: bool = False) -> np.ndarray:
        return self.calibrate(self.logits(queries, progress))

    def decide(self, probs: np.ndarray) -> np.ndarray:
        """The label index per row: the most probable class, but neutral where a favor/against call's
        probability is under ``neutral_below``."""
        best = probs.argmax(axis=-1)
        if self.settings.neutral_below > 0 and NEUTRAL in self.labels:
            cautious = probs.max(axis=-1) < self.settings.neutral_below
            best = np.where(cautious, self.labels.index(NEUTRAL), best)
        return best

    def predict(self, queries: Sequence[StanceQuery]) -> list[tuple[str, dict[str, float]]]:
        """``(label, {label: probability})`` per query."""
        probs = self.probabilities(queries)
        return [(self.labels[int(i)], {label: float(p) for label, p in zip(self.labels, row)})
                for i, row in zip(self.decide(probs), probs)]
