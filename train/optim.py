"""The optimiser every training run uses: AdamW without decay on biases and norms, linear warm-up and
decay, gradient clipping; its config; class weights for the loss."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from claimstance.config import _at_least

__all__ = ["OptimConfig", "class_weights", "make_optimizer", "optimizer_step", "train_epoch"]


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


def class_weights(label_ids: list[int], mode: str, n_classes: int):
    """Loss weights from the training label counts: none | inverse | sqrt_inverse (mean 1)."""
    import torch

    counts = np.bincount(label_ids, minlength=n_classes).astype(float)
    if mode == "none":
        return None
    weights = counts.sum() / (n_classes * np.maximum(counts, 1))
    if mode == "sqrt_inverse":
        weights = np.sqrt(weights)
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


def make_optimizer(model, optim: OptimConfig, total_steps: int):
    """(optimizer, scheduler) for ``total_steps`` optimiser steps."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    no_decay = ("bias", "LayerNorm.weight", "layer_norm")
    params = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": optim.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(params, lr=optim.learning_rate)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total_steps * optim.warmup_ratio), total_steps)
    return optimizer, scheduler


def optimizer_step(loss, model, optimizer, scheduler, max_grad_norm: float) -> float:
    """Back-propagate ``loss``, clip the gradient norm, step and reset; returns the loss value."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return loss.item()


def train_epoch(model, batches, loss_of, optimizer, scheduler, *, max_grad_norm: float, step: int, total: int,
                desc: str, progress: bool) -> tuple[int, int, float]:
    """One pass over ``batches`` (lists of example indices), stopping at ``total`` optimiser steps;
    ``loss_of(batch)`` gives the batch loss. Returns (step, examples seen, mean loss)."""
    from tqdm.auto import tqdm

    model.train()
    bar = tqdm(batches, desc=desc, unit="batch", disable=not progress)
    running, seen, n = 0.0, 0, 0
    for n, batch in enumerate(bar, start=1):
        running += optimizer_step(loss_of(batch), model, optimizer, scheduler, max_grad_norm)
        step += 1
        seen += len(batch)
        bar.set_postfix(loss=f"{running / n:.4f}", lr=f"{scheduler.get_last_lr()[0]:.2e}")
        if step >= total:
            break
    bar.close()
    model.eval()
    return step, seen, running / max(n, 1)
