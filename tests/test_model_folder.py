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
    settings = StanceSettings("stance", 128, 700, 1.25)
    write_settings(tmp_path, settings)
    assert read_settings(tmp_path, StanceSettings) == settings


@pytest.mark.parametrize("data, message", [
    ({"task": "stance", "max_length": 128, "max_context_chars": 700}, "missing key.*temperature"),
    ({"task": "stance", "max_length": 128, "max_context_chars": 700, "temperature": 1.0, "extra": 1}, "unknown key.*extra"),
    ({"task": "attribution-tagger", "max_length": 128, "max_context_chars": 700, "temperature": 1.0}, "not a stance model"),
    ({"task": "stance", "max_length": "128", "max_context_chars": 700, "temperature": 1.0}, "max_length: expected int"),
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
