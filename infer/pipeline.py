"""The pipeline: text -> parse -> segments (rules + tagger) -> speakers and parties -> stance -> records.

It only composes the stages (one subpackage each). Load it once (models are heavy) and call it on
one text, or stream many through :meth:`Pipeline.pipe`, which runs each stage on a whole batch of
documents (``batch_size``): the parser, the tagger's windows and the stance model's queries, each
model's inputs sorted by length so that padding stays small. A document a stage fails on gets an
error record; the others go on (:mod:`claimstance.infer.isolate`).

    from claimstance.infer.pipeline import Pipeline
    nlp = Pipeline.from_config()            # defaults, offline
    result = nlp("Kenya's President William Ruto said ...", doc_id="a1")
    for result in nlp.pipe([("a1", text1), ("a2", text2)]): ...
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator, Optional

from claimstance.config import InferConfig
from claimstance.errors import ErrorType
from claimstance.infer.entities.build import build_entities
from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.entities.parties import find_parties
from claimstance.infer.isolate import failed, map_each, map_isolated
from claimstance.infer.memory import release_memory
from claimstance.infer.segmenter import Segmenter, build_segmenter
from claimstance.infer.speakers.attribute import Attributor
from claimstance.infer.stance.stage import StanceStage, load_stance_stage
from claimstance.infer.text.parse import load_spacy, parse_texts
from claimstance.infer.text.prepare import prepare_text
from claimstance.infer.text.units import doc_text
from claimstance.records import DocumentResult, ErrorInfo, MatrixCell, Party, Span, Statement

__all__ = ["Analysis", "Pipeline"]


@dataclasses.dataclass(frozen=True)
class Analysis:
    """One document between the stages: its parse, statements, parties and stance matrix."""

    doc: object
    statements: tuple[Statement, ...]
    parties: tuple[Party, ...]
    matrix: tuple[MatrixCell, ...] = ()
    warnings: tuple[str, ...] = ()  # budgets a stage ran into (limits.*)


class Pipeline:
    def __init__(self, config: InferConfig, nlp, segmenter: Segmenter, attributor: Attributor,
                 gazetteer: Gazetteer, stance: Optional[StanceStage] = None):
        self.config = config
        self.nlp = nlp
        self.segmenter = segmenter
        self.attributor = attributor
        self.gazetteer = gazetteer
        self.stance = stance
        self.nlp.max_length = max(self.nlp.max_length, config.max_chars + 1)

    @classmethod
    def from_config(cls, config: Optional[InferConfig] = None, stance: Optional[StanceStage] = None,
                    tagger=None, nlp=None) -> "Pipeline":
        """The stages a config asks for; ``stance``, ``tagger`` and ``nlp`` (a loaded spaCy pipeline:
        the spaCy component's host) replace the configured models."""
        config = config or InferConfig()
        if stance is None and config.stance_model is not None:
            stance = load_stance_stage(config.stance_model, config.runtime, config.stance, config.limits)
        gazetteer = Gazetteer.default()
        nlp = nlp if nlp is not None else load_spacy(config.spacy_model)
        return cls(config, nlp, build_segmenter(config.segment, tagger, config.runtime),
                   Attributor(gazetteer, pronoun_window=config.attribute.pronoun_window), gazetteer, stance)

    def __call__(self, text: str, doc_id: str = "doc") -> DocumentResult:
        return next(iter(self.pipe([(doc_id, text)])))

    def pipe(self, records: Iterable[tuple[str, str]]) -> Iterator[DocumentResult]:
        """Results in input order; a text this pipeline refuses gets an error record, never an exception."""
        batch: list[tuple[str, str]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= self.config.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[tuple[str, str]]) -> list[DocumentResult]:
        """The flow, each stage over the whole batch; a failure is carried to its record."""
        texts = [self._prepare(text) for _, text in batch]  # markup blanked, offsets kept
        docs = map_isolated(self._parse, lambda text: self._parse([text])[0], texts, "parse")
        judged = self.analyse_docs(docs)
        return [self.record(doc_id, text, outcome) for (doc_id, text), outcome in zip(batch, judged)]

    def analyse_docs(self, docs: list) -> list:
        """The stages after the parse over parsed docs (a failure, as an ``ErrorInfo``, passes
        through): statements, speakers, parties, stances; an ``Analysis`` per doc. The spaCy
        component calls this on the docs of its host pipeline."""
        tags = map_isolated(self.segmenter.tag, lambda doc: self.segmenter.tag([doc])[0], docs, "tagger")
        candidates = map_each(lambda doc_tags: self.segmenter(*doc_tags), _columns(docs, tags), "segment")
        analyses = map_each(self._attribute, _columns(docs, candidates), "attribute")  # speakers, parties
        return map_isolated(self._judge, lambda a: self._judge([a])[0], analyses, "stance")

    # -- the stages -----------------------------------------------------------------------------
    def _prepare(self, text) -> str | ErrorInfo:
        """The parser's text, or why this text is refused before parsing."""
        if not isinstance(text, str):
            return ErrorInfo(ErrorType.INVALID_TEXT, f"text must be a string, got {type(text).__name__}")
        if len(text) > self.config.max_chars:
            return ErrorInfo(ErrorType.TEXT_TOO_LONG, f"text has {len(text):,} characters; the limit is "
                                                      f"{self.config.max_chars:,} (max_chars)")
        return prepare_text(text, strip_html=self.config.strip_html)

    def _parse(self, texts: list[str]) -> list:
        docs = parse_texts(self.nlp, texts, self.config.batch_size)  # a long text a run of paragraphs at a time
        release_memory()  # the parser's working memory, before the models need theirs
        return docs

    def _attribute(self, doc_and_candidates: tuple) -> Analysis:
        """Speakers (mention -> canonical speaker -> party) for the candidates, and the parties."""
        doc, candidates = doc_and_candidates
        index = build_entities(doc, self.gazetteer)
        limit, warnings = self.config.limits.max_statements, ()
        if len(candidates) > limit:  # the first ones, in text order
            warnings = (f"limits.max_statements: {len(candidates):,} statements found, the first {limit:,} kept",)
            candidates = candidates[:limit]
        statements = tuple(self.attributor(doc, candidates, index))
        return Analysis(doc, statements, find_parties(index, statements=statements), warnings=warnings)

    def _judge(self, analyses: list[Analysis]) -> list[Analysis]:
        """Stances and the matrix, the queries of all documents in one model call (a stance stage without
        ``many`` is called once per document)."""
        if self.stance is None:
            return analyses
        release_memory()  # the tagger's working memory, before the stance model needs its own
        docs = [(doc_text(a.doc), a.statements, a.parties) for a in analyses]
        many = getattr(self.stance, "many", None)
        judged = many(docs) if many is not None else [self.stance(*d) for d in docs]
        out = []
        for a, (statements, matrix, *warned) in zip(analyses, judged):  # a third item: budget warnings
            out.append(dataclasses.replace(a, statements=statements, matrix=matrix,
                                           warnings=a.warnings + tuple(warned[0] if warned else ())))
        return out

    @staticmethod
    def record(doc_id: str, text, outcome: Analysis | ErrorInfo) -> DocumentResult:
        """The output record of one analysed doc (or of its failure)."""
        if failed(outcome):
            return DocumentResult.failed(doc_id, outcome)
        try:
            result = DocumentResult(doc_id, outcome.statements, outcome.parties, outcome.matrix, warnings=outcome.warnings)
            return _retext(result, text) if text != doc_text(outcome.doc) else result
        except Exception as exc:  # noqa: BLE001 - never an exception out of pipe()
            return DocumentResult.failed(doc_id, ErrorInfo.from_exception(exc, "record"))


def _columns(*columns: list) -> list:
    """Row-wise tuples of stage outputs; a row with a failure in any column is that failure."""
    return [next((x for x in row if failed(x)), row) for row in zip(*columns)]


def _retext(result: DocumentResult, original: str) -> DocumentResult:
    """Span texts from the input as given (markup that was blanked out for the parser reappears)."""

    def fix(span: Optional[Span]) -> Optional[Span]:
        return None if span is None else dataclasses.replace(span, text=original[span.start : span.end])

    statements = tuple(
        dataclasses.replace(
            s,
            content=fix(s.content),
            cue=fix(s.cue),
            speaker=dataclasses.replace(s.speaker, mention=fix(s.speaker.mention)) if s.speaker else None,
        )
        for s in result.statements
    )
    parties = tuple(dataclasses.replace(p, mentions=tuple(fix(m) for m in p.mentions)) for p in result.parties)
    return dataclasses.replace(result, statements=statements, parties=parties)
