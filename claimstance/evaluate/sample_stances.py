"""Stance on our sample gold (``data/samples/gold.jsonl``): does ``infer`` label each gold stance right?

Each gold statement is matched to the predicted statement covering most of its content (at
least half of its characters, as in ``tests/test_samples.py``). For every gold stance
``(target, label)`` of that statement, the predicted stance toward the same target is looked
up: a missing statement or target counts as wrong (label ``None``). Reported: accuracy over all
gold stances, macro-F1 over favor / against / neutral, and the share of targets found.
"""

from __future__ import annotations

from typing import Iterable, Optional

from sklearn.metrics import f1_score

from claimstance.evaluate.attribution import overlap
from claimstance.records import LABELS, DocumentResult, Statement

__all__ = ["MIN_COVER", "best_match", "score_sample_stances"]

MIN_COVER = 0.5  # a predicted content "finds" a gold one when it covers this share of its characters


def best_match(gold, statements: Iterable[Statement]) -> Optional[Statement]:
    """The predicted statement that finds ``gold`` (largest overlap, then the same cue, then the earliest)."""
    gold_len = overlap(gold.content, gold.content)  # its length in characters (of its pieces)
    hits = [st for st in statements if overlap(st.content, gold.content) >= MIN_COVER * gold_len]
    if not hits:
        return None
    return max(hits, key=lambda st: (overlap(st.content, gold.content),
                                     (st.cue.text if st.cue else None) == gold.cue, -st.content.start))


def score_sample_stances(samples, results: dict[str, DocumentResult]) -> dict:
    """Scores and the list of misses (``doc``, ``target``, gold, predicted) for the sample gold."""
    gold_labels, predicted, misses = [], [], []
    for sample in samples:
        result = results[sample.id]
        for gold in sample.statements:
            match = best_match(gold, result.statements)
            found = {j.target: j.label for j in match.stances} if match else {}
            for stance in gold.stances:
                got = found.get(stance.target)
                gold_labels.append(stance.label)
                predicted.append(got or "missing")
                if got != stance.label:
                    misses.append({"doc": sample.id, "content": gold.content.text[:80], "speaker": gold.speaker,
                                   "target": stance.target, "gold": stance.label, "predicted": got})
    n = len(gold_labels)
    return {
        "n": n,
        "accuracy": sum(g == p for g, p in zip(gold_labels, predicted)) / n if n else 0.0,
        "macro_f1": float(f1_score(gold_labels, predicted, labels=list(LABELS), average="macro", zero_division=0)),
        "targets_found": sum(p != "missing" for p in predicted) / n if n else 0.0,
        "misses": misses,
    }
