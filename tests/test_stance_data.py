"""Our own stance examples (data/stance) and the assembly of a run's train / dev / eval sets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from claimstance.config import load_config
from claimstance.data.own_stance import read_own, read_own_rows
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.data import build_stance_data, dsa_rows

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures" / "stance"


def test_own_examples_size_and_splits():
    rows = list(read_own_rows())
    sentences = {r["sid"]: r for r in rows}
    assert len(sentences) >= 300
    splits = Counter(r["split"] for r in sentences.values())
    assert splits["test"] >= 75 and splits["train"] >= 225
    train_texts = {r["text"] for r in rows if r["split"] == "train"}
    assert not any(r["text"] in train_texts for r in rows if r["split"] == "test"), "a test sentence is also in train"
    test_phenomena = Counter(r["phenomenon"] for r in rows if r["split"] == "test")
    for phenomenon in ("accusation", "condemnation", "praise", "support", "denial", "scare_quotes", "sarcasm",
                       "neutral_reporting", "multi_party", "reverse_direction"):
        assert test_phenomena[phenomenon] >= 2, phenomenon
    labels = Counter(r["label"] for r in rows)
    assert min(labels.values()) / len(rows) > 0.2, labels


def test_own_examples_spans_cover_the_mentions():
    examples = list(read_own())
    assert len(examples) == len(list(read_own_rows()))
    for ex in examples:
        assert ex.text[ex.target_span[0]:ex.target_span[1]] == ex.target
        if ex.speaker:
            assert ex.text[ex.speaker_span[0]:ex.speaker_span[1]] == ex.speaker
    assert {ex.source.split(":")[1] for ex in read_own("test")} == {"test"}


@pytest.mark.parametrize("rows, message", [
    ([{"sid": "x1", "text": "A praised B.", "speaker": "A", "target": "B", "label": "favor", "phenomenon": "praise", "split": "train"},
      {"sid": "x1", "text": "A praised B.", "speaker": "B", "target": "A", "label": "neutral", "phenomenon": "praise", "split": "test"}],
     "in both splits"),
    ([{"sid": "x1", "text": "A praised B.", "speaker": "A", "target": "C", "label": "favor", "phenomenon": "praise", "split": "train"}],
     "not a whole word"),
    ([{"sid": "x1", "text": "A praised B.", "speaker": "A", "target": "B", "label": "favor", "split": "train"}], "keys"),
    ([{"sid": "x1", "text": "A praised B.", "speaker": "A", "target": "B", "label": "favor", "phenomenon": "praise", "split": "dev"}],
     "split 'dev'"),
])
def test_own_reader_refuses_bad_rows(tmp_path, rows, message):
    path = tmp_path / "own_examples_x.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with pytest.raises(ValueError, match=message):
        list(read_own(paths=[path]))


def _tiny_data(*overrides: str):
    config = load_config(StanceTrainConfig, REPO / "configs" / "train" / "stance-tiny.yaml",
                         [f"data.root={FIX}", "data.limit=null", *overrides])
    return build_stance_data(config.data, config.seed)


def test_no_eval_sentence_is_trained_on():
    data = _tiny_data()
    assert data.counts["dropped_in_eval_or_dev"]["dsa"] == 1  # the valid fixture repeats one train row
    trained = {ex.text for ex in data.train}
    for eval_set in data.dev + data.eval:
        assert not trained & {ex.text for ex in eval_set.examples}, eval_set.name


def test_dev_and_eval_sets_and_pairs():
    data = _tiny_data()
    assert [s.name for s in data.dev] == ["dsa-dev", "newsmtsc-rw-dev"]
    assert [s.name for s in data.eval] == ["dsa-valid", "dsa-valid-unseen", "newsmtsc-rw-test", "own-test",
                                           "contrast-test"]
    valid = data.eval[0]
    assert valid.paired and [(a.label, b.label) for a, b in dsa_rows(valid.examples)] == [
        ("favor", "neutral"), ("against", "neutral"), ("neutral", "favor"), ("neutral", "neutral")]
    assert set(data.counts["train"]) == {"dsa", "newsmtsc", "basil", "own", "contrast"}
    unseen = data.eval[1]  # DSA valid less the row that repeats a train row
    assert unseen.paired and len(unseen.examples) == len(valid.examples) - 2
    assert data.counts["dsa_valid_rows_in_train"] == 1
    no_contrast = _tiny_data("data.contrast=false")
    assert "contrast" not in no_contrast.counts["train"] and no_contrast.eval[-1].name == "contrast-test"


def test_neutral_keep_and_reverse_repeat():
    plain = ("data.dsa_dev_fraction=0", "data.dsa_neutral_keep=1", "data.dsa_reverse_repeat=1")
    base = _tiny_data(*plain)
    fewer = _tiny_data(*plain, "data.dsa_neutral_keep=0")
    more = _tiny_data(*plain, "data.dsa_reverse_repeat=3")
    count = lambda d: Counter(ex.source.rsplit(":", 1)[0] for ex in d.train if ex.source.startswith("dsa:"))
    assert sum(count(fewer).values()) == sum(count(base).values()) - 2 * 2  # two all-neutral rows gone
    reverse_rows = [k for k, v in count(more).items() if v == 6]  # 3 copies x 2 directions
    assert len(reverse_rows) == 2  # the two q->p rows of the fixture


def test_same_seed_same_sets():
    a, b = _tiny_data("data.dsa_neutral_keep=0.5"), _tiny_data("data.dsa_neutral_keep=0.5")
    assert a.train == b.train and a.counts == b.counts
