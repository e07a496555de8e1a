"""Model cards: each task writes its lines; every card ends with the run's resolved config (what reproduces it)."""

from __future__ import annotations

from pathlib import Path

import yaml

from claimstance.config import to_dict

__all__ = ["front_matter", "pct", "write_card", "with_front_matter"]

LICENSE = "apache-2.0"  # that of the base encoder (sentence-transformers/all-MiniLM-L6-v2)


def front_matter(base_model: str, datasets: list[str], pipeline_tag: str, model_name: str,
                 results: list[tuple[str, str, str, float]]) -> dict:
    """Hugging Face model-card metadata (what ``huggingface_hub.ModelCard.load`` parses): the base
    model, datasets, licence, language, pipeline tag, and the card's figures as ``model-index``
    results, one per (dataset, metric type, metric name, value in percent)."""
    by_set: dict[str, list[dict]] = {}
    for dataset, kind, name, value in results:
        by_set.setdefault(dataset, []).append({"type": kind, "name": name, "value": round(100 * value, 1)})
    return {
        "base_model": base_model, "datasets": datasets, "license": LICENSE, "language": ["en"],
        "library_name": "transformers", "pipeline_tag": pipeline_tag, "tags": ["claimstance", "news"],
        "metrics": sorted({kind for _, kind, _, _ in results}),
        "model-index": [{"name": model_name, "results": [
            {"task": {"type": pipeline_tag}, "dataset": {"name": dataset, "type": dataset}, "metrics": metrics}
            for dataset, metrics in by_set.items()]}],
    }


def with_front_matter(text: str, meta: dict) -> str:
    """A card's text with ``meta`` as its YAML front matter (replacing any it had)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            text = text[end + 5 :]
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + text


def write_card(path: Path, lines: list[str], config, meta: dict | None = None) -> None:
    """A model card: its front matter (``meta``), its lines, then the run's resolved config as YAML
    (what reproduces it)."""
    config_yaml = yaml.safe_dump(to_dict(config), sort_keys=False).rstrip()
    text = "\n".join([*lines, "## Config", "", "```yaml", config_yaml, "```", ""])
    path.write_text(with_front_matter(text, meta) if meta else text, "utf-8")


def pct(x) -> str:
    """A share as a percentage with one decimal; ``-`` for none."""
    return "-" if x is None else f"{100 * x:.1f}"
