"""The attribution tagger at inference: a fine-tuned token classifier folder -> attributions with offsets.

A model folder (a training run's ``model/``, or the shipped ``models/attribution-tagger-minilm``; see
:mod:`claimstance.infer.model_folder`) holds the weights, the tokenizer, the tag map in
``config.json`` and :class:`TaggerSettings` in ``settings.json`` (window size and overlap).

Texts are tokenized once with character offsets, cut into overlapping windows
(:mod:`claimstance.infer.tagger.encoding`), and the windows of many texts are batched together,
sorted by length; each word piece takes its tag probabilities from the window where it lies
farthest from an edge, :mod:`claimstance.infer.tagger.decode` turns the best tags into
attributions, and :mod:`claimstance.infer.tagger.fill` fills the cues and sources they left empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from claimstance.errors import ModelNotFound
from claimstance.infer.model_folder import load_model_folder
from claimstance.infer.tagger.decode import Attribution, group_segments, segments_from_tags, to_statements, viterbi
from claimstance.infer.tagger.encoding import TAGS, Pieces, tokenize_text, window_owner, windows
from claimstance.infer.tagger.fill import fill_roles
from claimstance.models import resolve_model_folder

__all__ = ["DEFAULT_TAGGER_MODEL", "AttributionTagger", "TaggerSettings", "load_tagger", "resolve_tagger_model"]

DEFAULT_TAGGER_MODEL = "attribution-tagger-minilm"  # under models/ (the package claimstance.shipped)
# how the best tags are read from the log-probabilities (pieces x tags)
DECODERS = {"viterbi": viterbi, "argmax": lambda scores: [int(t) for t in scores.argmax(-1)]}


@dataclass(frozen=True)
class TaggerSettings:
    """A tagger's ``settings.json``: what inference needs besides the weights."""

    task: str  # "attribution-tagger"
    max_length: int  # word pieces per window, [CLS] and [SEP] included
    overlap: int  # pieces shared by neighbouring windows

    def __post_init__(self) -> None:
        if self.task != "attribution-tagger":
            raise ValueError(f"task is {self.task!r}: this is not an attribution tagger")
        if not 0 <= self.overlap < self.max_length - 2:
            raise ValueError(f"overlap must be in [0, max_length - 2), got {self.overlap!r} for {self.max_length!r}")


def resolve_tagger_model(name: Optional[str]) -> Path:
    """The model folder for ``name``: ``None`` or ``"default"`` is the shipped tagger, else a path."""
    return resolve_model_folder(name, DEFAULT_TAGGER_MODEL, "attribution tagger",
                                "configs/train/attribution-tagger.yaml")


# windows per model call: the runtime keeps working memory for its largest call (8 windows of 256
# pieces: about 120 MB less than 16, and as fast on 2 cores; docs/batch-jobs.md)
BATCH_WINDOWS = 8


def load_tagger(model: Optional[str], runtime: str = "torch") -> "AttributionTagger":
    """The attribution tagger of a model folder (``"default"``: the shipped model)."""
    return AttributionTagger.load(resolve_tagger_model(model), runtime=runtime)


class AttributionTagger:
    """``attributions(texts)`` -> decoded attributions per text; ``tags(texts)`` -> pieces and tag ids."""

    def __init__(self, model, tokenizer, settings: TaggerSettings, *, batch_size: int = BATCH_WINDOWS,
                 decoding: str = "viterbi", fill: bool = True):
        if decoding not in DECODERS:
            raise ValueError(f"decoding must be one of {', '.join(DECODERS)}, got {decoding!r}")
        self.best_tags = DECODERS[decoding]  # viterbi: the best tag sequence BIO allows; argmax: each piece's best tag
        self.fill = fill  # fill missing cues and sources from the probabilities (tagger/fill.py)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.batch_size = batch_size
        id2label = model.config.id2label
        if tuple(id2label[i] for i in range(len(id2label))) != TAGS:
            raise ModelNotFound(f"the model's labels {list(id2label.values())} are not the tagger's tags {list(TAGS)}")

    @classmethod
    def load(cls, folder: str | Path, batch_size: int = BATCH_WINDOWS, runtime: str = "torch") -> "AttributionTagger":
        """``runtime``: torch, or onnx / onnx-int8 (:mod:`claimstance.infer.runtime`)."""
        model, tokenizer, settings = load_model_folder(folder, TaggerSettings, "AutoModelForTokenClassification",
                                                       "tagger model", runtime, ("input_ids", "attention_mask"))
        return cls(model, tokenizer, settings, batch_size=batch_size)

    def tags(self, texts: Sequence[str]) -> list[tuple[Pieces, list[int]]]:
        """Word pieces and their tag ids for each text; windows of all texts batched by length."""
        return [(p, self.best_tags(scores)) for p, scores in self.scores(texts)]

    def scores(self, texts: Sequence[str]) -> list[tuple[Pieces, np.ndarray]]:
        """Word pieces and their tag log-probabilities (pieces x tags) for each text."""
        import torch

        pieces = [tokenize_text(self.tokenizer, t) for t in texts]
        size = self.settings.max_length - 2
        spans = [windows(len(p.ids), size, min(self.settings.overlap, size - 1)) for p in pieces]
        jobs = [(d, w) for d, ws in enumerate(spans) for w in range(len(ws))]
        jobs.sort(key=lambda j: spans[j[0]][j[1]][1] - spans[j[0]][j[1]][0])
        window_scores: dict[tuple[int, int], np.ndarray] = {}
        cls_id, sep_id, pad_id = self.tokenizer.cls_token_id, self.tokenizer.sep_token_id, self.tokenizer.pad_token_id
        with torch.inference_mode():
            for b in range(0, len(jobs), self.batch_size):
                chunk = jobs[b : b + self.batch_size]
                rows = [[cls_id, *pieces[d].ids[slice(*spans[d][w])], sep_id] for d, w in chunk]
                width = max(len(r) for r in rows)
                ids = torch.tensor([r + [pad_id] * (width - len(r)) for r in rows])
                mask = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
                scores = torch.log_softmax(self.model(input_ids=ids, attention_mask=mask).logits, -1).numpy()
                for (d, w), row, n in zip(chunk, scores, (len(r) for r in rows)):
                    window_scores[(d, w)] = row[1 : n - 1]
        out = []
        for d, p in enumerate(pieces):
            owner = window_owner(spans[d], len(p.ids))
            scores = np.array([window_scores[(d, owner[i])][i - spans[d][owner[i]][0]] for i in range(len(p.ids))])
            out.append((p, scores.reshape(len(p.ids), len(TAGS))))
        return out

    def attributions(self, texts: Sequence[str]) -> list[list[Attribution]]:
        out = []
        for text, (p, scores) in zip(texts, self.scores(texts)):
            segments = segments_from_tags(self.best_tags(scores), p.offsets, text)
            attributions = group_segments(segments, text)
            out.append(fill_roles(attributions, segments, scores, p.offsets, text) if self.fill else attributions)
        return out

    def statements(self, texts: Sequence[str]) -> list[list]:
        """Statements straight from the tagger (no speaker resolution): for scoring the model alone."""
        return [to_statements(a, t) for t, a in zip(texts, self.attributions(texts))]
