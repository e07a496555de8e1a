"""The schema of a stance training run (``task: stance``; see configs/train/stance-default.yaml).

Loaded with :func:`claimstance.config.load_config`: unknown keys and wrong types are errors, and
``base:`` files and ``key=value`` overrides work as for ``infer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from claimstance.config import _at_least
from claimstance.infer.stance.encoding import DEFAULT_MAX_CHARS
from claimstance.infer.stance.model import POOLINGS
from claimstance.train.base_model import BaseModelConfig
from claimstance.train.optim import OptimConfig

__all__ = ["StanceDataConfig", "StanceModelConfig", "StanceTrainConfig"]


@dataclass(frozen=True)
class StanceModelConfig(BaseModelConfig):
    max_length: int = 160  # tokens per statement (the speaker's words and the linking context)
    max_context_chars: int = DEFAULT_MAX_CHARS  # window of the speaker's words around the marks
    pooling: str = "markers"  # markers: [CLS; speaker mark; target mark] per target | cls: [CLS] (one target per pass)
    one_per_pass: bool = False  # true: one target per encoder pass (the ablation of scoring them together)
    neutral_floors: list = field(default_factory=lambda: [0.4, 0.45, 0.5, 0.55, 0.6])  # candidates fitted on dev

    def __post_init__(self) -> None:
        super().__post_init__()
        _at_least(self, 16, "max_length")
        _at_least(self, 50, "max_context_chars")
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {self.pooling!r}")
        if self.pooling == "cls" and not self.one_per_pass:
            raise ValueError("pooling cls needs one_per_pass: true (one [CLS] per pass)")
        if not all(isinstance(f, (int, float)) and 0 <= f < 1 for f in self.neutral_floors):
            raise ValueError(f"neutral_floors must be numbers in [0, 1), got {self.neutral_floors!r}")


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
    contrast: bool = True  # our contrast examples (data/stance, files e and f) in training (their test split is always scored)
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
