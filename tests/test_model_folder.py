"""A model folder's ``settings.json`` is read strictly: what inference reads is what training wrote."""

from __future__ import annotations

import json

import pytest

from claimstance.errors import ConfigError, ModelNotFound
from claimstance.infer.model_folder import SETTINGS_FILE, read_settings, write_settings
from claimstance.infer.stance.model import StanceSettings
from claimstance.infer.tagger.model import TaggerSettings
from claimstance.models import resolve_model_folder


def test_settings_round_trip(tmp_path):
    settings = StanceSettings("stance", 160, 500, "markers", False, [1.1, 0.9, 1.0], [0.2, -0.1, -0.1], 0.45)
    write_settings(tmp_path, settings)
    assert read_settings(tmp_path, StanceSettings) == settings


_GOOD = {"task": "stance", "max_length": 160, "max_context_chars": 500, "pooling": "markers", "one_per_pass": False,
         "scale": [1.0, 1.0, 1.0], "bias": [0.0, 0.0, 0.0], "neutral_below": 0.4}


@pytest.mark.parametrize("data, message", [
    ({k: v for k, v in _GOOD.items() if k != "scale"}, "missing key.*scale"),
    ({**_GOOD, "temperature": 1.0}, "unknown key.*temperature"),  # a stance model of the first version
    ({**_GOOD, "task": "attribution-tagger"}, "not a stance model"),
    ({**_GOOD, "max_length": "128"}, "max_length: expected int"),
    ({**_GOOD, "pooling": "mean"}, "pooling must be one of"),
    ({**_GOOD, "pooling": "cls"}, "needs one_per_pass true"),
    ({**_GOOD, "scale": [1.0, 1.0]}, "one number per class"),
    ({**_GOOD, "neutral_below": 1.5}, "neutral_below must be in"),
])
def test_a_wrong_settings_file_is_an_error_naming_the_key(tmp_path, data, message):
    (tmp_path / SETTINGS_FILE).write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=message):
        read_settings(tmp_path, StanceSettings)


def test_a_folder_without_settings_is_refused(tmp_path):
    with pytest.raises(ModelNotFound, match="settings.json"):
        read_settings(tmp_path, TaggerSettings)


@pytest.mark.parametrize("name, schema", [("stance-minilm", StanceSettings), ("attribution-tagger-minilm", TaggerSettings)])
def test_the_shipped_models_have_settings(name, schema):
    folder = resolve_model_folder("default", name, "model", "configs/train")
    settings = read_settings(folder, schema)
    assert settings.max_length > 0
    assert not (folder / "labels.json").exists() and not (folder / "calibration.json").exists()
