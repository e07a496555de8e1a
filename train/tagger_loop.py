"""One attribution-tagger training run: PolNeAR train -> token classifier -> scored model in a run directory.

``train_tagger(config)`` does, in order: seed everything; read PolNeAR train (one annotation file
per article) and hold out a share of its articles by a hash of their id; tokenize every article
once and tag its word pieces (:mod:`claimstance.infer.tagger.encoding`); fine-tune with cross-entropy over
windows that each epoch cuts at a different, seeded offset; after each epoch decode the held-out
articles and score them with the attribution scorer, keeping the best epoch (the mean of the
holdout figures in ``optim.select_by``); save it (safetensors, ``save_dtype``) with its tokenizer; reload it from
disk and score the held-out articles and the eval split (PolNeAR dev) with the reloaded model.

Run directory::

    <output_dir>/config.yaml   resolved config      metrics.json   holdout per epoch, eval
    <output_dir>/model/        config.json (tag map), model.safetensors, tokenizer, tagger.json,
                               labels.json, metrics.json, README.md (model card)
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import random
import time
from pathlib import Path


from claimstance.data.polnear import PolnearDoc, iter_polnear
from claimstance.data.root import default_data_root
from claimstance.evaluate.attribution import score_corpus
from claimstance.infer.tagger.model import TAGGER_FILE, AttributionTagger
from claimstance.train.base_model import base_model, save_model
from claimstance.train.loop import start_run, write_metrics
from claimstance.train.optim import make_optimizer, train_epoch
from claimstance.train.tagger_config import TaggerTrainConfig
from claimstance.infer.tagger.encoding import TAGS, gold_segments, piece_tags, tokenize_text, windows

log = logging.getLogger(__name__)

__all__ = ["train_tagger", "score_tagger", "split_holdout", "selection_score", "best_epoch_of", "tag_weights"]

IGNORE = -100  # label of [CLS], [SEP] and padding: no loss


def split_holdout(docs: list[PolnearDoc], fraction: float) -> tuple[list[PolnearDoc], list[PolnearDoc]]:
    """(train, holdout) by a stable hash of the article id, so a run never depends on file order."""
    def held(doc_id: str) -> bool:
        return int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF < fraction

    return [d for d in docs if not held(d.doc_id)], [d for d in docs if held(d.doc_id)]


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
    """The figures the issue names: content exact and overlap F1, source accuracy (overlap)."""
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


def train_tagger(config: TaggerTrainConfig) -> Path:
    """Train, select, save and evaluate; returns the run directory."""
    import torch

    started = time.perf_counter()
    out = start_run(config)

    docs = _read(config, config.data.train)
    if config.data.limit:
        docs = docs[: config.data.limit]
    train_docs, holdout = split_holdout(docs, config.data.holdout_fraction)
    if not train_docs:
        raise ValueError("no training articles left after the holdout; lower data.holdout_fraction")
    tokenizer, model = base_model(config.model, "AutoModelForTokenClassification", TAGS)
    encoded = _encode(tokenizer, train_docs)
    size = config.model.max_length - 2
    rng = random.Random(config.seed)
    plans = [_epoch_windows(encoded, size, rng) for _ in range(config.optim.epochs)]  # seeded, before any step
    per_epoch = len(plans[0])
    total = sum(math.ceil(len(plan) / config.optim.batch_size) for plan in plans)
    if config.optim.max_steps:
        total = min(total, config.optim.max_steps)
    optimizer, scheduler = make_optimizer(model, config.optim, total)
    weights = tag_weights([t for _, tags in encoded for t in tags if t != IGNORE], config.optim)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)
    tagger = AttributionTagger(model, tokenizer, max_length=config.model.max_length, overlap=config.model.overlap,
                               batch_size=config.optim.eval_batch_size)

    history, best, best_state, step, seen, train_seconds = [], -1.0, None, 0, 0, 0.0
    for epoch in range(1, config.optim.epochs + 1):
        epoch_start = time.perf_counter()
        plan = plans[epoch - 1]
        batches = [plan[i : i + config.optim.batch_size] for i in range(0, len(plan), config.optim.batch_size)]

        def loss_of(chunk):
            ids, mask, labels = _batch(encoded, chunk, tokenizer)
            logits = model(input_ids=ids, attention_mask=mask).logits
            return loss_fn(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))

        step, n_seen, mean_loss = train_epoch(model, batches, loss_of, optimizer, scheduler, max_grad_norm=config.optim.max_grad_norm,
                                              step=step, total=total, desc=f"epoch {epoch}/{config.optim.epochs}", progress=config.progress)
        seen += n_seen
        train_seconds += time.perf_counter() - epoch_start
        entry = {"epoch": epoch, "step": step, "train_loss": round(mean_loss, 4)}
        score = float(epoch)  # no holdout: the last epoch
        if holdout:
            entry["holdout"] = headline(score_tagger(tagger, holdout, config.progress))
            score = selection_score(entry["holdout"], config.optim.select_by)
        history.append(entry)
        log.info("epoch %d: %s", epoch, entry)
        if config.progress:
            print(f"\nepoch {epoch}: {entry}", flush=True)
        if score > best:
            best, best_state = score, copy.deepcopy(model.state_dict())
        if step >= total:
            break

    model.load_state_dict(best_state)
    best_epoch = best_epoch_of(history, config.optim.select_by)
    model_dir = out / "model"
    _save(model, tokenizer, model_dir, config)
    metrics = _evaluate_saved(model_dir, holdout, config)
    metrics.update({
        "best_epoch": best_epoch, "epochs": history, "seed": config.seed,
        "data": {"train_articles": len(train_docs), "holdout_articles": len(holdout), "windows_per_epoch": per_epoch},
        "train_windows_per_s": round(seen / max(train_seconds, 1e-9), 2),
    })
    write_metrics(out, metrics, started=started, train_seconds=train_seconds, steps=step)
    from claimstance.train.tagger_card import write_tagger_card

    write_tagger_card(model_dir / "README.md", config, metrics)
    return out


def selection_score(holdout: dict, select_by=("exact_f1", "overlap_f1")) -> float:
    """The epoch-choice criterion: the mean of the named holdout figures (``optim.select_by``)."""
    return sum(holdout[name] for name in select_by) / len(select_by)


def best_epoch_of(history: list[dict], select_by=("exact_f1", "overlap_f1")) -> int:
    """The first epoch with the best holdout score (:func:`selection_score`), else the last."""
    if not any("holdout" in h for h in history):
        return history[-1]["epoch"]
    return max(history, key=lambda h: selection_score(h["holdout"], select_by))["epoch"]


def tag_weights(tag_ids: list[int], optim):
    """Loss weight per tag: the class weights of ``optim.class_weights`` (or 1) times ``optim.role_weights``."""
    import torch

    from claimstance.train.loop import class_weights

    weights = class_weights(tag_ids, optim.class_weights, len(TAGS))
    if not optim.role_weights:
        return weights
    if weights is None:
        weights = torch.ones(len(TAGS))
    for i, tag in enumerate(TAGS):
        weights[i] *= optim.role_weights.get(tag.partition("-")[2], 1.0)
    return weights


def _save(model, tokenizer, model_dir: Path, config: TaggerTrainConfig) -> None:
    save_model(model, tokenizer, model_dir, config.model.save_dtype, TAGS)
    (model_dir / TAGGER_FILE).write_text(json.dumps({"max_length": config.model.max_length,
                                                     "overlap": config.model.overlap}, indent=2), "utf-8")


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
