"""Our own sample articles (``data/samples/``) and their hand-made gold, resolved to offsets.

The gold names spans by their text (see ``data/samples/README.md``); this reader finds each
one in the article and fails loudly when a string is missing, so a typo in the gold cannot
silently drop a case. Each article is in one split: ``dev`` (odd numbers: tuning and the tests of
behaviour) or ``test`` (even numbers: figures only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from claimstance.records import Span


@dataclass(frozen=True)
class GoldStance:
    target: str
    label: str


@dataclass(frozen=True)
class GoldStatement:
    kind: str
    content: Span
    cue: Optional[str]
    speaker_mention: Optional[str]
    speaker: Optional[str]
    party: Optional[str]
    stances: tuple[GoldStance, ...]


SAMPLE_SPLITS = ("dev", "test")


@dataclass(frozen=True)
class SampleDoc:
    id: str
    split: str  # dev (tuning and tests of behaviour) | test (figures only)
    title: str
    text: str
    statements: tuple[GoldStatement, ...]
    parties: tuple[str, ...]
    no_statement: tuple[Span, ...]


def samples_dir() -> Path:
    return Path(str(resources.files("claimstance.data").joinpath("samples")))


def _find(text: str, needle: str, occurrence: int, where: str) -> Span:
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise ValueError(f"{where}: {needle[:60]!r} (occurrence {occurrence}) is not in the text")
    return Span.of(text, pos, pos + len(needle))


def load_articles(path: Path | None = None) -> list[dict]:
    path = path or samples_dir() / "articles.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_samples(directory: Path | None = None, split: Optional[str] = None) -> list[SampleDoc]:
    """The sample articles with their gold, of one split (``dev``, ``test``) or all (None)."""
    if split is not None and split not in SAMPLE_SPLITS:
        raise ValueError(f"split must be one of {', '.join(SAMPLE_SPLITS)} or None, got {split!r}")
    directory = directory or samples_dir()
    articles = {a["id"]: a for a in load_articles(directory / "articles.jsonl")}
    docs = []
    for line in (directory / "gold.jsonl").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        if gold.get("split") not in SAMPLE_SPLITS:
            raise ValueError(f"{gold['id']}: split must be one of {', '.join(SAMPLE_SPLITS)}, got {gold.get('split')!r}")
        if split is not None and gold["split"] != split:
            continue
        article = articles[gold["id"]]
        text = article["text"]
        statements = tuple(
            GoldStatement(
                kind=s["kind"],
                content=_find(text, s["content"], s.get("content_occurrence", 0), gold["id"]),
                cue=s.get("cue"),
                speaker_mention=s.get("speaker_mention"),
                speaker=s.get("speaker"),
                party=s.get("party"),
                stances=tuple(GoldStance(t["target"], t["label"]) for t in s.get("stances", ())),
            )
            for s in gold["statements"]
        )
        no_statement = tuple(_find(text, s, 0, gold["id"]) for s in gold.get("no_statement", ()))
        docs.append(SampleDoc(gold["id"], gold["split"], article.get("title", ""), text, statements,
                              tuple(gold.get("parties", ())), no_statement))
    return docs
