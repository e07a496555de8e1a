"""Configs: unknown keys and wrong types are errors naming the key; overrides; ``base:``; the default file."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimstance.config import (
    AttributeConfig,
    InferConfig,
    SegmentConfig,
    apply_overrides,
    from_dict,
    load_config,
    read_yaml,
    to_dict,
)
from claimstance.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "configs" / "infer" / "default.yaml"


# ---------------------------------------------------------------- the default file


def test_default_yaml_equals_the_schema_defaults():
    assert load_config(InferConfig, DEFAULT) == InferConfig()


def test_default_yaml_lists_every_key():
    assert read_yaml(DEFAULT) == to_dict(InferConfig())


def test_default_yaml_has_a_comment_per_key():
    lines = DEFAULT.read_text("utf-8").splitlines()
    for i, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#") and not line.rstrip().endswith(":"):
            assert lines[i - 1].lstrip().startswith("#"), f"no comment above {line.strip()!r}"


# ---------------------------------------------------------------- errors name the key


@pytest.mark.parametrize("data, names", [
    ({"bogus": 1}, ["config.bogus"]),
    ({"segment": {"min_quote_word": 3}}, ["config.segment.min_quote_word", "min_quote_words"]),
    ({"attribute": {"window": 3}}, ["config.attribute.window", "pronoun_window"]),
    ({"zeta": 1, "alpha": 2}, ["config.alpha", "config.zeta"]),
])
def test_unknown_key(data, names):
    with pytest.raises(ConfigError, match="unknown key") as exc:
        from_dict(InferConfig, data)
    for name in names:
        assert name in str(exc.value)


@pytest.mark.parametrize("data, key, wanted", [
    ({"batch_size": "16"}, "config.batch_size", "int"),
    ({"batch_size": 1.5}, "config.batch_size", "int"),
    ({"batch_size": True}, "config.batch_size", "int"),
    ({"strip_html": "yes please"}, "config.strip_html", "bool"),
    ({"strip_html": 1}, "config.strip_html", "bool"),
    ({"spacy_model": 3}, "config.spacy_model", "str"),
    ({"stance_model": ["a"]}, "config.stance_model", "str or null"),
    ({"segment": 3}, "config.segment", "a mapping"),
    ({"segment": {"min_quote_words": "four"}}, "config.segment.min_quote_words", "int"),
    ({"segment": {"cue_min_precision": "high"}}, "config.segment.cue_min_precision", "float"),
    ({"attribute": {"pronoun_window": None}}, "config.attribute.pronoun_window", "int"),
])
def test_wrong_type(data, key, wanted):
    with pytest.raises(ConfigError) as exc:
        from_dict(InferConfig, data)
    assert f"{key}: expected {wanted}" in str(exc.value)


@pytest.mark.parametrize("data, key", [
    ({"batch_size": 0}, "batch_size"),
    ({"max_chars": -1}, "max_chars"),
    ({"segment": {"cue_min_precision": 1.5}}, "cue_min_precision"),
    ({"segment": {"noun_cue_min_precision": -0.1}}, "noun_cue_min_precision"),
    ({"segment": {"min_quote_words": -2}}, "min_quote_words"),
    ({"attribute": {"pronoun_window": -1}}, "pronoun_window"),
])
def test_value_out_of_range(data, key):
    with pytest.raises(ConfigError, match=key):
        from_dict(InferConfig, data)


def test_types_accepted():
    config = from_dict(InferConfig, {"segment": {"cue_min_precision": 1}, "stance_model": None, "strip_html": False})
    assert config.segment.cue_min_precision == 1.0 and isinstance(config.segment.cue_min_precision, float)
    assert config.stance_model is None and config.strip_html is False


def test_config_error_is_a_value_error_with_a_code():
    with pytest.raises(ValueError, match=r"^\[E002\]"):
        from_dict(InferConfig, {"bogus": 1})


# ---------------------------------------------------------------- key=value overrides


@pytest.mark.parametrize("override, expected", [
    ("batch_size=4", {"batch_size": 4}),
    ("strip_html=false", {"strip_html": False}),
    ("strip_html=no", {"strip_html": False}),  # YAML 1.1 booleans
    ("stance_model=null", {"stance_model": None}),
    ("stance_model=~", {"stance_model": None}),
    ("spacy_model=models/my model", {"spacy_model": "models/my model"}),
    ("spacy_model=", {"spacy_model": ""}),
    ("spacy_model=a=b", {"spacy_model": "a=b"}),
    ("segment.cue_min_precision=0.5", {"segment": {"cue_min_precision": 0.5}}),
    ("segment.min_quote_words=3", {"segment": {"min_quote_words": 3}}),
    (" attribute.pronoun_window =200", {"attribute": {"pronoun_window": 200}}),
    ("spacy_model=[unclosed", {"spacy_model": "[unclosed"}),  # not YAML: the raw string
])
def test_override_values_are_yaml_scalars(override, expected):
    assert apply_overrides({}, [override]) == expected


def test_overrides_apply_in_order_and_keep_siblings():
    data = {"segment": {"min_quote_words": 5, "cue_min_count": 2}, "batch_size": 8}
    out = apply_overrides(data, ["segment.min_quote_words=3", "batch_size=2", "batch_size=1"])
    assert out == {"segment": {"min_quote_words": 3, "cue_min_count": 2}, "batch_size": 1}
    assert data["segment"]["min_quote_words"] == 5, "the input mapping is not changed"


def test_overrides_through_load_config():
    config = load_config(InferConfig, None, ["segment.min_quote_words=2", "max_chars=200000", "strip_html=false"])
    assert config == InferConfig(max_chars=200_000, strip_html=False, segment=SegmentConfig(min_quote_words=2))


@pytest.mark.parametrize("override, message", [
    ("batch_size", "not of the form key=value"),
    ("=3", "is not a key"),
    ("segment..min_quote_words=3", "is not a key"),
    ("segment.=3", "is not a key"),
])
def test_malformed_override(override, message):
    with pytest.raises(ConfigError, match=message):
        apply_overrides({}, [override])


def test_override_into_a_value_is_an_error():
    with pytest.raises(ConfigError, match="batch_size is a value"):
        apply_overrides({"batch_size": 3}, ["batch_size.x=1"])


@pytest.mark.parametrize("override, key", [
    ("segment.bogus=1", "config.segment.bogus"),
    ("bogus=1", "config.bogus"),
    ("batch_size=many", "config.batch_size"),
    ("segment.min_quote_words=2.5", "config.segment.min_quote_words"),
    ("segment=3", "config.segment"),
])
def test_bad_override_names_the_key(override, key):
    with pytest.raises(ConfigError) as exc:
        load_config(InferConfig, None, [override])
    assert key in str(exc.value)


# ---------------------------------------------------------------- files and base:


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_base_merging(tmp_path):
    write(tmp_path, "base.yaml", "batch_size: 4\nsegment:\n  min_quote_words: 6\n  cue_min_count: 5\n")
    path = write(tmp_path, "child.yaml", "base: base.yaml\nsegment:\n  min_quote_words: 2\n")
    config = load_config(InferConfig, path)
    assert config.batch_size == 4  # from the base
    assert config.segment == SegmentConfig(min_quote_words=2, cue_min_count=5)  # nested keys merge, child wins
    assert config.attribute == AttributeConfig()  # untouched: defaults


def test_base_chain_relative_to_each_file(tmp_path):
    write(tmp_path, "a/root.yaml", "max_chars: 1000\nbatch_size: 2\n")
    write(tmp_path, "a/b/mid.yaml", "base: ../root.yaml\nbatch_size: 3\n")
    path = write(tmp_path, "c/leaf.yaml", "base: ../a/b/mid.yaml\nstrip_html: false\n")
    config = load_config(InferConfig, path, ["batch_size=9"])  # overrides beat every file
    assert (config.max_chars, config.batch_size, config.strip_html) == (1000, 9, False)


def test_base_on_the_default_file(tmp_path):
    path = write(tmp_path, "mine.yaml", f"base: {DEFAULT}\nmax_chars: 200000\n")
    assert load_config(InferConfig, path) == InferConfig(max_chars=200_000)


def test_base_missing(tmp_path):
    path = write(tmp_path, "child.yaml", "base: nowhere.yaml\n")
    with pytest.raises(ConfigError, match="config file not found: .*nowhere.yaml"):
        load_config(InferConfig, path)


def test_base_cycle(tmp_path):
    write(tmp_path, "a.yaml", "base: b.yaml\n")
    path = write(tmp_path, "b.yaml", "base: a.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_config(InferConfig, path)


def test_base_not_a_path(tmp_path):
    path = write(tmp_path, "c.yaml", "base: [a.yaml]\n")
    with pytest.raises(ConfigError, match="'base' must be a file path"):
        load_config(InferConfig, path)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found") as exc:
        load_config(InferConfig, tmp_path / "missing.yaml")
    assert "missing.yaml" in str(exc.value)


@pytest.mark.parametrize("text", ["batch_size: [1, 2\n", "a: b: c\n", "key: 'unterminated\n", "\tbatch_size: 1\n"])
def test_invalid_yaml(tmp_path, text):
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ConfigError, match="not valid YAML") as exc:
        load_config(InferConfig, path)
    assert "bad.yaml" in str(exc.value)


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_top_level_not_a_mapping(tmp_path, text):
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(InferConfig, write(tmp_path, "list.yaml", text))


def test_empty_file_is_the_defaults(tmp_path):
    assert load_config(InferConfig, write(tmp_path, "empty.yaml", "# nothing\n")) == InferConfig()


def test_errors_from_a_file_name_the_file_and_the_key(tmp_path):
    path = write(tmp_path, "typo.yaml", "segment:\n  min_quote_word: 3\n")
    with pytest.raises(ConfigError) as exc:
        load_config(InferConfig, path)
    message = str(exc.value)
    assert "typo.yaml" in message and "config.segment.min_quote_word" in message
    assert message.count("[E002]") == 1


def test_not_utf8_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"spacy_model: caf\xe9\n")
    with pytest.raises(ConfigError, match="latin1.yaml"):
        load_config(InferConfig, path)
