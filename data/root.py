"""Where the external data sets live: ``$CLAIMSTANCE_DATA``, else ``shared/data`` beside the repo.

The data sets are never copied into the repository (several have no redistribution licence),
so every reader asks this one function where to find them.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CLAIMSTANCE_DATA"
# repo root is two levels above data/root.py; the shared data sits beside the repo.
_SIBLING = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

_HOW_TO_GET = (
    "Set {env} to a folder holding the data sets, e.g. {env}=/path/to/data with "
    "/path/to/data/polnear/data/{{train,dev}}/{{text,attributions}} from "
    "https://github.com/networkdynamics/PolNeAR (PolNeAR v1.0.0)."
).format(env=ENV_VAR)


class DataRootNotFound(FileNotFoundError):
    """No data folder: neither ``$CLAIMSTANCE_DATA`` nor ``shared/data`` beside the repo exists."""


def default_data_root() -> Path:
    """The data root: ``$CLAIMSTANCE_DATA`` if set, else ``../shared/data`` from the repo root."""
    env = os.environ.get(ENV_VAR)
    if env:
        root = Path(env).expanduser()
        if not root.is_dir():
            raise DataRootNotFound(f"{ENV_VAR}={env!r} is not a folder. {_HOW_TO_GET}")
        return root
    if _SIBLING.is_dir():
        return _SIBLING
    raise DataRootNotFound(f"no data folder found ({ENV_VAR} is unset and {_SIBLING} does not exist). {_HOW_TO_GET}")
