"""Pipeline runs for evaluation: ``predict(doc_id, text) -> statements`` for one segment mode."""

from __future__ import annotations

import dataclasses
from typing import Callable, Optional, Sequence

from claimstance.infer.pipeline import Pipeline
from claimstance.infer.tagger.model import load_tagger
from claimstance.records import Statement

__all__ = ["attribution_predictor"]


def attribution_predictor(config, mode: Optional[str] = None, taggers: Optional[dict] = None,
                          stance: bool = False) -> Callable[[str, str], Sequence[Statement]]:
    """``predict(doc_id, text)`` for ``mode`` (default: the config's). The stance stage is off unless
    ``stance`` (it does not change statements); ``taggers`` shares one tagger between modes."""

    mode = mode or config.segment.mode
    config = dataclasses.replace(config, segment=dataclasses.replace(config.segment, mode=mode),
                                 **({} if stance else {"stance_model": None}))
    tagger = None
    if config.segment.needs_tagger:
        taggers = {} if taggers is None else taggers
        key = (config.segment.tagger_model, config.runtime)
        if key not in taggers:
            taggers[key] = load_tagger(*key)
        tagger = taggers[key]
    pipeline = Pipeline.from_config(config, tagger=tagger)

    def predict(doc_id: str, text: str) -> Sequence[Statement]:
        result = pipeline(text, doc_id)
        if result.error:
            raise RuntimeError(f"{doc_id}: {result.error.message}")
        return result.statements

    return predict
