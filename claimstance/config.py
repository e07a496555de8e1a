"""Typed configs: a small dataclass schema per job, loaded from YAML, checked on load.

An unknown key is an error (a typo must not be silently ignored); values are type-checked;
``key=value`` overrides from the command line are applied on top (``segment.min_quote_words=3``).
A config file may name a ``base:`` file (relative to itself) whose values it overrides.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TypeVar

import yaml

from claimstance.errors import ConfigError

T = TypeVar("T")

# where statements come from (the segmenters, built in infer/segmenter.py)
SEGMENT_MODES = ("rules", "tagger", "tagger_quotes", "union", "rules_first")
# how the transformers run (infer/runtime.py)
RUNTIMES = ("torch", "onnx", "onnx-int8")


def _at_least(config: Any, minimum: float, *names: str) -> None:
    for name in names:
        value = getattr(config, name)
        if value < minimum:
            raise ValueError(f"{name} must be at least {minimum}, got {value!r}")


@dataclass(frozen=True)
class SegmentConfig:
    mode: str = "tagger"  # one of SEGMENT_MODES (infer/segmenter.py)
    tagger_model: Optional[str] = "default"  # the tagger's folder; "default" = the shipped model (not loaded in rules mode)
    min_quote_words: int = 4  # shorter quotations with no cue are scare quotes, not statements
    cue_min_precision: float = 0.3  # a lemma is a cue when at least this share of its PolNeAR train uses are
    cue_min_count: int = 3
    noun_cue_min_precision: float = 0.15  # noun cues ("the claim that ...") need a that-clause as well

    @property
    def needs_tagger(self) -> bool:
        """Whether this mode reads the attribution tagger (every mode but ``rules``)."""
        return self.mode != "rules"

    def __post_init__(self) -> None:
        _at_least(self, 0, "min_quote_words", "cue_min_precision", "cue_min_count", "noun_cue_min_precision")
        if self.mode not in SEGMENT_MODES:
            raise ValueError(f"mode must be one of {', '.join(SEGMENT_MODES)}, got {self.mode!r}")
        if self.needs_tagger and self.tagger_model is None:
            raise ValueError(f"mode {self.mode!r} needs a tagger_model")
        for name in ("cue_min_precision", "noun_cue_min_precision"):
            if getattr(self, name) > 1:
                raise ValueError(f"{name} must be at most 1, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class AttributeConfig:
    pronoun_window: int = 1500  # characters back that a pronoun may reach for its antecedent

    def __post_init__(self) -> None:
        _at_least(self, 0, "pronoun_window")


@dataclass(frozen=True)
class StanceOptions:
    """Which parties each statement is asked about (infer/stance/targets.py)."""

    max_targets: int = 8  # at most this many targets per statement: those it names first, then main parties
    main_parties: int = 2  # the article's most mentioned parties (never more, ties or not), targets of every statement

    def __post_init__(self) -> None:
        _at_least(self, 1, "max_targets")
        _at_least(self, 0, "main_parties")


@dataclass(frozen=True)
class LimitsConfig:
    """Per-record budgets: a record over one keeps what fits and gets a ``warnings`` entry; the batch goes on."""

    max_statements: int = 10_000  # statements kept per record (the first, in text order)
    max_stance_queries: int = 50_000  # statement-target judgments per record
    max_stance_seconds: float = 300.0  # seconds of stance judging per record; the statements left get no stances

    def __post_init__(self) -> None:
        _at_least(self, 0, "max_statements", "max_stance_queries", "max_stance_seconds")


@dataclass(frozen=True)
class InferConfig:
    spacy_model: str = "en_core_web_sm"
    stance_model: Optional[str] = "default"  # a model folder; "default" = the shipped model; None = no stance stage
    batch_size: int = 16  # documents per spaCy batch
    max_chars: int = 1_500_000  # longer texts get an error record instead of a parse
    strip_html: bool = True  # blank out markup (offsets into the input are kept)
    runtime: str = "onnx"  # one of RUNTIMES: onnx (fp32, = torch within 1e-4, faster) | torch | onnx-int8 (infer/runtime.py)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    attribute: AttributeConfig = field(default_factory=AttributeConfig)
    stance: StanceOptions = field(default_factory=StanceOptions)
    limits: LimitsConfig = field(default_factory=LimitsConfig)

    def __post_init__(self) -> None:
        _at_least(self, 1, "batch_size", "max_chars")
        if self.runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}, got {self.runtime!r}")


def _type_name(annotation: Any) -> str:
    """``Optional[str]`` -> ``str or null``: how a type reads in an error message."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _type_name(a) for a in args)
    return getattr(annotation, "__name__", str(annotation))


