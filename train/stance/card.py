"""The model card written beside every trained stance model: what it is, what it saw, how it scores."""

from __future__ import annotations

from pathlib import Path

from claimstance.train.card import front_matter, pct, write_card
from claimstance.train.stance.config import StanceTrainConfig

__all__ = ["stance_front_matter", "write_stance_card"]


def stance_front_matter(config: StanceTrainConfig, metrics: dict) -> dict:
    """The card's Hugging Face metadata: macro-F1 and accuracy on each held-out set."""
    results = [r for name, m in metrics.get("eval", {}).items()
               for r in ((name, "f1", "macro-F1", m["macro_f1"]), (name, "accuracy", "accuracy", m["accuracy"]))]
    return front_matter(config.model.name, ["DSA", "NewsMTSC", "BASIL", "claimstance own stance examples"],
                        "text-classification", "claimstance stance model", results)


def _score_rows(scores: dict) -> list[str]:
    rows = ["| set | n | macro-F1 | accuracy | per-class F1 |", "|---|---|---|---|---|"]
    for name, m in scores.items():
        n = m.get("n_rows", m.get("n"))
        per_class = ", ".join(f"{k} {pct(v)}" for k, v in m["f1"].items())
        extra = f" (directed 3-class macro-F1 {pct(m['directed_macro_f1'])})" if "directed_macro_f1" in m else ""
        rows.append(f"| {name} | {n} | **{pct(m['macro_f1'])}**{extra} | {pct(m['accuracy'])} | {per_class} |")
    return rows


def _dropped(counts: dict) -> str:
    dropped = counts.get("dropped_in_eval_or_dev", {})
    return ", ".join(f"{name}: {n}" for name, n in dropped.items()) or "none"


def write_stance_card(path: Path, config: StanceTrainConfig, metrics: dict) -> None:
    cal = metrics["calibration"]
    train_counts = metrics["data"]["train"]
    data_rows = ["| source | favor | against | neutral |", "|---|---|---|---|"]
    data_rows += [f"| {name} | {c['favor']} | {c['against']} | {c['neutral']} |" for name, c in train_counts.items()]
    lines = [
        "# claimstance stance model",
        "",
        "An encoder that labels the stance (favor / against / neutral) of a speaker toward each target of a",
        "statement, all targets in one pass. Input: the speaker's words with the speaker marked `<< >>` and",
        "each target `[[ ]]`; a target outside them comes as a second segment with its own sentence",
        "(`claimstance.infer.stance.encoding.build_segments`). "
        + ("The head reads, per target, the hidden states at `[CLS]`, the speaker's mark and the target's mark."
           if config.model.pooling == "markers" else "The head reads `[CLS]`, one target per pass."),
        f"Fine-tuned from `{config.model.name}`" + (" (random init)" if config.model.random_init else "") +
        f"; weights saved as {config.model.save_dtype} safetensors; seed {config.seed}.",
        "",
        "Scores are calibrated probabilities: each class's logit is scaled and shifted, fitted on dev",
        f"(scale {cal['scale']}, bias {cal['bias']}). A favor/against call with a probability under "
        f"{cal['neutral_below']} is neutral (the floor with the best dev macro-F1).",
        "",
        "## Evaluation (held-out sets; never used for a choice)",
        "",
        *_score_rows(metrics["eval"]),
        "",
        "DSA valid is queried in both directions; the five DSA classes come back from the two directed",
        "predictions (where a direction is favor or against, the more confident one decides).",
        "",
        f"DSA valid less its rows whose sentence occurs in DSA train ({metrics['data'].get('dsa_valid_rows_in_train')} rows): "
        "`dsa-valid-unseen`. `contrast-test`: our examples where the sentence's tone and the speaker's",
        "stance toward a target differ. Encoder passes for the eval sets: "
        f"{cal.get('eval_encoder_passes')} for {cal.get('eval_targets')} targets.",
        "",
        "## Dev (model selection: best epoch by mean macro-F1; calibration and neutral floor)",
        "",
        *_score_rows(metrics["dev"]),
        "",
        f"Best epoch: {metrics['best_epoch']} of {len(metrics['epochs'])}.",
        "",
        "## Calibration (dev)",
        "",
        "| | expected calibration error (15 bins) |",
        "|---|---|",
        f"| before calibration | {cal['dev_ece_before']:.4f} |",
        f"| after per-class scaling | {cal['dev_ece_after']:.4f} |",
        "",
        "## Training data",
        "",
        *data_rows,
        "",
        "No sentence of an eval or dev set is trained on: rows of DSA train and NewsMTSC train whose",
        "sentence occurs in that data set's eval or dev file are dropped "
        f"({_dropped(metrics['data'])}).",
        f"Statements (one encoder pass each): {metrics['data'].get('train_statements')} for "
        f"{metrics['data'].get('train_targets')} targets.",
        "",
        f"Training: {metrics['steps']} steps, {metrics['train_seconds']} s, {metrics['train_examples_per_s']} examples/s; "
        f"the whole run (data, training, calibration, evaluation) {metrics['total_seconds']} s.",
        "Reproduce: `claimstance train <this config>` (the default: `configs/train/stance-default.yaml`).",
        "",
        "## Limits",
        "",
        "- DSA and NewsMTSC are single decontextualised sentences from US news; long-range context,",
        "  irony and stance implied across paragraphs are weak spots.",
        "- NewsMTSC labels sentiment toward a person (no holder); it is read as the text's own stance.",
        "- Our own and contrast examples are few (a few hundred sentences each) and written by the project.",
        "",
    ]
    write_card(path, lines, config, stance_front_matter(config, metrics))
