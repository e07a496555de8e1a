"""Loading the encoder a training run starts from, and saving what it ends with (both runs use these)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Sequence

__all__ = ["base_model", "save_model"]


def base_model(model_config, auto_class: str, labels: Sequence[str]):
    """(tokenizer, model) for ``model_config.name`` with a head over ``labels``: pretrained weights
    (safetensors only), or random weights of that architecture resized by ``random_size`` (tests)."""
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    from claimstance.models import resolve_hf_model

    name = resolve_hf_model(model_config.name)
    auto = getattr(transformers, auto_class)
    label_maps = {"id2label": dict(enumerate(labels)), "label2id": {l: i for i, l in enumerate(labels)}}
    tokenizer = AutoTokenizer.from_pretrained(name)
    if model_config.random_init:
        hf_config = AutoConfig.from_pretrained(name, num_labels=len(labels), **label_maps, **model_config.random_size)
        return tokenizer, auto.from_config(hf_config)
    return tokenizer, auto.from_pretrained(name, num_labels=len(labels), use_safetensors=True, **label_maps)


def save_model(model, tokenizer, model_dir: Path, save_dtype: str, labels: Sequence[str]) -> None:
    """Safetensors weights in ``save_dtype`` (the model in memory is left as it is), tokenizer, labels."""
    import torch

    dtype = torch.float16 if save_dtype == "float16" else torch.float32
    model_dir.mkdir(parents=True, exist_ok=True)
    copy.deepcopy(model).to(dtype).save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)
    (model_dir / "labels.json").write_text(json.dumps(list(labels)), "utf-8")
