"""The schema of ``claimstance train CONFIG [key=value ...]`` (see configs/train/stance-default.yaml).

Loaded with :func:`claimstance.config.load_config`: unknown keys and wrong types are errors, and
``base:`` files and ``key=value`` overrides work as for ``infer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from claimstance.config import _at_least

__all__ = ["StanceDataConfig", "StanceModelConfig", "OptimConfig", "StanceTrainConfig"]


@dataclass(frozen=True)
class StanceModelConfig:
    name: str = "sentence-transformers/all-MiniLM-L6-v2"  # a Hugging Face id or a local folder
    random_init: bool = False  # random weights of the named architecture (tests), resized by `random_size`
    random_size: dict = field(default_factory=dict)  # e.g. {hidden_size: 32, num_hidden_layers: 2}
    max_length: int = 128  # tokens per (question, context) pair
    max_context_chars: int = 700  # context window around the marked mentions
    save_dtype: str = "float16"  # float16 | float32: the weights written to the run directory

    def __post_init__(self) -> None:
        _at_least(self, 16, "max_length")
        _at_least(self, 50, "max_context_chars")
        if self.save_dtype not in ("float16", "float32"):
            raise ValueError(f"save_dtype must be float16 or float32, got {self.save_dtype!r}")


@dataclass(frozen=True)
class StanceDataConfig:
    """Paths are relative to ``root`` (default: $CLAIMSTANCE_DATA or ../shared/data); null skips a set."""

    root: Optional[str] = None
    dsa_train: Optional[str] = "dsa_news/train.txt"
    dsa_eval: Optional[str] = "dsa_news/valid.txt"
    dsa_dev_fraction: float = 0.05  # DSA train rows held out (by sentence) for model selection and calibration
    dsa_neutral_keep: float = 0.6  # share of all-neutral DSA rows kept for training
    dsa_reverse_repeat: int = 3  # copies of the rare q->p rows (DSA classes 2 and 4)
    newsmtsc_train: Optional[str] = "newsmtsc/train.jsonl"
    newsmtsc_dev: Optional[str] = "newsmtsc/splits/newsmtsc-rw/dev.jsonl"
    newsmtsc_eval: Optional[str] = "newsmtsc/splits/newsmtsc-rw/test.jsonl"
    newsmtsc_keep: float = 1.0  # share of NewsMTSC train targets kept
    basil: Optional[str] = "basil"
    own: bool = True  # our annotated examples (data/stance): train split to training, test split to evaluation
    own_repeat: int = 3  # copies of our training examples
    limit: Optional[int] = None  # at most this many examples per source (quick runs and tests)

    def __post_init__(self) -> None:
        for name in ("dsa_dev_fraction", "dsa_neutral_keep", "newsmtsc_keep"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be between 0 and 1, got {getattr(self, name)!r}")
        _at_least(self, 1, "dsa_reverse_repeat", "own_repeat")
        if self.limit is not None:
            _at_least(self, 1, "limit")


@dataclass(frozen=True)
class OptimConfig:
    epochs: int = 2
    max_steps: Optional[int] = None  # stop after this many optimiser steps (quick runs and tests)
    batch_size: int = 32
    eval_batch_size: int = 64
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    max_grad_norm: float = 1.0
    class_weights: str = "sqrt_inverse"  # none | inverse | sqrt_inverse (of the training label counts)
    threads: Optional[int] = None  # torch CPU threads; null = torch's default

    def __post_init__(self) -> None:
        _at_least(self, 1, "epochs", "batch_size", "eval_batch_size")
        _at_least(self, 0, "learning_rate", "weight_decay", "warmup_ratio", "max_grad_norm")
        if self.max_steps is not None:
            _at_least(self, 1, "max_steps")
        if self.class_weights not in ("none", "inverse", "sqrt_inverse"):
            raise ValueError(f"class_weights must be none, inverse or sqrt_inverse, got {self.class_weights!r}")


@dataclass(frozen=True)
class StanceTrainConfig:
    task: str = "stance"  # stance | attribution-tagger (train/tagger_config.py): picks the schema
    output_dir: str = "runs/stance-default"
    seed: int = 13
    model: StanceModelConfig = field(default_factory=StanceModelConfig)
    data: StanceDataConfig = field(default_factory=StanceDataConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    progress: bool = True  # progress bars on stderr

    def __post_init__(self) -> None:
        if self.task != "stance":
            raise ValueError(f"task must be stance for this schema, got {self.task!r}")
