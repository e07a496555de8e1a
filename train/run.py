"""The skeleton every training run follows, whatever it trains (``claimstance train CONFIG``):

1. start: torch threads, the seed, the run directory with its resolved ``config.yaml`` and
   ``provenance.json`` (command, code commit, library versions);
2. the task prepares its data, tokenizer, model and loss (:class:`Task`);
3. epochs: the optimiser over the task's batches, then the task's score on its selection set
   (never on an evaluation set); the best epoch's weights are kept (the first best);
4. save them (safetensors in ``save_dtype``) with the tokenizer and the model's ``settings.json``;
5. reload the saved folder and score it, as a user will load it (the task may calibrate first);
6. write ``metrics.json`` and the model card into the run and model folders.

Run directory::

    <output_dir>/config.yaml  provenance.json  metrics.json
    <output_dir>/model/       config.json (label map), model.safetensors, tokenizer, settings.json,
                              metrics.json, provenance.json, README.md (model card)

The tasks: :mod:`claimstance.train.stance.task`, :mod:`claimstance.train.tagger.task`.
"""

from __future__ import annotations

import copy
import json
import logging
import random
import shutil
import time
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np
import yaml

from claimstance.config import to_dict
from claimstance.provenance import provenance
from claimstance.train.base_model import save_model
from claimstance.train.optim import make_optimizer, train_epoch

log = logging.getLogger(__name__)

__all__ = ["Task", "train", "set_seed", "start_run"]


class Task(Protocol):
    """What a training task gives the skeleton. ``prepare`` runs after the seed is set; the RNG is
    drawn in the same order on every run, so a fixed seed gives the same model."""

    config: Any  # the task's config: seed, output_dir, model, optim, progress
    model: Any  # set by prepare
    tokenizer: Any
    unit: str  # what a training item is, for the throughput figure ("examples", "windows")

    def prepare(self) -> None: ...

    def total_steps(self) -> int: ...  # optimiser steps over all epochs (before optim.max_steps)

    def batches(self, epoch: int) -> Sequence: ...  # this epoch's batches of training items

    def loss(self, batch): ...

    def select(self, epoch: int) -> tuple[float, dict, str]: ...  # score to maximise, record, one-line summary

    def settings(self): ...  # the model's settings.json (a dataclass)

    def score_saved(self, model_dir: Path) -> dict: ...  # metrics of the reloaded model

    def extra_metrics(self) -> dict: ...  # data counts and the like

    def write_card(self, path: Path, metrics: dict) -> None: ...


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def start_run(config) -> Path:
    """Threads, seed, the run directory, its resolved ``config.yaml`` and ``provenance.json``."""
    import torch

    if config.optim.threads:
        torch.set_num_threads(config.optim.threads)
    set_seed(config.seed)
    out = Path(config.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.yaml").write_text(yaml.safe_dump(to_dict(config), sort_keys=False), "utf-8")
    _write_json(out / "provenance.json", provenance())
    return out


def train(task: Task) -> Path:
    """One training run of ``task`` (see the module doc); returns the run directory."""
    config = task.config
    started = time.perf_counter()
    out = start_run(config)
    task.prepare()
    total = task.total_steps()
    if config.optim.max_steps:
        total = min(total, config.optim.max_steps)
    optimizer, scheduler = make_optimizer(task.model, config.optim, total)

    history, scores, best_state, step, seen, train_seconds = [], [], None, 0, 0, 0.0
    for epoch in range(1, config.optim.epochs + 1):
        epoch_start = time.perf_counter()
        step, n_seen, mean_loss = train_epoch(task.model, task.batches(epoch), task.loss, optimizer, scheduler,
                                              max_grad_norm=config.optim.max_grad_norm, step=step, total=total,
                                              desc=f"epoch {epoch}/{config.optim.epochs}", progress=config.progress)
        seen += n_seen
        train_seconds += time.perf_counter() - epoch_start
        score, record, summary = task.select(epoch)
        history.append({"epoch": epoch, "step": step, "train_loss": round(mean_loss, 4), **record})
        log.info("epoch %d: train loss %.4f, %s", epoch, mean_loss, summary)
        if config.progress:
            print(f"\nepoch {epoch}: train loss {mean_loss:.4f}, {summary}", flush=True)
        if not scores or score > max(scores):
            best_state = copy.deepcopy(task.model.state_dict())
        scores.append(score)
        if step >= total:
            break

    task.model.load_state_dict(best_state)
    model_dir = out / "model"
    save_model(task.model, task.tokenizer, model_dir, config.model.save_dtype, task.settings())
    metrics = task.score_saved(model_dir)
    metrics.update({"best_epoch": history[int(np.argmax(scores))]["epoch"], "epochs": history, "seed": config.seed,
                    **task.extra_metrics(), f"train_{task.unit}_per_s": round(seen / max(train_seconds, 1e-9), 2),
                    "train_seconds": round(train_seconds, 1), "total_seconds": round(time.perf_counter() - started, 1),
                    "steps": step})
    for folder in (out, model_dir):
        _write_json(folder / "metrics.json", metrics)
    shutil.copyfile(out / "provenance.json", model_dir / "provenance.json")
    task.write_card(model_dir / "README.md", metrics)
    return out


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2), "utf-8")
