"""The stance stage: each statement's speaker toward the parties it touches, and the speaker x party matrix.

For a statement with content C, cue and speaker mention S:

* **the speaker's words**: C, the cue and S (when S is within ``speaker_reach`` characters of C),
  from the first of them to the last. Neighbouring sentences and other speakers' words are not
  presented as the speaker's.
* **targets**: the parties with a mention inside C, those mentioned elsewhere in C's sentences
  outside the speaker's own noun phrase ("Kenya's president" names the speaker's party, not a
  target), and the article's main parties (``main_parties``) wherever they are, at most
  ``max_targets`` (:mod:`claimstance.infer.stance.targets`). A target mentioned in the speaker's words is marked
  there; any other comes with the smallest linking context, its own sentence, as the second
  segment (:mod:`claimstance.infer.stance.encoding`).
* **judgment**: one encoder pass per statement, all its targets at once; the model's calibrated
  probabilities per target; the label is the most probable class, except that a favor/against
  call under the model's ``neutral_below`` is neutral; the score is the label's probability.
* **matrix**: one cell per (speaker, target) (:mod:`claimstance.infer.stance.matrix`).

Statements of a document go to the model in one call; ``many`` sends those of several documents
together (the pipeline does, for each parser batch). Budgets per document (``limits.*``): a plan
is cut at ``max_queries`` judgments, and a document of more than :data:`SLICE` statements is
judged a slice at a time until ``max_seconds`` have passed; what is cut gets no stances and the
document a warning. A time budget that is hit makes the output depend on the machine's speed,
which the warning says.
"""

from __future__ import annotations

import dataclasses
import time
from collections import OrderedDict
from typing import Optional, Protocol

import numpy as np

from claimstance.config import LimitsConfig, StanceOptions
from claimstance.infer.speakers.sources import names_someone
from claimstance.infer.stance.encoding import CONTEXT_JOIN, StatementQuery, Target
from claimstance.infer.stance.matrix import CellEvidence, aggregate_matrix
from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model
from claimstance.infer.stance.targets import MAIN_PARTIES, MAX_TARGETS, PartyIndex, main_parties, statement_targets
from claimstance.infer.text.units import sentence_bounds
from claimstance.records import MatrixCell, Party, Span, StanceJudgment, Statement

__all__ = ["SLICE", "StanceStage", "ModelStanceStage", "PlannedStatement", "load_stance_stage"]

SLICE = 256  # statements per model call of a long document, between two looks at its time budget


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


