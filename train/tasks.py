"""The training tasks ``claimstance train`` knows, by the ``task:`` key of a config."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from claimstance.config import load_config, read_yaml
from claimstance.errors import ConfigError
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.task import train_stance
from claimstance.train.tagger.config import TaggerTrainConfig
from claimstance.train.tagger.task import train_tagger

__all__ = ["TASKS", "train_from_config"]

TASKS: dict[str, tuple[type, Callable[..., Path]]] = {
    "stance": (StanceTrainConfig, train_stance),
    "attribution-tagger": (TaggerTrainConfig, train_tagger),
}


def train_from_config(path: str | Path, overrides: list[str]) -> tuple[str, Path]:
    """Run the training a config file (with ``key=value`` overrides) describes; (task, run directory)."""
    task = read_yaml(path).get("task", "stance")
    for item in overrides:
        if item.split("=", 1)[0].strip() == "task":
            task = item.split("=", 1)[1].strip()
    if task not in TASKS:
        raise ConfigError(f"{path}: task must be one of {', '.join(TASKS)}, got {task!r}")
    schema, run = TASKS[task]
    return task, run(load_config(schema, path, overrides))
