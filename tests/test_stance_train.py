"""``claimstance train``: a tiny random model trains a few steps on fixtures, saves, reloads and predicts
identically; a fixed seed gives the same model; bad configs are clear errors; the metrics helpers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from claimstance.cli import main
from claimstance.config import load_config, read_yaml, to_dict
from claimstance.data.dsa import dsa_class_from_directions
from claimstance.errors import ConfigError
from claimstance.infer.stance.model import StanceClassifier
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.train.stance.data import EvalSet
from claimstance.infer.stance.encoding import StanceQuery, query_from_example
from claimstance.train.stance.calibration import choose_neutral_floor, expected_calibration_error, fit_vector_scaling, nll
from claimstance.train.stance.task import score_set, train_stance
from claimstance.train.stance.metrics import score_dsa

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "configs" / "train" / "stance-tiny.yaml"
DEFAULT = REPO / "configs" / "train" / "stance-default.yaml"
FIX = REPO / "tests" / "fixtures" / "stance"


def _tiny(tmp_path: Path, name: str = "run", *more: str) -> StanceTrainConfig:
    return load_config(StanceTrainConfig, TINY, [f"output_dir={tmp_path / name}", f"data.root={FIX}", *more])


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    return train_stance(_tiny(tmp_path_factory.mktemp("stance")))


# ---------------------------------------------------------------- the run directory


def test_run_directory_holds_everything(tiny_run, contract):
    settings = contract.check_run_folder(tiny_run, ["favor", "against", "neutral"])
    resolved = read_yaml(tiny_run / "config.yaml")
    assert resolved["model"]["random_init"] is True and resolved["output_dir"] == str(tiny_run)
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    calibration = metrics["calibration"]
    assert settings == {"task": "stance", "max_length": 64, "max_context_chars": 500, "pooling": "markers",
                        "one_per_pass": False, "scale": calibration["scale"], "bias": calibration["bias"],
                        "neutral_below": calibration["neutral_below"]}
    assert (tiny_run / "model" / "head.safetensors").is_file()
    assert metrics["steps"] == 8 and [e["epoch"] for e in metrics["epochs"]] == [1, 2]
    assert set(metrics["eval"]) == {"dsa-valid", "dsa-valid-unseen", "newsmtsc-rw-test", "own-test", "contrast-test"}
    # the unseen DSA rows: valid less the rows whose sentence is in train (one in the fixtures)
    assert metrics["data"]["dsa_valid_rows_in_train"] == 1
    assert metrics["eval"]["dsa-valid-unseen"]["n_rows"] == metrics["eval"]["dsa-valid"]["n_rows"] - 1
    assert len(calibration["scale"]) == 3 and calibration["neutral_below"] in (0.0, 0.4, 0.45, 0.5, 0.55, 0.6)
    assert 0 < calibration["eval_encoder_passes"] < calibration["eval_targets"]  # targets share passes
    card = (tiny_run / "model" / "README.md").read_text()
    assert "expected calibration error" in card and "dsa-valid-unseen" in card and "| contrast |" in card


def test_reload_predicts_what_training_scored(tiny_run):
    """The eval figures in metrics.json come from the saved model: reloading it gives them again."""
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    data_config = _tiny(tiny_run.parent).data
    from claimstance.train.stance.data import build_stance_data

    data = build_stance_data(data_config, seed=13)
    classifier = StanceClassifier.load(tiny_run / "model")
    for eval_set in data.eval:
        assert score_set(classifier, eval_set)[0] == metrics["eval"][eval_set.name]


def test_save_and_reload_predict_identically(tmp_path):
    """In-memory model vs the folder written by the run: the same probabilities."""
    from claimstance.records import LABELS
    from claimstance.infer.stance.model import StanceSettings, hidden_states
    from claimstance.train.base_model import base_model, save_model
    from claimstance.train.run import set_seed
    from claimstance.train.stance.net import StanceNet

    config = _tiny(tmp_path)
    set_seed(config.seed)
    tokenizer, encoder = base_model(config.model, "AutoModel", LABELS)
    net = StanceNet(encoder, "markers", len(LABELS))
    settings = StanceSettings("stance", config.model.max_length, config.model.max_context_chars, "markers", False,
                              [1.2, 0.9, 1.0], [0.1, -0.1, 0.0], 0.4)
    save_model(net, tokenizer, tmp_path / "m", config.model.save_dtype, settings)
    queries = [StanceQuery("Kenya praised Uganda for the deal.", "Kenya", "Uganda", (0, 5), (20, 26)),
               StanceQuery("Kenya praised Uganda for the deal.", "Kenya", "the deal", (0, 5), (31, 39)),
               StanceQuery("Critics said little about the plan.", None, "plan")]
    before = StanceClassifier(hidden_states(net.encoder), net.head, tokenizer, settings, LABELS).probabilities(queries)
    loaded = StanceClassifier.load(tmp_path / "m")
    np.testing.assert_allclose(before, loaded.probabilities(queries), atol=1e-6)
    assert loaded.settings == settings


def test_fixed_seed_gives_the_same_model(tiny_run, tmp_path):
    again = train_stance(_tiny(tmp_path, "again"))
    a, b = load_file(tiny_run / "model" / "model.safetensors"), load_file(again / "model" / "model.safetensors")
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    other = train_stance(_tiny(tmp_path, "other", "seed=14"))
    c = load_file(other / "model" / "model.safetensors")
    assert any(not np.array_equal(a[k], c[k]) for k in a), "another seed should give another model"


def test_float16_save_halves_the_weights(tmp_path):
    run16 = train_stance(_tiny(tmp_path, "fp16", "model.save_dtype=float16", "optim.max_steps=1"))
    weights = load_file(run16 / "model" / "model.safetensors")
    assert {w.dtype for w in weights.values()} == {np.dtype("float16")}
    probs = StanceClassifier.load(run16 / "model").probabilities([StanceQuery("A backed B.", "A", "B", (0, 1), (9, 10))])
    assert probs.dtype == np.float32 and abs(float(probs.sum()) - 1) < 1e-5


def test_cli_train_writes_a_run(tmp_path, capsys):
    out = tmp_path / "cli-run"
    assert main(["train", str(TINY), f"output_dir={out}", f"data.root={FIX}", "optim.max_steps=2"]) == 0
    assert (out / "model" / "model.safetensors").is_file()
    assert "run directory" in capsys.readouterr().err


# ---------------------------------------------------------------- configs


def test_default_config_file_is_the_schema_default_written_out():
    assert load_config(StanceTrainConfig, DEFAULT) == StanceTrainConfig()
    assert set(read_yaml(DEFAULT)) == set(to_dict(StanceTrainConfig()))
    for section in ("model", "data", "optim"):
        assert set(read_yaml(DEFAULT)[section]) == set(to_dict(StanceTrainConfig())[section]), section


@pytest.mark.parametrize(
    "override, message",
    [
        ("optim.lr=0.1", "optim.lr"),
        ("optim.epochs=two", "optim.epochs: expected int"),
        ("optim.epochs=0", "epochs must be at least 1"),
        ("optim.class_weights=balanced", "class_weights must be"),
        ("data.dsa_neutral_keep=1.5", "dsa_neutral_keep must be between 0 and 1"),
        ("model.save_dtype=int4", "save_dtype must be float16 or float32"),
        ("model.max_length=4", "max_length must be at least 16"),
        ("modle.name=x", "unknown key(s) config.modle"),
        ("optim=3", "expected a mapping"),
    ],
)
def test_bad_config_is_a_clear_error(override, message):
    with pytest.raises(ConfigError) as err:
        load_config(StanceTrainConfig, TINY, [override])
    assert message in str(err.value)


def test_bad_config_through_the_cli(tmp_path, capsys):
    assert main(["train", str(TINY), "optim.batchsize=8"]) == 2
    assert "optim.batchsize" in capsys.readouterr().err
    assert main(["train", str(tmp_path / "missing.yaml")]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_missing_data_file_is_a_clear_error(tmp_path, capsys):
    assert main(["train", str(TINY), f"output_dir={tmp_path / 'r'}", f"data.root={FIX}", "data.dsa_train=nope.txt"]) == 2
    assert "nope.txt does not exist" in capsys.readouterr().err


# ---------------------------------------------------------------- metrics


def test_vector_scaling_fixes_overconfidence_and_class_bias():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 600)
    logits = rng.normal(size=(600, 3))
    logits[np.arange(600), gold] += 1.0  # right more often than not ...
    logits *= 6.0  # ... but far too sure
    logits[:, 1] += 3.0  # and leaning to class 1
    scale, bias = fit_vector_scaling(gold, logits)
    assert all(s < 0.6 for s in scale) and bias[1] < min(bias[0], bias[2])
    assert nll(gold, logits, scale, bias) < nll(gold, logits, [1, 1, 1], [0, 0, 0])
    soft = lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)  # noqa: E731
    after = soft(logits * np.array(scale) + np.array(bias))
    assert expected_calibration_error(gold, after) < expected_calibration_error(gold, soft(logits)) / 2


def test_neutral_floor_is_the_best_candidate_on_dev_and_leaves_the_settings(tiny_run):
    classifier = StanceClassifier.load(tiny_run / "model")
    before = classifier.settings
    seen = []

    def score(c):
        seen.append(c.settings.neutral_below)
        return -abs(c.settings.neutral_below - 0.5)  # best at 0.5

    assert choose_neutral_floor(score, classifier, [0.6, 0.5, 0.4]) == 0.5
    assert seen == [0.0, 0.4, 0.5, 0.6] and classifier.settings == before


def test_decide_calls_neutral_under_the_floor(tiny_run):
    import dataclasses

    classifier = StanceClassifier.load(tiny_run / "model")
    classifier.settings = dataclasses.replace(classifier.settings, neutral_below=0.5)
    probs = np.array([[0.45, 0.35, 0.2], [0.7, 0.2, 0.1], [0.1, 0.2, 0.7]])
    assert [classifier.labels[i] for i in classifier.decide(probs)] == ["neutral", "favor", "neutral"]


def test_score_dsa_combines_directions_by_the_rule():
    labels = ("favor", "against", "neutral")
    # rows: (p->q, q->p) probabilities
    probs = np.array([
        [0.8, 0.1, 0.1], [0.1, 0.1, 0.8],  # favor p->q            -> 1
        [0.1, 0.1, 0.8], [0.1, 0.7, 0.2],  # against q->p          -> 4
        [0.1, 0.6, 0.3], [0.9, 0.05, 0.05],  # both: the surer wins -> 2
        [0.2, 0.2, 0.6], [0.2, 0.2, 0.6],  # neither               -> 0
    ])
    gold = ["favor", "neutral", "neutral", "against", "neutral", "favor", "neutral", "neutral"]
    scores = score_dsa(gold, probs, labels)
    assert scores["n_rows"] == 4 and scores["accuracy"] == 1.0
    assert dsa_class_from_directions(("against", 0.6), ("favor", 0.9)) == 2


def test_score_set_on_a_plain_set_uses_the_calibration(tiny_run):
    classifier = StanceClassifier.load(tiny_run / "model")
    from claimstance.data.stance_examples import StanceExample

    ex = [StanceExample("Ana praised Bo.", "Ana", (0, 3), "Bo", (12, 14), "favor", "t:1")]
    scores, logits = score_set(classifier, EvalSet("x", ex))
    assert scores["n"] == 1 and logits.shape == (1, 3)
    assert query_from_example(ex[0]).speaker_span == (0, 3)
