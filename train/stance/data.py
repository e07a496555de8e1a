"""The training, dev and evaluation sets of a stance run, assembled from the readers as the config says.

* **train**: DSA train (less the dev hold-out; all-neutral rows kept at ``dsa_neutral_keep``, the
  rare q->p rows repeated ``dsa_reverse_repeat`` times), NewsMTSC train, BASIL quotes and our own
  and contrast examples' train splits (``own_repeat`` copies).
* **dev** (model selection, calibration and the neutral floor): the DSA hold-out, a slice of DSA train picked
  by a hash of the sentence so that duplicate rows never straddle it, and NewsMTSC rw dev.
* **eval** (reported, never used for a choice): DSA valid, and DSA valid less every row whose
  sentence occurs in DSA train (``dsa-valid-unseen``: what a model that saw none of it scores),
  NewsMTSC rw test, our own and our contrast examples' test splits.

No sentence of an eval or dev set is trained on: DSA train and NewsMTSC train rows whose sentence
(lower-cased, whitespace collapsed) also occurs in that data set's eval or dev file are dropped.
This matters: 392 of DSA valid's 1,418 rows are exact copies of DSA train rows, and a model that
memorises them scores far higher on valid than on unseen text.

DSA sets keep their two directed examples per row next to each other (p->q, then q->p) so that
they can be combined back into DSA's five classes.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from claimstance.data.basil import read_basil
from claimstance.data.dsa import read_dsa
from claimstance.data.newsmtsc import read_newsmtsc
from claimstance.data.own_stance import read_own
from claimstance.data.root import default_data_root
from claimstance.data.stance_examples import StanceExample
from claimstance.errors import DataNotFound
from claimstance.train.stance.config import StanceDataConfig

log = logging.getLogger(__name__)

__all__ = ["EvalSet", "StanceData", "build_stance_data", "dsa_rows", "sentence_key"]


@dataclass
class EvalSet:
    """Examples scored together; ``paired`` sets are DSA rows (p->q, q->p consecutive)."""

    name: str
    examples: list[StanceExample]
    paired: bool = False


@dataclass
class StanceData:
    train: list[StanceExample]
    dev: list[EvalSet] = field(default_factory=list)
    eval: list[EvalSet] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def dsa_rows(examples: list[StanceExample]) -> list[tuple[StanceExample, StanceExample]]:
    """DSA examples as (p->q, q->p) row pairs, checking that the reader's order holds."""
    if len(examples) % 2:
        raise ValueError("DSA examples come in pairs; got an odd number")
    pairs = list(zip(examples[0::2], examples[1::2]))
    for pq, qp in pairs:
        if not (pq.source.endswith(":pq") and qp.source == pq.source[:-3] + ":qp"):
            raise ValueError(f"DSA examples out of order at {pq.source} / {qp.source}")
    return pairs


def sentence_key(text: str) -> str:
    """A sentence as compared across data sets: lower-cased, whitespace collapsed."""
    return " ".join(text.lower().split())


def _in_dev(text: str, fraction: float) -> bool:
    key = sentence_key(text).encode("utf-8")
    return int(hashlib.sha1(key).hexdigest()[:8], 16) / 0xFFFFFFFF < fraction


def _path(root: Optional[Path], rel: Optional[str]) -> Optional[Path]:
    if rel is None:
        return None
    if root is None:
        root = default_data_root()
    path = root / rel
    if not path.exists():
        raise DataNotFound(f"{path} does not exist (data root {root}; see docs/data.md)")
    return path


def _limited(examples: list[StanceExample], limit: Optional[int]) -> list[StanceExample]:
    return examples if limit is None else examples[:limit]