def _check_type(value: Any, annotation: Any, where: str) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _check_type(value, arg, where)
            except ConfigError:
                continue
        raise ConfigError(f"{where}: expected {_type_name(annotation)}, got {type(value).__name__} {value!r}")
    if annotation is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if annotation in (int, float, str, bool):
        if isinstance(value, bool) and annotation is not bool:
            raise ConfigError(f"{where}: expected {annotation.__name__}, got {value!r}")
        if not isinstance(value, annotation):
            raise ConfigError(f"{where}: expected {annotation.__name__}, got {type(value).__name__} {value!r}")
        return value
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        return tuple(_check_type(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)) if args else tuple(value)
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {value!r}")
        return dict(value)
    if dataclasses.is_dataclass(annotation):
        return from_dict(annotation, value, where)
    return value


def from_dict(schema: type[T], data: Any, where: str = "config") -> T:
    """Build a config dataclass from a mapping, rejecting unknown keys, missing required keys and wrong types."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(schema)
    names = {f.name for f in dataclasses.fields(schema)}
    unknown = sorted(set(data) - names, key=str)
    if unknown:
        keys = ", ".join(f"{where}.{k}" for k in unknown)
        raise ConfigError(f"unknown key(s) {keys}; allowed in {where}: {', '.join(sorted(names))}")
    required = [f.name for f in dataclasses.fields(schema)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    missing = [k for k in required if k not in data]
    if missing:
        raise ConfigError(f"missing key(s) {', '.join(f'{where}.{k}' for k in missing)}")
    values = {k: _check_type(v, hints[k], f"{where}.{k}") for k, v in data.items()}
    try:
        return schema(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def to_dict(config: Any) -> dict[str, Any]:
    def plain(v):
        if isinstance(v, tuple):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return {k: plain(v) for k, v in dataclasses.asdict(config).items()}


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def read_yaml(path: str | Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A YAML mapping, with ``base:`` files merged underneath."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    if path.resolve() in _seen:
        chain = " -> ".join(str(p) for p in _seen + (path.resolve(),))
        raise ConfigError(f"{path}: 'base' files form a cycle: {chain}")
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping, got {type(data).__name__}")
    base = data.pop("base", None)
    if base is not None:
        if not isinstance(base, str) or not base:
            raise ConfigError(f"{path}: 'base' must be a file path, got {base!r}")
        data = _merge(read_yaml(path.parent / base, _seen + (path.resolve(),)), data)
    return data


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``a.b=value`` strings; values are parsed as YAML scalars (``3``, ``true``, ``null``)."""
    data = dict(data)
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"override {item!r} is not of the form key=value")
        key, raw = item.split("=", 1)
        parts = key.strip().split(".")
        if not all(parts):
            raise ConfigError(f"override {item!r}: {key.strip()!r} is not a key (a or a.b)")
        try:
            value = yaml.safe_load(raw) if raw != "" else ""
        except yaml.YAMLError:
            value = raw
        node = data
        for i, part in enumerate(parts[:-1]):
            child = node.get(part)
            if child is not None and not isinstance(child, dict):
                where = ".".join(parts[: i + 1])
                raise ConfigError(f"override {item!r}: {where} is a value ({child!r}), not a section")
            node[part] = dict(child or {})
            node = node[part]
        node[parts[-1]] = value
    return data


def load_config(schema: type[T], path: str | Path | None = None, overrides: Optional[list[str]] = None) -> T:
    """A checked config: the file (with its ``base:``), then the overrides; errors name the key."""
    data = read_yaml(path) if path else {}
    data = apply_overrides(data, overrides or [])
    try:
        return from_dict(schema, data)
    except ConfigError as exc:
        if not path:
            raise
        raise ConfigError(f"{path}: {str(exc).removeprefix(f'[{ConfigError.code}] ')}") from None
