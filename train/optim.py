"""The optimiser both training runs use: AdamW without decay on biases and norms, linear warm-up and decay."""

from __future__ import annotations

from claimstance.train.config import OptimConfig

__all__ = ["make_optimizer", "optimizer_step", "train_epoch"]


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
