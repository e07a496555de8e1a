"""One record for every stance training set: ``StanceExample``.

A ``StanceExample`` says: in ``text``, ``speaker`` (the holder; ``None`` when the data set has no
holder or an unnamed one) takes stance ``label`` toward ``target``. ``speaker_span`` /
``target_span`` are ``(start, end)`` character offsets into ``text`` (end exclusive), or ``None``
where the mention cannot be located. ``source`` names the data set, split and row
(``"<dataset>:<split>:<row id>"``) so that every example traces back to its line.

Readers: ``claimstance.data.dsa`` (DSA), ``claimstance.data.newsmtsc`` (NewsMTSC),
``claimstance.data.basil`` (BASIL quotes). Each documents its mapping in its module docstring.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

__all__ = ["STANCE_LABELS", "StanceExample", "ReadStats", "annotated_rows"]

STANCE_LABELS = ("favor", "against", "neutral")


def annotated_rows(path, keys: set[str]):
    """The rows of one of our annotated JSONL files, each with ``where`` (file:line) added, checked:
    exactly ``keys``, a stance label in ``label``. A malformed row is an error (our own data)."""
    import json
    from pathlib import Path

    for lineno, line in enumerate(Path(path).read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{Path(path).name}:{lineno}"
        row = json.loads(line)
        if set(row) != keys:
            raise ValueError(f"{where}: keys {sorted(row)} are not {sorted(keys)}")
        if row["label"] not in STANCE_LABELS:
            raise ValueError(f"{where}: label {row['label']!r} is not one of {STANCE_LABELS}")
        yield {**row, "where": where}


def _check_span(text: str, span, name: Optional[str], role: str) -> None:
    if span is None:
        return
    if name is None:
        raise ValueError(f"{role}_span {span!r} given without a {role}")
    if not (isinstance(span, tuple) and len(span) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in span)):
        raise ValueError(f"{role}_span must be a (start, end) tuple of ints, got {span!r}")
    s, e = span
    if not 0 <= s < e <= len(text):
        raise ValueError(f"{role}_span {span!r} is outside a text of {len(text)} characters (or empty)")
    if text[s:e] != name:
        raise ValueError(f"{role}_span {span!r} covers {text[s:e]!r}, not the {role} {name!r}")


@dataclass(frozen=True)
class StanceExample:
    """``speaker`` → ``target`` stance ``label`` (favor / against / neutral) expressed in ``text``."""

    text: str
    speaker: Optional[str]
    speaker_span: Optional[tuple[int, int]]
    target: str
    target_span: Optional[tuple[int, int]]
    label: str
    source: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValueError(f"{self.source}: text must be a non-empty string")
        if self.label not in STANCE_LABELS:
            raise ValueError(f"{self.source}: label {self.label!r} is not one of {STANCE_LABELS}")
        if not isinstance(self.target, str) or not self.target.strip():
            raise ValueError(f"{self.source}: target must be a non-empty string")
        if self.speaker is not None and (not isinstance(self.speaker, str) or not self.speaker.strip()):
            raise ValueError(f"{self.source}: speaker must be None or a non-empty string")
        if not isinstance(self.source, str) or not self.source:
            raise ValueError("source must be a non-empty string '<dataset>:<split>:<row id>'")
        try:
            _check_span(self.text, self.speaker_span, self.speaker, "speaker")
            _check_span(self.text, self.target_span, self.target, "target")
        except ValueError as exc:
            raise ValueError(f"{self.source}: {exc}") from None


@dataclass
class ReadStats:
    """What a reader saw: input ``rows``, ``examples`` yielded, rows ``skipped`` and why."""

    rows: int = 0
    examples: int = 0
    skipped: int = 0
    reasons: Counter = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.reasons[reason] += 1
