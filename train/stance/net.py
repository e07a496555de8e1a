"""The stance network being trained: the encoder and the marker-pooling head as one module.

Saved as a model folder inference reads (:meth:`claimstance.infer.stance.model.StanceClassifier.load`):
the encoder's ``config.json`` (with the label map) and ``model.safetensors``, and the head's
``head.safetensors``.
"""

from __future__ import annotations

from pathlib import Path

import torch

from claimstance.infer.stance.model import HEAD_FILE, make_head

__all__ = ["StanceNet"]


class StanceNet(torch.nn.Module):
    def __init__(self, encoder, pooling: str, n_labels: int):
        super().__init__()
        self.encoder = encoder
        self.head = make_head(encoder.config.hidden_size, pooling, n_labels)

    def save_pretrained(self, folder: str | Path, safe_serialization: bool = True) -> None:
        from safetensors.torch import save_file

        if not safe_serialization:
            raise ValueError("stance models are saved as safetensors only")
        self.encoder.save_pretrained(folder, safe_serialization=True)
        save_file({k: v.contiguous() for k, v in self.head.state_dict().items()}, str(Path(folder) / HEAD_FILE))
