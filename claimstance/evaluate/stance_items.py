"""Stance items for the report (:class:`StanceItem`), from each gold source.

- ``dsa_items``: DSA rows through the stance model, both directions (p->q, q->p) in order;
- ``newsmtsc_items``: NewsMTSC targets through the stance model (no speaker: the sentence's view);
- ``sample_items``: our sample articles through the whole pipeline; each gold stance of a gold
  statement is looked up on the predicted statement that covers it (as ``tests/test_samples.py``):
  no such statement or no stance toward the target is ``missing``, and wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from claimstance.data.dsa import read_dsa
from claimstance.data.newsmtsc import read_newsmtsc
from claimstance.data.root import default_data_root
from claimstance.data.samples import load_samples
from claimstance.evaluate.eval_config import EvalConfig
from claimstance.evaluate.sample_stances import best_match
from claimstance.infer.pipeline import Pipeline
from claimstance.infer.stance.encoding import query_from_example
from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model

__all__ = ["MISSING", "StanceItem", "dsa_items", "newsmtsc_items", "sample_items", "newsmtsc_path"]

MISSING = "missing"  # the pipeline found no statement or no stance toward the gold target


@dataclass(frozen=True)
class StanceItem:
    id: str
    text: str
    speaker: Optional[str]
    target: str
    gold: str
    pred: str
    confidence: Optional[float]  # the predicted label's probability (None when missing)
    marks: tuple[tuple[int, int, str], ...] = ()  # speaker / target spans in text
    group: Optional[str] = None  # breakdown key (sample article)
    pair: Optional[str] = None  # DSA: the row both directions belong to (dsa:<split>:<line>)
    unit: Optional[str] = None  # bootstrap unit: items of one article or sentence are resampled together



def _root(config: EvalConfig) -> Path:

    return Path(config.data_root).expanduser() if config.data_root else default_data_root()


def newsmtsc_path(root: Path, split: str) -> Path:
    """``rw-test`` -> splits/newsmtsc-rw/test.jsonl; ``devtest_rw`` -> devtest_rw.jsonl."""
    m = re.fullmatch(r"(mt|rw)-(dev|test)", split)
    if m:
        return root / "newsmtsc" / "splits" / f"newsmtsc-{m[1]}" / f"{m[2]}.jsonl"
    return root / "newsmtsc" / f"{split.removesuffix('.jsonl')}.jsonl"


def _model_items(examples: list, config: EvalConfig, pairs: bool) -> list[StanceItem]:

    classifier = StanceClassifier.load(resolve_stance_model(config.stance_model), runtime=config.infer.runtime)
    probs = classifier.probabilities([query_from_example(e) for e in examples], progress=config.progress)
    items = []
    for e, row, k in zip(examples, probs, classifier.decide(probs)):
        k = int(k)
        marks = tuple((s, t, c) for span, c in ((e.speaker_span, "speaker"), (e.target_span, "target")) if span
                      for s, t in [span])
        base = e.source.rsplit(":", 1)[0]  # the DSA row, or the NewsMTSC sentence (its targets are one unit)
        items.append(StanceItem(e.source, e.text, e.speaker, e.target, e.label, classifier.labels[k], float(row[k]),
                                marks, None, base if pairs else None, base))
    return items


def dsa_items(config: EvalConfig) -> tuple[list[StanceItem], str]:

    path = Path(config.gold) if config.gold else _root(config) / "dsa_news" / f"{config.split}.txt"
    examples = list(read_dsa(path))
    if config.limit is not None:
        examples = examples[: 2 * config.limit]
    return _model_items(examples, config, pairs=True), str(path)


def newsmtsc_items(config: EvalConfig) -> tuple[list[StanceItem], str]:

    path = Path(config.gold) if config.gold else newsmtsc_path(_root(config), config.split)
    examples = list(read_newsmtsc(path))
    if config.limit is not None:
        examples = examples[: config.limit]
    return _model_items(examples, config, pairs=False), str(path)


def sample_items(config: EvalConfig) -> list[StanceItem]:
    from tqdm.auto import tqdm


    samples = load_samples(Path(config.gold) if config.gold else None, None if config.split == "all" else config.split)
    if config.limit is not None:
        samples = samples[: config.limit]
    pipeline = Pipeline.from_config(config.infer)
    items = []
    for sample in tqdm(samples, desc="samples", unit="doc", disable=not config.progress):
        result = pipeline(sample.text, sample.id)
        for n, gold in enumerate(sample.statements):
            match = best_match(gold, result.statements)
            found = {j.target: j for j in match.stances} if match else {}
            for stance in gold.stances:
                got = found.get(stance.target)
                items.append(_sample_item(sample, n, gold, match, stance, got))
    return items


def _sample_item(sample, n: int, gold, match, stance, got) -> StanceItem:
    text = sample.text
    lo = max(0, text.rfind("\n", 0, gold.content.start) + 1)
    hi = text.find("\n", gold.content.end)
    hi = len(text) if hi < 0 else hi
    marks: list[Any] = [(gold.content.start - lo, gold.content.end - lo, "gold")]
    mention = match.speaker.mention if match and match.speaker else None
    if mention is not None and lo <= mention.start and mention.end <= hi:
        marks.append((mention.start - lo, mention.end - lo, "speaker"))
    for m in re.finditer(re.escape(stance.target), text[lo:hi]):
        marks.append((m.start(), m.end(), "target"))
    speaker = f"{gold.speaker} (predicted: {match.speaker.name if match and match.speaker else 'none'})"
    return StanceItem(f"{sample.id}/{n}/{stance.target}", text[lo:hi], speaker, stance.target, stance.label,
                      got.label if got else MISSING, got.score if got else None, tuple(marks), sample.id,
                      unit=sample.id)
