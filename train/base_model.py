"""The encoder a training run starts from, its config, and saving what the run ends with (every task uses these)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from claimstance.infer.model_folder import write_settings
from claimstance.models import resolve_hf_model

__all__ = ["BaseModelConfig", "base_model", "save_model"]


@dataclass(frozen=True)
class BaseModelConfig:
    """What every task's ``model:`` section holds; tasks add their input sizes."""

    name: str = "sentence-transformers/all-MiniLM-L6-v2"  # a Hugging Face id or a local folder
    random_init: bool = False  # random weights of the named architecture (tests), resized by `random_size`
    random_size: dict = field(default_factory=dict)  # e.g. {hidden_size: 32, num_hidden_layers: 2}
    save_dtype: str = "float16"  # float16 | float32: the weights written to the run directory

    def __post_init__(self) -> None:
        if self.save_dtype not in ("float16", "float32"):
            raise ValueError(f"save_dtype must be float16 or float32, got {self.save_dtype!r}")


def base_model(model_config: BaseModelConfig, auto_class: str, labels: Sequence[str]):
    """(tokenizer, model) for ``model_config.name`` with a head over ``labels``: pretrained weights
    (safetensors only), or random weights of that architecture resized by ``random_size`` (tests)."""
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    name = resolve_hf_model(model_config.name)
    auto = getattr(transformers, auto_class)
    label_maps = {"id2label": dict(enumerate(labels)), "label2id": {l: i for i, l in enumerate(labels)}}
    tokenizer = AutoTokenizer.from_pretrained(name)
    if model_config.random_init:
        hf_config = AutoConfig.from_pretrained(name, num_labels=len(labels), **label_maps, **model_config.random_size)
        return tokenizer, auto.from_config(hf_config)
    return tokenizer, auto.from_pretrained(name, num_labels=len(labels), use_safetensors=True, **label_maps)


def save_model(model, tokenizer, model_dir: Path, save_dtype: str, settings) -> None:
    """Safetensors weights in ``save_dtype`` (the model in memory is left as it is), the tokenizer and
    the model's ``settings.json`` (the label map is in ``config.json``)."""
    import torch

    dtype = torch.float16 if save_dtype == "float16" else torch.float32
    model_dir.mkdir(parents=True, exist_ok=True)
    copy.deepcopy(model).to(dtype).save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)
    write_settings(model_dir, settings)
