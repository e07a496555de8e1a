"""Model cards: each task writes its lines; every card ends with the run's resolved config (what reproduces it)."""

from __future__ import annotations

from pathlib import Path

import yaml

from claimstance.config import to_dict

__all__ = ["pct", "write_card"]


def write_card(path: Path, lines: list[str], config) -> None:
    """A model card: its lines, then the run's resolved config as YAML (what reproduces it)."""
    config_yaml = yaml.safe_dump(to_dict(config), sort_keys=False).rstrip()
    path.write_text("\n".join([*lines, "## Config", "", "```yaml", config_yaml, "```", ""]), "utf-8")


def pct(x) -> str:
    """A share as a percentage with one decimal; ``-`` for none."""
    return "-" if x is None else f"{100 * x:.1f}"
