"""The schema of an evaluation report config (``configs/eval/*.yaml``); overrides as for every config:
``claimstance evaluate report configs/eval/polnear-dev.yaml infer.segment.mode=rules output_dir=out/r``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from claimstance.config import InferConfig

__all__ = ["EvalConfig", "DATASETS"]

DATASETS = {
    "attribution": ("polnear",),  # PolNeAR-format gold (text/ + attributions/)
    "stance": ("dsa", "newsmtsc", "samples"),  # samples: data/samples/gold.jsonl through the whole pipeline
    "matrix": ("polnear",),  # the matrix dev set (data/matrix) on PolNeAR dev articles, the whole pipeline
}


@dataclass(frozen=True)
class EvalConfig:
    kind: str = "attribution"  # attribution | stance | matrix
    dataset: str = "polnear"  # see DATASETS
    split: str = "dev"  # polnear: split folder; dsa: file stem (valid); newsmtsc: file name under newsmtsc/;
    # samples: dev (tuning and tests), test (figures only) or all; matrix: dev (the headline) or tune
    gold: Optional[str] = None  # a gold folder or file instead of data root + split (matrix: a folder of cells-*.jsonl)
    data_root: Optional[str] = None  # default: $CLAIMSTANCE_DATA or ../shared/data
    predictions: Optional[str] = None  # attribution, matrix: score this infer output instead of running the pipeline
    title: Optional[str] = None
    output_dir: str = "out/reports/report"
    infer: InferConfig = field(default_factory=InferConfig)  # the pipeline run (attribution, samples)
    stance_model: str = "default"  # dsa / newsmtsc: the stance model folder ("default" = shipped)
    bootstrap: int = 1000  # resamples for the 95% intervals
    seed: int = 0
    n_errors: int = 12  # worst errors shown per error type
    limit: Optional[int] = None  # only the first N documents / examples
    progress: bool = True

    def __post_init__(self) -> None:
        if self.kind not in DATASETS:
            raise ValueError(f"kind must be one of {', '.join(DATASETS)}, got {self.kind!r}")
        if self.dataset not in DATASETS[self.kind]:
            raise ValueError(f"dataset for kind {self.kind} must be one of {', '.join(DATASETS[self.kind])}, "
                             f"got {self.dataset!r}")
        if self.dataset == "samples" and self.split not in ("dev", "test", "all"):
            raise ValueError(f"split for the samples must be dev, test or all, got {self.split!r}")
        if self.kind == "matrix" and self.split not in ("dev", "tune"):
            raise ValueError(f"split for the matrix must be dev or tune, got {self.split!r}")
        if self.bootstrap < 10:
            raise ValueError(f"bootstrap must be at least 10 resamples, got {self.bootstrap}")
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit must be at least 1 (or null for all), got {self.limit}")
        if self.n_errors < 0:
            raise ValueError(f"n_errors must be at least 0, got {self.n_errors}")
