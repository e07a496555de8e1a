"""The schema of an attribution-tagger training run (``task: attribution-tagger``; configs/train/attribution-tagger.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from claimstance.config import _at_least
from claimstance.infer.tagger.encoding import ROLES
from claimstance.train.base_model import BaseModelConfig
from claimstance.train.optim import OptimConfig

__all__ = ["TaggerModelConfig", "TaggerDataConfig", "TaggerOptimConfig", "TaggerTrainConfig"]

# holdout figures the epoch choice may average (train/tagger/task.py: headline)
SELECT_FIGURES = ("exact_f1", "overlap_f1", "source_accuracy", "cue_accuracy")


@dataclass(frozen=True)
class TaggerModelConfig(BaseModelConfig):
    max_length: int = 256  # word pieces per window, [CLS] and [SEP] included
    overlap: int = 64  # pieces shared by neighbouring windows at inference

    def __post_init__(self) -> None:
        super().__post_init__()
        _at_least(self, 8, "max_length")
        _at_least(self, 0, "overlap")
        if self.overlap >= self.max_length - 2:
            raise ValueError(f"overlap ({self.overlap}) must be smaller than max_length - 2 ({self.max_length - 2})")


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
class TaggerOptimConfig(OptimConfig):
    epochs: int = 5
    batch_size: int = 16
    learning_rate: float = 1e-4
    class_weights: str = "none"
    # loss weight of a role's B- and I- tags, e.g. {SOURCE: 3.0}; roles not named weigh 1 (as does O).
    # Multiplies the class weights when both are set.
    role_weights: dict[str, float] = field(default_factory=dict)
    # the epoch kept is the one with the best mean of these holdout figures
    select_by: tuple[str, ...] = ("exact_f1", "overlap_f1")

    def __post_init__(self) -> None:
        super().__post_init__()
        for role, weight in self.role_weights.items():
            if role not in ROLES:
                raise ValueError(f"role_weights: unknown role {role!r} (roles: {', '.join(ROLES)})")
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
                raise ValueError(f"role_weights.{role} must be a positive number, got {weight!r}")
        if not self.select_by or any(f not in SELECT_FIGURES for f in self.select_by):
            raise ValueError(f"select_by must name one or more of {', '.join(SELECT_FIGURES)}, got {list(self.select_by)!r}")


@dataclass(frozen=True)
class TaggerTrainConfig:
    task: str = "attribution-tagger"
    output_dir: str = "runs/attribution-tagger"
    seed: int = 13
    model: TaggerModelConfig = field(default_factory=TaggerModelConfig)
    data: TaggerDataConfig = field(default_factory=TaggerDataConfig)
    optim: TaggerOptimConfig = field(default_factory=TaggerOptimConfig)
    progress: bool = True

    def __post_init__(self) -> None:
        if self.task != "attribution-tagger":
            raise ValueError(f"task must be attribution-tagger for this schema, got {self.task!r}")
