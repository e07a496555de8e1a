"""The attribution-tagger task of a training run: PolNeAR train -> token classifier -> scored model.

What the skeleton (:mod:`claimstance.train.run`) does not: read PolNeAR train (one annotation file
per article) and hold out a share of its articles by a hash of their id; tokenize every article
once and tag its word pieces (:mod:`claimstance.infer.tagger.encoding`, the encoding inference
uses); cross-entropy over windows that each epoch cuts at a different, seeded offset, with tag
weights; after each epoch, decode the held-out articles and score them with the attribution scorer
(the mean of the figures in ``optim.select_by`` picks the epoch); the reloaded model is scored on
the held-out articles and on the eval split (PolNeAR dev), which chooses nothing.
"""

from __future__ import annotations

import hashlib
import math
import random
from pathlib import Path

from claimstance.data.polnear import PolnearDoc, iter_polnear
from claimstance.data.root import default_data_root
from claimstance.evaluate.attribution import score_corpus
from claimstance.infer.tagger.encoding import TAGS, gold_segments, piece_tags, tokenize_text, windows
from claimstance.infer.tagger.model import AttributionTagger, TaggerSettings
from claimstance.train.base_model import base_model
from claimstance.train.optim import class_weights
from claimstance.train.run import train
from claimstance.train.tagger.card import write_tagger_card
from claimstance.train.tagger.config import TaggerTrainConfig

__all__ = ["TaggerTask", "train_tagger", "score_tagger", "held_out", "split_holdout", "selection_score", "tag_weights"]

IGNORE = -100  # label of [CLS], [SEP] and padding: no loss


def train_tagger(config: TaggerTrainConfig) -> Path:
    """Train, select, save and evaluate; returns the run directory."""
    return train(TaggerTask(config))


class TaggerTask:
    unit = "windows"

    def __init__(self, config: TaggerTrainConfig):
        self.config = config

    def prepare(self) -> None:
        import torch

        config = self.config
        docs = _read(config, config.data.train)
        if config.data.limit:
            docs = docs[: config.data.limit]
        self.train_docs, self.holdout = split_holdout(docs, config.data.holdout_fraction)
        if not self.train_docs:
            raise ValueError("no training articles left after the holdout; lower data.holdout_fraction")
        self.tokenizer, self.model = base_model(config.model, "AutoModelForTokenClassification", TAGS)
        self.encoded = _encode(self.tokenizer, self.train_docs)
        rng = random.Random(config.seed)
        size = config.model.max_length - 2
        self.plans = [_epoch_windows(self.encoded, size, rng) for _ in range(config.optim.epochs)]  # seeded, before any step
        weights = tag_weights([t for _, tags in self.encoded for t in tags if t != IGNORE], config.optim)
        self.loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)
        self.tagger = AttributionTagger(self.model, self.tokenizer, self.settings(), batch_size=config.optim.eval_batch_size)

    def total_steps(self) -> int:
        return sum(math.ceil(len(plan) / self.config.optim.batch_size) for plan in self.plans)

    def batches(self, epoch: int) -> list[list[tuple[int, int, int]]]:
        plan, size = self.plans[epoch - 1], self.config.optim.batch_size
        return [plan[i : i + size] for i in range(0, len(plan), size)]

    def loss(self, batch):
        ids, mask, labels = _batch(self.encoded, batch, self.tokenizer)
        logits = self.model(input_ids=ids, attention_mask=mask).logits
        return self.loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))

    def select(self, epoch: int) -> tuple[float, dict, str]:
        """The mean of the holdout figures in ``optim.select_by``; with no holdout, the last epoch."""
        if not self.holdout:
            return float(epoch), {}, "no holdout"
        holdout = headline(score_tagger(self.tagger, self.holdout, self.config.progress))
        return selection_score(holdout, self.config.optim.select_by), {"holdout": holdout}, f"holdout {holdout}"

    def settings(self) -> TaggerSettings:
        return TaggerSettings("attribution-tagger", self.config.model.max_length, self.config.model.overlap)

    def score_saved(self, model_dir: Path) -> dict:
        return _evaluate_saved(model_dir, self.holdout, self.config)

    def extra_metrics(self) -> dict:
        return {"data": {"train_articles": len(self.train_docs), "holdout_articles": len(self.holdout),
                         "windows_per_epoch": len(self.plans[0])}}

    def write_card(self, path: Path, metrics: dict) -> None:
        write_tagger_card(path, self.config, metrics)


