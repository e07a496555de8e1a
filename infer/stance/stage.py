"""The stance stage: each statement's speaker toward the parties it touches, and the speaker x party matrix.

For a statement with content C, cue and speaker mention S:

* **context**: the sentence(s) spanning C, the cue and S (when S is within ``speaker_reach``
  characters of C), widened to sentence boundaries. That is the text the model reads.
* **targets**: the parties with a mention inside C, those mentioned elsewhere in the context's
  sentences outside the speaker's own noun phrase ("Kenya's president" names the speaker's
  party, not a target), and the article's main parties (``main_parties``) wherever they are: for
  those the target's nearest sentence is joined to the context, so that the model sees the
  mention ("rejected the remarks" after "India's minister said ..."). The speaker's own party
  is a target only when C itself mentions it ("the text says so"). A speaker is never its own
  target.
* **judgment**: the model's calibrated probabilities; the label is the most probable class and
  the score its probability.
* **matrix**: one cell per (speaker, target): the mean of the statements' probability vectors;
  label = its most probable class, score = that probability, evidence = the ids of the
  statements whose own label agrees with the cell (all of them when none does).

Queries of a document go to the model in one call; ``many`` sends those of several documents
together (the pipeline does, for each parser batch).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Protocol

import numpy as np

from claimstance.infer.stance.encoding import StanceQuery
from claimstance.infer.stance.matrix import aggregate_matrix
from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model
from claimstance.infer.stance.targets import Mentions, main_parties, statement_targets
from claimstance.infer.text.units import sentence_bounds
from claimstance.records import MatrixCell, Party, Span, StanceJudgment, Statement

__all__ = ["StanceStage", "ModelStanceStage", "load_stance_stage"]


def _inside(span: Span, lo: int, hi: int) -> bool:
    return lo <= span.start and span.end <= hi


class StanceStage(Protocol):
    """Where a stance model plugs into the pipeline: statements and parties in, judged statements and
    the matrix out. A stage may also have ``many(docs)``, several documents in one model call, which
    the pipeline then uses."""

    def __call__(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]
                 ) -> tuple[tuple[Statement, ...], tuple[MatrixCell, ...]]: ...


def load_stance_stage(model: str, runtime: str = "torch") -> "ModelStanceStage":
    """The model-backed stance stage for a model folder (``"default"``: the shipped model)."""
    return ModelStanceStage(StanceClassifier.load(resolve_stance_model(model), runtime=runtime))


class ModelStanceStage:
    """A :class:`StanceStage` backed by a ``StanceClassifier``."""

    def __init__(self, classifier: StanceClassifier, speaker_reach: int = 300):
        self.classifier = classifier
        self.speaker_reach = speaker_reach

    def _queries(self, text: str, statement: Statement, parties: tuple[Party, ...],
                 main: frozenset[str], index: dict[str, Mentions]) -> list[tuple[Party, StanceQuery]]:
        """One query per target of ``statement``, over the sentence(s) around it."""
        content, cue = statement.content, statement.cue
        speaker = statement.speaker
        lo, hi = content.start, content.end
        if cue is not None:
            lo, hi = min(lo, cue.start), max(hi, cue.end)
        mention = speaker.mention if speaker else None
        if mention is not None and (abs(mention.start - content.end) <= self.speaker_reach or abs(content.start - mention.end) <= self.speaker_reach):
            lo, hi = min(lo, mention.start), max(hi, mention.end)
        else:
            mention = None
        lo, hi = sentence_bounds(text, lo, hi)
        queries = []
        for party, target in statement_targets(statement, parties, (lo, hi), main, index):
            # the statement's sentences, and the target's own sentence when it lies outside them
            windows = [(lo, hi)]
            if not _inside(target, lo, hi):
                t_lo, t_hi = sentence_bounds(text, target.start, target.end)
                if t_hi >= lo and hi >= t_lo:
                    windows = [(min(lo, t_lo), max(hi, t_hi))]
                else:
                    windows = sorted([(t_lo, t_hi), (lo, hi)])
            context, starts = "", []
            for w_lo, w_hi in windows:
                context += (" … " if context else "")
                starts.append((w_lo, w_hi, len(context) - w_lo))
                context += text[w_lo:w_hi]

            def rebase(span: Span):
                for w_lo, w_hi, shift in starts:
                    if w_lo <= span.start and span.end <= w_hi:
                        return span.start + shift, span.end + shift
                return None

            speaker_span = rebase(mention) if mention is not None else None
            target_span = rebase(target)
            if speaker_span and target_span and speaker_span[0] < target_span[1] and target_span[0] < speaker_span[1]:
                speaker_span = None
            queries.append((party, StanceQuery(context, speaker.name if speaker else None, party.name, speaker_span, target_span)))
        return queries

    def plan(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]) -> list:
        """The queries of one document: ``(statement index, party, query)``."""
        main = frozenset(main_parties(parties))
        index = {p.name: Mentions(p.mentions) for p in parties}
        plan = []
        for i, statement in enumerate(statements):
            plan += [(i, party, q) for party, q in self._queries(text, statement, parties, main, index)]
        return plan

    def finish(self, statements: tuple[Statement, ...], plan: list, probs: np.ndarray):
        """Judged statements and the matrix from one document's plan and its probabilities."""
        labels = self.classifier.labels
        judgments: dict[int, list[StanceJudgment]] = {}
        by_cell: dict[tuple[str, str], list[tuple[str, np.ndarray]]] = OrderedDict()
        for (i, party, query), p in zip(plan, probs):
            best = int(p.argmax())
            judgments.setdefault(i, []).append(StanceJudgment(party.name, labels[best], float(p[best])))
            if query.speaker is not None:
                by_cell.setdefault((query.speaker, party.name), []).append((statements[i].id, p))
        judged = tuple(dataclasses.replace(s, stances=tuple(judgments.get(i, ()))) for i, s in enumerate(statements))
        return judged, aggregate_matrix(by_cell, labels)

    def __call__(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]):
        return self.many([(text, statements, parties)])[0]

    def many(self, docs: list[tuple[str, tuple[Statement, ...], tuple[Party, ...]]]) -> list:
        """``__call__`` for several documents, their queries in one model call (sorted by length
        there, so batches are padded little)."""
        plans = [self.plan(*d) for d in docs]
        queries = [q for plan in plans for _, _, q in plan]
        probs = self.classifier.probabilities(queries) if queries else np.zeros((0, len(self.classifier.labels)))
        out, at = [], 0
        for (_, statements, _), plan in zip(docs, plans):
            out.append(self.finish(statements, plan, probs[at : at + len(plan)]))
            at += len(plan)
        return out
