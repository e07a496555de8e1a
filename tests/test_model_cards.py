"""The shipped models' cards carry Hugging Face model-card front matter that ``huggingface_hub``
parses, and it is what the card writers make from the shipped configs and metrics (no drift)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from claimstance.config import load_config

REPO = Path(__file__).resolve().parents[1]
ModelCard = pytest.importorskip("huggingface_hub").ModelCard


def _shipped():
    from claimstance.train.stance.card import stance_front_matter
    from claimstance.train.stance.config import StanceTrainConfig
    from claimstance.train.tagger.card import tagger_front_matter
    from claimstance.train.tagger.config import TaggerTrainConfig

    return [("attribution-tagger-minilm", "attribution-tagger.yaml", TaggerTrainConfig, tagger_front_matter,
             "token-classification"),
            ("stance-minilm", "stance-default.yaml", StanceTrainConfig, stance_front_matter, "text-classification")]


@pytest.mark.parametrize("n", [0, 1])
def test_shipped_cards_parse_and_match_their_config_and_metrics(n):
    folder, config_file, schema, make, tag = _shipped()[n]
    card_path = REPO / "models" / folder / "README.md"
    card = ModelCard.load(card_path)
    data = card.data
    assert data.base_model == "sentence-transformers/all-MiniLM-L6-v2" and data.pipeline_tag == tag
    assert data.license and data.language == ["en"] and data.datasets
    assert data.eval_results and all(0 < r.metric_value <= 100 for r in data.eval_results)
    metrics = json.loads((REPO / "models" / folder / "metrics.json").read_text())
    expected = make(load_config(schema, REPO / "configs" / "train" / config_file), metrics)
    front = yaml.safe_load(card_path.read_text("utf-8").split("---\n")[1])
    assert front == expected
    assert "# claimstance" in card.text  # the card itself follows


def test_with_front_matter_replaces_what_was_there():
    from claimstance.train.card import with_front_matter

    once = with_front_matter("# card\n", {"license": "mit"})
    twice = with_front_matter(once, {"license": "apache-2.0"})
    assert twice == "---\nlicense: apache-2.0\n---\n# card\n"
