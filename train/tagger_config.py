"""The schema of ``claimstance train`` for ``task: attribution-tagger`` (configs/train/attribution-tagger.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from claimstance.config import _at_least
from claimstance.train.config import OptimConfig

__all__ = ["TaggerModelConfig", "TaggerDataConfig", "TaggerTrainConfig"]


@dataclass(frozen=True)
class TaggerModelConfig:
    name: str = "sentence-transformers/all-MiniLM-L6-v2"  # a Hugging Face id or a local folder
    random_init: bool = False  # random weights of the named architecture (tests), resized by `random_size`
    random_size: dict = field(default_factory=dict)
    max_length: int = 256  # word pieces per window, [CLS] and [SEP] included
    overlap: int = 64  # pieces shared by neighbouring windows at inference
    save_dtype: str = "float16"  # float16 | float32

    def __post_init__(self) -> None:
        _at_least(self, 8, "max_length")
        _at_least(self, 0, "overlap")
        if self.overlap >= self.max_length - 2:
            raise ValueError(f"overlap ({self.overlap}) must be smaller than max_length - 2 ({self.max_length - 2})")
        if self.save_dtype not in ("float16", "float32"):
            raise ValueError(f"save_dtype must be float16 or float32, got {self.save_dtype!r}")


@dataclass(frozen=True)
class TaggerDataConfig:
    """PolNeAR-layout split folders, relative to ``root`` (default: $CLAIMSTANCE_DATA or ../shared/data)."""

    root: Optional[str] = None
    train: str = "polnear/data/train"
    eval: Optional[str] = "polnear/data/dev"  # scored once, with the saved model; never used for choices
    holdout_fraction: float = 0.05  # train articles held out (by a hash of their id) to pick the best epoch
    annotators: str = "first"  # an article annotated several times: its first annotation file only
    limit: Optional[int] = None  # at most this many train articles (quick runs and tests)

    def __post_init__(self) -> None:
        if not 0 <= self.holdout_fraction < 1:
            raise ValueError(f"holdout_fraction must be in [0, 1), got {self.holdout_fraction!r}")
        if self.annotators not in ("first", "all"):
            raise ValueError(f"annotators must be first or all, got {self.annotators!r}")
        if self.limit is not None:
            _at_least(self, 1, "limit")


@dataclass(frozen=True)
class TaggerTrainConfig:
    task: str = "attribution-tagger"
    output_dir: str = "runs/attribution-tagger"
    seed: int = 13
    model: TaggerModelConfig = field(default_factory=TaggerModelConfig)
    data: TaggerDataConfig = field(default_factory=TaggerDataConfig)
    optim: OptimConfig = field(default_factory=lambda: OptimConfig(epochs=5, batch_size=16, learning_rate=1e-4, class_weights="none"))
    progress: bool = True

    def __post_init__(self) -> None:
        if self.task != "attribution-tagger":
            raise ValueError(f"task must be attribution-tagger for this schema, got {self.task!r}")