def selection_score(holdout: dict, select_by=("exact_f1", "overlap_f1")) -> float:
    """The epoch-choice criterion: the mean of the named holdout figures (``optim.select_by``); a figure
    with nothing to measure (no matched content has a gold source, say) counts 0."""
    return sum(holdout[name] or 0.0 for name in select_by) / len(select_by)


def held_out(doc_id: str, fraction: float) -> bool:
    """Whether an article is in the holdout: a stable hash of its id, so a run never depends on file order."""
    return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF < fraction


def split_holdout(docs: list[PolnearDoc], fraction: float) -> tuple[list[PolnearDoc], list[PolnearDoc]]:
    """(train, holdout) by :func:`held_out`."""
    return [d for d in docs if not held_out(d.doc_id, fraction)], [d for d in docs if held_out(d.doc_id, fraction)]


def score_tagger(tagger: AttributionTagger, docs: list[PolnearDoc], progress: bool = False) -> dict:
    """Attribution scores of the tagger alone (source = the tagged mention) on gold documents."""
    from tqdm.auto import tqdm

    predictions = {}
    for b in tqdm(range(0, len(docs), 8), desc="score", unit="batch", disable=not progress):
        chunk = docs[b : b + 8]
        for doc, statements in zip(chunk, tagger.statements([d.text for d in chunk])):
            predictions[doc.doc_id] = statements
    return score_corpus(docs, predictions)


def headline(metrics: dict) -> dict:
    """The headline figures: content exact and overlap F1, source and cue accuracy (overlap)."""
    overall = metrics["content"]["overall"]
    return {"exact_f1": round(overall["exact"]["f1"], 4), "overlap_f1": round(overall["overlap"]["f1"], 4),
            "source_accuracy": metrics["source"]["overlap"]["accuracy"], "cue_accuracy": metrics["cue"]["overlap"]["accuracy"]}


def _read(config: TaggerTrainConfig, split: str) -> list[PolnearDoc]:
    root = Path(config.data.root) if config.data.root else default_data_root()
    return list(iter_polnear(root / split, annotators=config.data.annotators))


def _encode(tokenizer, docs: list[PolnearDoc]) -> list[tuple[list[int], list[int]]]:
    """(piece ids, tag ids) per article."""
    out = []
    for doc in docs:
        pieces = tokenize_text(tokenizer, doc.text)
        out.append((pieces.ids, piece_tags(pieces.offsets, len(doc.text), gold_segments(doc.attributions))))
    return out


def _epoch_windows(encoded, size: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """(article, start, end) windows that do not overlap, with a random grid offset per article."""
    out = []
    for d, (ids, _) in enumerate(encoded):
        shift = rng.randrange(size) if len(ids) > size else 0
        out += [(d, s, e) for s, e in windows(len(ids), size, 0, start=shift)]
    rng.shuffle(out)
    return out


def _batch(encoded, chunk, tokenizer):
    import torch

    rows = [[tokenizer.cls_token_id, *encoded[d][0][s:e], tokenizer.sep_token_id] for d, s, e in chunk]
    labels = [[IGNORE, *encoded[d][1][s:e], IGNORE] for d, s, e in chunk]
    width = max(len(r) for r in rows)
    pad = lambda r, v: r + [v] * (width - len(r))  # noqa: E731
    return (torch.tensor([pad(r, tokenizer.pad_token_id) for r in rows]),
            torch.tensor([pad([1] * len(r), 0) for r in rows]),
            torch.tensor([pad(l, IGNORE) for l in labels]))


def tag_weights(tag_ids: list[int], optim):
    """Loss weight per tag: the class weights of ``optim.class_weights`` (or 1) times ``optim.role_weights``."""
    import torch

    weights = class_weights(tag_ids, optim.class_weights, len(TAGS))
    if not optim.role_weights:
        return weights
    if weights is None:
        weights = torch.ones(len(TAGS))
    for i, tag in enumerate(TAGS):
        weights[i] *= optim.role_weights.get(tag.partition("-")[2], 1.0)
    return weights


def _evaluate_saved(model_dir: Path, holdout: list[PolnearDoc], config: TaggerTrainConfig) -> dict:
    """Scores of the model reloaded from disk: the held-out train articles and the eval split."""
    tagger = AttributionTagger.load(model_dir, batch_size=config.optim.eval_batch_size)
    metrics: dict = {}
    if holdout:
        metrics["holdout"] = headline(score_tagger(tagger, holdout, config.progress))
    if config.data.eval:
        eval_docs = _read(config, config.data.eval)
        full = score_tagger(tagger, eval_docs, config.progress)
        metrics["eval"] = {"split": config.data.eval, "n_docs": len(eval_docs), **headline(full), "full": full}
    return metrics
