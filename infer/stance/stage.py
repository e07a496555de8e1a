"""The stance stage: each statement's speaker toward the parties it touches, and the speaker x party matrix.

For a statement with content C, cue and speaker mention S:

* **the speaker's words**: C, the cue and S (when S is within ``speaker_reach`` characters of C),
  from the first of them to the last. Neighbouring sentences and other speakers' words are not
  presented as the speaker's.
* **targets**: the parties with a mention inside C, those mentioned elsewhere in C's sentences
  outside the speaker's own noun phrase ("Kenya's president" names the speaker's party, not a
  target), and the article's main parties (``main_parties``) wherever they are
  (:mod:`claimstance.infer.stance.targets`). A target mentioned in the speaker's words is marked
  there; any other comes with the smallest linking context, its own sentence, as the second
  segment (:mod:`claimstance.infer.stance.encoding`).
* **judgment**: one encoder pass per statement, all its targets at once; the model's calibrated
  probabilities per target; the label is the most probable class, except that a favor/against
  call under the model's ``neutral_below`` is neutral; the score is the label's probability.
* **matrix**: one cell per (speaker, target) (:mod:`claimstance.infer.stance.matrix`).

Statements of a document go to the model in one call; ``many`` sends those of several documents
together (the pipeline does, for each parser batch).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from typing import Optional, Protocol

import numpy as np

from claimstance.infer.stance.encoding import CONTEXT_JOIN, StatementQuery, Target
from claimstance.infer.stance.matrix import CellEvidence, aggregate_matrix
from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model
from claimstance.infer.stance.targets import Mentions, main_parties, statement_targets
from claimstance.infer.text.units import sentence_bounds
from claimstance.records import MatrixCell, Party, Span, StanceJudgment, Statement

__all__ = ["StanceStage", "ModelStanceStage", "PlannedStatement", "load_stance_stage"]


def _inside(span: Span, lo: int, hi: int) -> bool:
    return lo <= span.start and span.end <= hi


class StanceStage(Protocol):
    """Where a stance model plugs into the pipeline: statements and parties in, judged statements and
    the matrix out. A stage may also have ``many(docs)``, several documents in one model call, which
    the pipeline then uses."""

    def __call__(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]
                 ) -> tuple[tuple[Statement, ...], tuple[MatrixCell, ...]]: ...


@dataclasses.dataclass(frozen=True)
class PlannedStatement:
    """One statement's model input: its index in the document, its target parties and the query."""

    index: int
    parties: tuple[Party, ...]
    query: StatementQuery


def load_stance_stage(model: str, runtime: str = "torch") -> "ModelStanceStage":
    """The model-backed stance stage for a model folder (``"default"``: the shipped model)."""
    return ModelStanceStage(StanceClassifier.load(resolve_stance_model(model), runtime=runtime))


def _linking_context(text: str, mentions: list[Span]) -> tuple[str, list[tuple[int, int, int]]]:
    """The sentences of ``mentions`` (merged where they touch), joined by :data:`CONTEXT_JOIN`, and
    per sentence window ``(start, end, shift)``: a text offset plus ``shift`` is its context offset."""
    windows: list[list[int]] = []
    for w in sorted({sentence_bounds(text, m.start, m.end) for m in mentions}):
        if windows and w[0] <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], w[1])
        else:
            windows.append(list(w))
    context, shifts = "", []
    for lo, hi in windows:
        context += CONTEXT_JOIN if context else ""
        shifts.append((lo, hi, len(context) - lo))
        context += text[lo:hi]
    return context, shifts


class ModelStanceStage:
    """A :class:`StanceStage` backed by a ``StanceClassifier``."""

    def __init__(self, classifier: StanceClassifier, speaker_reach: int = 300):
        self.classifier = classifier
        self.speaker_reach = speaker_reach

    def _words(self, statement: Statement) -> tuple[int, int, Optional[Span]]:
        """The speaker's words ``[lo, hi)``: content, cue and the speaker's mention when it is near."""
        content, cue = statement.content, statement.cue
        lo, hi = content.start, content.end
        if cue is not None:
            lo, hi = min(lo, cue.start), max(hi, cue.end)
        mention = statement.speaker.mention if statement.speaker else None
        if mention is not None and min(abs(mention.start - hi), abs(lo - mention.end)) <= self.speaker_reach:
            return min(lo, mention.start), max(hi, mention.end), mention
        return lo, hi, None

    def _plan_one(self, text: str, i: int, statement: Statement, parties: tuple[Party, ...],
                  main: frozenset[str], index: dict[str, Mentions]) -> Optional[PlannedStatement]:
        lo, hi, mention = self._words(statement)
        found = statement_targets(statement, parties, sentence_bounds(text, lo, hi), main, index)
        if not found:
            return None
        context, shifts = _linking_context(text, [m for _, m in found if not _inside(m, lo, hi)])
        targets = []
        for party, m in found:
            if _inside(m, lo, hi):
                targets.append(Target(party.name, (m.start - lo, m.end - lo)))
            else:
                shift = next(d for w_lo, w_hi, d in shifts if w_lo <= m.start and m.end <= w_hi)
                targets.append(Target(party.name, (m.start + shift, m.end + shift), in_context=True))
        speaker = statement.speaker
        speaker_span = (mention.start - lo, mention.end - lo) if mention is not None else None
        query = StatementQuery(text[lo:hi], speaker.name if speaker else None, tuple(targets), speaker_span, context)
        return PlannedStatement(i, tuple(party for party, _ in found), query)

    def plan(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]) -> list[PlannedStatement]:
        """The model inputs of one document's statements (those with no target have none)."""
        main = frozenset(main_parties(parties))
        index = {p.name: Mentions(p.mentions) for p in parties}
        planned = (self._plan_one(text, i, s, parties, main, index) for i, s in enumerate(statements))
        return [p for p in planned if p is not None]

    def finish(self, statements: tuple[Statement, ...], plan: list[PlannedStatement], probs: list[np.ndarray]):
        """Judged statements and the matrix from one document's plan and its probabilities."""
        labels = self.classifier.labels
        judgments: dict[int, list[StanceJudgment]] = {}
        by_cell: dict[tuple[str, str], list[CellEvidence]] = OrderedDict()
        for planned, p in zip(plan, probs):
            query = planned.query
            for party, target, row, best in zip(planned.parties, query.targets, p, self.classifier.decide(p)):
                judgments.setdefault(planned.index, []).append(StanceJudgment(party.name, labels[best], float(row[best])))
                speaker = statements[planned.index].speaker
                for name in (speaker.members or (speaker.name,)) if speaker is not None else ():
                    if not speaker.members or name != party.name:  # "Smith and Jones": a row for each of them
                        by_cell.setdefault((name, party.name), []).append(
                            CellEvidence(statements[planned.index].id, row, not target.in_context))
        judged = tuple(dataclasses.replace(s, stances=tuple(judgments.get(i, ()))) for i, s in enumerate(statements))
        return judged, aggregate_matrix(by_cell, labels, self.classifier.decide)

    def __call__(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]):
        return self.many([(text, statements, parties)])[0]

    def many(self, docs: list[tuple[str, tuple[Statement, ...], tuple[Party, ...]]]) -> list:
        """``__call__`` for several documents, their statements in one model call (sorted by length
        there, so batches are padded little)."""
        plans = [self.plan(*d) for d in docs]
        probs = self.classifier.judge([p.query for plan in plans for p in plan])
        out, at = [], 0
        for (_, statements, _), plan in zip(docs, plans):
            out.append(self.finish(statements, plan, probs[at : at + len(plan)]))
            at += len(plan)
        return out
