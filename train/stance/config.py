"""The schema of a stance training run (``task: stance``; see configs/train/stance-default.yaml).

Loaded with :func:`claimstance.config.load_config`: unknown keys and wrong types are errors, and
``base:`` files and ``key=value`` overrides work as for ``infer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from claimstance.config import _at_least
from claimstance.infer.stance.encoding import DEFAULT_MAX_CHARS
from claimstance.train.base_model import BaseModelConfig
from claimstance.train.optim import OptimConfig

__all__ = ["StanceDataConfig", "StanceModelConfig", "StanceTrainConfig"]


@dataclass(frozen=True)
class StanceModelConfig(BaseModelConfig):
    max_length: int = 128  # tokens per (question, context) pair
    max_context_chars: int = DEFAULT_MAX_CHARS  # context window around the marked mentions

    def __post_init__(self) -> None:
        super().__post_init__()
        _at_least(self, 16, "max_length")
        _at_least(self, 50, "max_context_chars")


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
class StanceTrainConfig:
    task: str = "stance"  # picks the schema (train/tasks.py)
    output_dir: str = "runs/stance-default"
    seed: int = 13
    model: StanceModelConfig = field(default_factory=StanceModelConfig)
    data: StanceDataConfig = field(default_factory=StanceDataConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    progress: bool = True  # progress bars on stderr

    def __post_init__(self) -> None:
        if self.task != "stance":
            raise ValueError(f"task must be stance for this schema, got {self.task!r}")
