"""Our own annotated stance examples (``data/stance/own_examples_*.jsonl``) to ``StanceExample``.

Written for this project in international-relations news style; see ``data/stance/README.md``.
One JSON object per line and per annotated (speaker, target) pair::

    {"sid": "a001", "text": "...", "speaker": "India" | null, "target": "Pakistan",
     "label": "favor" | "against" | "neutral", "phenomenon": "accusation", "split": "train" | "test"}

``speaker`` and ``target`` are the mentions as written; their first whole-word occurrence in
``text`` is the span. ``speaker: null`` is the stance the text itself takes. All lines of one
sentence (``sid``) share one split, so no test sentence is seen in training.
``source`` is ``own:<split>:<sid>:<k>`` (k = the pair's index within its sentence).
"""

from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Iterator, Optional

from claimstance.data.stance_examples import StanceExample, annotated_rows
from claimstance.infer.stance.encoding import find_name

__all__ = ["KINDS", "OWN_SPLITS", "own_example_files", "read_own", "read_own_rows"]

OWN_SPLITS = ("train", "test")
_KEYS = {"sid", "text", "speaker", "target", "label", "phenomenon", "split"}


KINDS = {"own": "own_examples_*.jsonl", "contrast": "contrast_examples_*.jsonl"}


def own_example_files(kind: str = "own") -> list[Path]:
    """Our example files: ``own`` (the first sets, every phenomenon) or ``contrast`` (the sentence's
    tone and the speaker's stance toward a target differ)."""
    folder = Path(str(resources.files("claimstance.data.stance")))
    return sorted(folder.glob(KINDS[kind]))


def read_own_rows(paths: Optional[list[Path]] = None, kind: str = "own") -> Iterator[dict]:
    """The annotated rows, checked: a malformed row is an error (this is our data; it must be right)."""
    splits: dict[str, str] = {}
    for path in paths if paths is not None else own_example_files(kind):
        for row in annotated_rows(path, _KEYS):
            where = row["where"]
            if row["split"] not in OWN_SPLITS:
                raise ValueError(f"{where}: split {row['split']!r} is not one of {OWN_SPLITS}")
            if splits.setdefault(row["sid"], row["split"]) != row["split"]:
                raise ValueError(f"{where}: sentence {row['sid']} is in both splits")
            yield row


def read_own(split: Optional[str] = None, paths: Optional[list[Path]] = None, kind: str = "own") -> Iterator[StanceExample]:
    """``StanceExample`` per annotated pair of the ``kind`` files, of one split (``train`` / ``test``) or all."""
    if split is not None and split not in OWN_SPLITS:
        raise ValueError(f"split must be one of {OWN_SPLITS} or None, got {split!r}")
    index: Counter = Counter()
    for row in read_own_rows(paths, kind):
        k = index[row["sid"]]
        index[row["sid"]] += 1
        if split is not None and row["split"] != split:
            continue
        text, speaker, target = row["text"], row["speaker"], row["target"]
        speaker_span = find_name(text, speaker) if speaker else None
        target_span = find_name(text, target)
        if target_span is None or (speaker and speaker_span is None):
            raise ValueError(f"{row['where']}: speaker {speaker!r} or target {target!r} is not a whole word in the text")
        yield StanceExample(text, speaker, speaker_span, target, target_span, row["label"],
                            f"{kind}:{row['split']}:{row['sid']}:{k}")
