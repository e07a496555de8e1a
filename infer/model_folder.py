"""A trained model's folder, as training writes it and inference reads it.

``config.json`` (the Hugging Face config, with the label map), ``model.safetensors`` (fp16 or fp32;
loaded as fp32), the tokenizer, and ``settings.json``: everything else inference needs to read the
model as it was trained (window sizes, the calibration temperature), one schema per model kind,
read strictly. Pickled weights are never loaded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional, TypeVar

from claimstance.config import from_dict, to_dict
from claimstance.errors import ConfigError, ModelNotFound
from claimstance.infer.runtime import use_runtime

__all__ = ["SETTINGS_FILE", "load_model_folder", "read_settings", "write_settings"]

SETTINGS_FILE = "settings.json"
T = TypeVar("T")


def load_model_folder(folder: str | Path, schema: type[T], auto_class: str, what: str, runtime: str = "torch",
                      input_names: Optional[tuple[str, ...]] = None, wrap=None) -> tuple:
    """(model, tokenizer, settings) of a fine-tuned model folder: config.json, safetensors weights
    (loaded as fp32; pickled weights are never read) and ``settings.json`` as ``schema``; the model
    runs in ``runtime`` (:func:`~claimstance.infer.runtime.use_runtime`), fed ``input_names``
    (default: the tokenizer's); ``wrap`` turns the loaded model into what the runtime runs."""
    import torch
    import transformers
    from transformers import AutoTokenizer

    folder = Path(folder)
    if not (folder / "config.json").is_file():
        raise ModelNotFound(f"{folder} is not a {what} folder (no config.json)")
    if not any(folder.glob("*.safetensors")):
        raise ModelNotFound(f"{folder} has no safetensors weights (pickled weights are never loaded)")
    settings = read_settings(folder, schema)
    model = getattr(transformers, auto_class).from_pretrained(folder, dtype=torch.float32, use_safetensors=True)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    names = input_names or tuple(tokenizer.model_input_names)
    if wrap is not None:
        model = wrap(model)
    return use_runtime(model, folder, runtime, names), tokenizer, settings


def read_settings(folder: str | Path, schema: type[T]) -> T:
    """A model folder's ``settings.json`` as ``schema``, read strictly: a missing or unknown key is an
    error, never a default (what inference reads is what training wrote)."""
    path = Path(folder) / SETTINGS_FILE
    if not path.is_file():
        raise ModelNotFound(f"{folder} has no {SETTINGS_FILE}: it was not written by claimstance train "
                            "(or by a version before settings files; retrain it)")
    try:
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, OSError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    return from_dict(schema, data, where=str(path))


def write_settings(folder: str | Path, settings) -> Path:
    """Write ``settings`` (a settings dataclass) as the folder's ``settings.json``."""
    path = Path(folder) / SETTINGS_FILE
    path.write_text(json.dumps(to_dict(settings), indent=2) + "\n", "utf-8")
    return path