def build_stance_data(config: StanceDataConfig, seed: int) -> StanceData:
    """Read every set the config names; the same config and seed give the same lists."""
    rng = random.Random(seed)
    root = Path(config.root).expanduser() if config.root else None
    train: list[StanceExample] = []
    data = StanceData(train)
    limit = config.limit

    dropped = {"dsa": 0, "newsmtsc": 0}
    dsa_eval = _path(root, config.dsa_eval)
    dsa_path = _path(root, config.dsa_train)
    dsa_valid = list(read_dsa(dsa_eval)) if dsa_eval else []  # each file read once
    dsa_train = list(read_dsa(dsa_path)) if dsa_path else []
    if dsa_path:
        held_out = {sentence_key(e.text) for e in dsa_valid}
        rows = dsa_rows(dsa_train)
        dropped["dsa"] = sum(sentence_key(r[0].text) in held_out for r in rows)
        rows = [r for r in rows if sentence_key(r[0].text) not in held_out]
        dev_rows = [r for r in rows if _in_dev(r[0].text, config.dsa_dev_fraction)]
        train_rows = [r for r in rows if not _in_dev(r[0].text, config.dsa_dev_fraction)]
        kept = []
        for pq, qp in train_rows:
            if pq.label == qp.label == "neutral":
                if rng.random() < config.dsa_neutral_keep:
                    kept.append((pq, qp))
            else:
                kept.extend([(pq, qp)] * (config.dsa_reverse_repeat if qp.label != "neutral" else 1))
        train += _limited([ex for row in kept for ex in row], limit and 2 * limit)
        if dev_rows:
            data.dev.append(EvalSet("dsa-dev", _limited([ex for row in dev_rows for ex in row], limit and 2 * limit), True))
    mtsc_dev, mtsc_eval = _path(root, config.newsmtsc_dev), _path(root, config.newsmtsc_eval)
    if path := _path(root, config.newsmtsc_train):
        held_out = {sentence_key(e.text) for p in (mtsc_dev, mtsc_eval) if p for e in read_newsmtsc(p)}
        examples = [ex for ex in read_newsmtsc(path) if rng.random() < config.newsmtsc_keep]
        dropped["newsmtsc"] = sum(sentence_key(ex.text) in held_out for ex in examples)
        train += _limited([ex for ex in examples if sentence_key(ex.text) not in held_out], limit)
    if path := _path(root, config.basil):
        train += _limited(list(read_basil(path)), limit)
    if config.own:
        train += _limited(list(read_own("train")), limit) * config.own_repeat
    if config.contrast:
        train += _limited(list(read_own("train", kind="contrast")), limit) * config.own_repeat
    if path := mtsc_dev:
        data.dev.append(EvalSet("newsmtsc-rw-dev", _limited(list(read_newsmtsc(path)), limit)))

    if dsa_eval:
        valid = _limited(dsa_valid, limit and 2 * limit)
        data.eval.append(EvalSet("dsa-valid", valid, True))
        if dsa_path:
            seen = {sentence_key(e.text) for e in dsa_train}
            unseen = [ex for row in dsa_rows(valid) if sentence_key(row[0].text) not in seen for ex in row]
            dropped["dsa_valid_rows_in_train"] = (len(valid) - len(unseen)) // 2
            data.eval.append(EvalSet("dsa-valid-unseen", unseen, True))
    if path := mtsc_eval:
        data.eval.append(EvalSet("newsmtsc-rw-test", _limited(list(read_newsmtsc(path)), limit)))
    if config.own:
        data.eval.append(EvalSet("own-test", _limited(list(read_own("test")), limit)))
    data.eval.append(EvalSet("contrast-test", _limited(list(read_own("test", kind="contrast")), limit)))

    data.dev = [s for s in data.dev if s.examples]
    data.eval = [s for s in data.eval if s.examples]
    if not train:
        raise DataNotFound("the config selects no training examples")
    if not data.dev:
        raise DataNotFound("the config selects no dev set (dsa_dev_fraction > 0 or newsmtsc_dev is needed)")
    data.counts = {
        "train": _by_source(train),
        "dev": {s.name: len(s.examples) for s in data.dev},
        "eval": {s.name: len(s.examples) for s in data.eval},
        "dropped_in_eval_or_dev": {k: v for k, v in dropped.items() if k in ("dsa", "newsmtsc")},
        "dsa_valid_rows_in_train": dropped.get("dsa_valid_rows_in_train"),
    }
    log.info("stance data: %s", data.counts)
    return data


def _by_source(examples: list[StanceExample]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for ex in examples:
        name = ex.source.split(":", 1)[0]
        bucket = out.setdefault(name, {"favor": 0, "against": 0, "neutral": 0})
        bucket[ex.label] += 1
    return out