def load_stance_stage(model: str, runtime: str = "torch", options: Optional[StanceOptions] = None,
                      limits: Optional[LimitsConfig] = None) -> "ModelStanceStage":
    """The model-backed stance stage for a model folder (``"default"``: the shipped model)."""
    options, limits = options or StanceOptions(), limits or LimitsConfig()
    return ModelStanceStage(StanceClassifier.load(resolve_stance_model(model), runtime=runtime),
                            max_targets=options.max_targets, main_parties=options.main_parties,
                            max_queries=limits.max_stance_queries, max_seconds=limits.max_stance_seconds)


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

    def __init__(self, classifier: StanceClassifier, speaker_reach: int = 300, max_targets: int = MAX_TARGETS,
                 main_parties: int = MAIN_PARTIES, max_queries: int = LimitsConfig.max_stance_queries,
                 max_seconds: float = LimitsConfig.max_stance_seconds):
        self.classifier = classifier
        self.speaker_reach = speaker_reach
        self.max_targets = max_targets  # targets per statement (stance.max_targets)
        self.main_parties = main_parties  # the article's main parties, each a target of every statement
        self.max_queries = max_queries  # statement-target judgments per document (limits.max_stance_queries)
        self.max_seconds = max_seconds  # seconds of judging per document (limits.max_stance_seconds)

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
                  main: list[Party], index: PartyIndex) -> Optional[PlannedStatement]:
        lo, hi, mention = self._words(statement)
        found = statement_targets(statement, parties, sentence_bounds(text, lo, hi), main, index, self.max_targets)
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
        main = main_parties(parties, self.main_parties)
        index = PartyIndex(parties)
        planned = (self._plan_one(text, i, s, parties, main, index) for i, s in enumerate(statements))
        return [p for p in planned if p is not None]

    def finish(self, statements: tuple[Statement, ...], plan: list[PlannedStatement], probs: list[np.ndarray]):
        """Judged statements and the matrix from one document's plan and its probabilities."""
        labels = self.classifier.labels
        judgments: dict[int, list[StanceJudgment]] = {}
        by_cell: dict[tuple[str, str], list[CellEvidence]] = OrderedDict()
        for planned, p in zip(plan, probs):
            query = planned.query
            speaker = statements[planned.index].speaker
            # "Smith and Jones": a row for each of them (no member is a target: statement_targets);
            # no row for a speaker the chain could not name ("they", "who", "some")
            names = [n for n in (speaker.members or (speaker.name,)) if names_someone(n)] if speaker is not None else ()
            for party, target, row, best in zip(planned.parties, query.targets, p, self.classifier.decide(p)):
                judgments.setdefault(planned.index, []).append(StanceJudgment(party.name, labels[best], float(row[best])))
                for name in names:
                    by_cell.setdefault((name, party.name), []).append(
                        CellEvidence(statements[planned.index].id, row, not target.in_context))
        judged = tuple(dataclasses.replace(s, stances=tuple(judgments.get(i, ()))) for i, s in enumerate(statements))
        return judged, aggregate_matrix(by_cell, labels, self.classifier.decide)

    def __call__(self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]):
        return self.many([(text, statements, parties)])[0][:2]

    def many(self, docs: list[tuple[str, tuple[Statement, ...], tuple[Party, ...]]]) -> list:
        """``__call__`` for several documents, each result with its budget warnings (a third item).

        The statements of documents of up to :data:`SLICE` statements go to the model in one call
        (sorted by length there, so batches are padded little); a longer document is judged alone,
        a slice at a time, and stops at its time budget. Its plan is first cut to its judgment
        budget. Either way the statements left get no stances and the document a warning."""
        plans, warnings = [], []
        for text, statements, parties in docs:
            plan, warned = self._within_queries(self.plan(text, statements, parties), statements)
            plans.append(plan)
            warnings.append(warned)
        probs: list[list[np.ndarray]] = [[] for _ in docs]
        small = [i for i, plan in enumerate(plans) if len(plan) <= SLICE]
        queries = [p.query for i in small for p in plans[i]]
        together = self.classifier.judge(queries) if queries else []
        at = 0
        for i in small:
            probs[i], at = together[at : at + len(plans[i])], at + len(plans[i])
        for i in (i for i, plan in enumerate(plans) if len(plan) > SLICE):
            plans[i], probs[i], warned = self._judge_in_time(plans[i], docs[i][1])
            warnings[i] += warned
        return [(*self.finish(statements, plan, p), tuple(w))
                for (_, statements, _), plan, p, w in zip(docs, plans, probs, warnings)]

    def _within_queries(self, plan: list[PlannedStatement], statements) -> tuple[list[PlannedStatement], list[str]]:
        """The plan cut where its statement-target judgments would pass ``max_queries``."""
        total = 0
        for k, planned in enumerate(plan):
            total += len(planned.parties)
            if total > self.max_queries:
                return plan[:k], [f"limits.max_stance_queries: {self.max_queries:,} stance judgments reached; "
                                  f"{len(plan) - k:,} statements from {statements[planned.index].id} on got no stances"]
        return plan, []

    def _judge_in_time(self, plan: list[PlannedStatement], statements):
        """One long document's probabilities, :data:`SLICE` statements at a time, until ``max_seconds``."""
        start, probs = time.monotonic(), []
        for k in range(0, len(plan), SLICE):
            if time.monotonic() - start > self.max_seconds:
                return plan[:k], probs, [f"limits.max_stance_seconds: stance judging stopped after "
                                         f"{self.max_seconds:g} s; {len(plan) - k:,} statements from "
                                         f"{statements[plan[k].index].id} on got no stances"]
            probs += self.classifier.judge([p.query for p in plan[k : k + SLICE]])
        return plan, probs, []
