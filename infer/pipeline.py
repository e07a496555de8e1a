"""The pipeline: text -> parse (+ tagger) -> segment -> attribute -> parties -> stance -> DocumentResult.

It only composes the stages. Load it once (models are heavy) and call it on one text or
stream many through :meth:`Pipeline.pipe`, which batches across the documents of a batch
(``batch_size``): the parser, the tagger's windows and the stance model's queries, each model's
inputs sorted by length so that padding stays small.

    from claimstance.infer.pipeline import Pipeline
    nlp = Pipeline.from_config()            # defaults, offline
    result = nlp("Kenya's President William Ruto said ...", doc_id="a1")
    for result in nlp.pipe([("a1", text1), ("a2", text2)]): ...
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Iterator, Optional, Protocol

from claimstance.config import InferConfig
from claimstance.infer.speakers.attribute import Attributor
from claimstance.infer.rules.cues import CueLexicon
from claimstance.infer.text.units import doc_text
from claimstance.infer.entities.build import build_entities
from claimstance.infer.entities.gazetteer import Gazetteer
from claimstance.infer.entities.parties import find_parties
from claimstance.infer.rules.segment import Segmenter
from claimstance.infer.text.prepare import prepare_text
from claimstance.models import load_spacy
from claimstance.records import DocumentResult, MatrixCell, Party, Span, Statement


class StanceStage(Protocol):
    """Where the stance model plugs in: statements and parties in, judged statements and matrix out."""

    def __call__(
        self, text: str, statements: tuple[Statement, ...], parties: tuple[Party, ...]
    ) -> tuple[tuple[Statement, ...], tuple[MatrixCell, ...]]: ...


def load_tagger(model: str, runtime: str = "torch"):
    """The attribution tagger for a model folder (``"default"``: the shipped model)."""
    from claimstance.infer.tagger.model import AttributionTagger, resolve_tagger_model

    return AttributionTagger.load(resolve_tagger_model(model), runtime=runtime)


def load_stance_stage(model: str, runtime: str = "torch") -> StanceStage:
    """The model-backed stance stage for a model folder (``"default"``: the shipped model)."""
    from claimstance.infer.stance.stage import ModelStanceStage
    from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model

    return ModelStanceStage(StanceClassifier.load(resolve_stance_model(model), runtime=runtime))


class Pipeline:
    def __init__(self, config: InferConfig, nlp, segmenter: Segmenter, attributor: Attributor,
                 gazetteer: Gazetteer, stance: Optional[StanceStage] = None, tagger=None):
        if config.segment.mode != "rules" and tagger is None:
            raise ValueError(f"segment.mode {config.segment.mode!r} needs an attribution tagger")
        self.config = config
        self.tagger = tagger if config.segment.mode != "rules" else None
        self.nlp = nlp
        self.segmenter = segmenter
        self.attributor = attributor
        self.gazetteer = gazetteer
        self.stance = stance
        self.nlp.max_length = max(self.nlp.max_length, config.max_chars + 1)

    @classmethod
    def from_config(cls, config: Optional[InferConfig] = None, stance: Optional[StanceStage] = None,
                    tagger=None) -> "Pipeline":
        config = config or InferConfig()
        nlp = load_spacy(config.spacy_model)
        lexicon = CueLexicon.from_tsv(min_precision=config.segment.cue_min_precision,
                                      min_count=config.segment.cue_min_count,
                                      noun_min_precision=config.segment.noun_cue_min_precision)
        gazetteer = Gazetteer.default()
        if stance is None and config.stance_model is not None:
            stance = load_stance_stage(config.stance_model, config.runtime)
        if tagger is None and config.segment.mode != "rules":
            tagger = load_tagger(config.segment.tagger_model, config.runtime)
        return cls(
            config,
            nlp,
            Segmenter(lexicon, min_quote_words=config.segment.min_quote_words),
            Attributor(gazetteer, pronoun_window=config.attribute.pronoun_window),
            gazetteer,
            stance,
            tagger,
        )

    def __call__(self, text: str, doc_id: str = "doc") -> DocumentResult:
        return next(iter(self.pipe([(doc_id, text)])))

    def pipe(self, records: Iterable[tuple[str, str]]) -> Iterator[DocumentResult]:
        """Results in input order; a text this pipeline refuses gets an error record, never an exception."""
        pending: list[tuple[str, str, Optional[str]]] = []
        for doc_id, text in records:
            pending.append((doc_id, text, self._prepare(text)))
            if len(pending) >= self.config.batch_size:
                yield from self._run(pending)
                pending = []
        if pending:
            yield from self._run(pending)

    def _prepare(self, text) -> Optional[str]:
        """The parser's text, or None for a text refused before parsing (see ``_refusal``)."""
        if not isinstance(text, str) or len(text) > self.config.max_chars:
            return None
        return prepare_text(text, strip_html=self.config.strip_html)

    def _refusal(self, doc_id: str, text) -> DocumentResult:
        if not isinstance(text, str):
            return DocumentResult.failed(doc_id, "InvalidText", f"text must be a string, got {type(text).__name__}")
        return DocumentResult.failed(doc_id, "TextTooLong",
                                     f"text has {len(text):,} characters; the limit is {self.config.max_chars:,} (max_chars)")

    def _parse(self, batch: list[tuple[str, str, Optional[str]]]) -> dict[int, object]:
        """Parsed docs by batch position; a text the parser fails on is left out (and reported)."""
        ok = [(i, prepared) for i, (_, _, prepared) in enumerate(batch) if prepared is not None]
        try:
            return dict(zip((i for i, _ in ok), self.nlp.pipe((p for _, p in ok), batch_size=self.config.batch_size)))
        except Exception:  # one bad text must not sink its batch: parse one by one
            docs: dict[int, object] = {}
            for i, prepared in ok:
                try:
                    docs[i] = self.nlp(prepared)
                except Exception as exc:
                    docs[i] = exc
            return docs

    def _tag(self, docs: dict[int, object]) -> dict[int, object]:
        """Tagger attributions by batch position, the windows of all texts batched together; a text
        the tagger fails on gets the exception, so only its record fails."""
        if self.tagger is None:
            return {}
        ok = {i: doc_text(d) for i, d in docs.items() if not isinstance(d, Exception)}
        try:
            return dict(zip(ok, self.tagger.attributions(list(ok.values()))))
        except Exception:
            out: dict[int, object] = {}
            for i, text in ok.items():
                try:
                    out[i] = self.tagger.attributions([text])[0]
                except Exception as exc:
                    out[i] = exc
            return out

    def _run(self, batch: list[tuple[str, str, Optional[str]]]) -> Iterator[DocumentResult]:
        docs = self._parse(batch)
        tagged = self._tag(docs)
        staged: dict[int, object] = {}  # batch position -> (doc, statements, parties) or the exception
        for i, (doc_id, text, _prepared) in enumerate(batch):
            doc = docs.get(i)
            if doc is None:
                continue
            try:
                if isinstance(doc, Exception):
                    raise doc
                if isinstance(tagged.get(i), Exception):
                    raise tagged[i]
                staged[i] = (doc, *self._stages(doc, tagged.get(i)))
            except Exception as exc:  # a stage failing on one document must not stop the batch
                staged[i] = exc
        judged = self._judge_many({i: v for i, v in staged.items() if not isinstance(v, Exception)})
        for i, (doc_id, text, _prepared) in enumerate(batch):
            if i not in staged:
                yield self._refusal(doc_id, text)
                continue
            outcome = judged.get(i, staged[i])
            try:
                if isinstance(outcome, Exception):
                    raise outcome
                doc, statements, parties, matrix = outcome
                result = DocumentResult(doc_id, statements, parties, matrix)
                yield _retext(result, text) if text != doc_text(doc) else result
            except Exception as exc:  # never an exception out of pipe(): an error record
                yield DocumentResult.failed(doc_id, type(exc).__name__, str(exc) or repr(exc))

    def _stages(self, doc, tagged=None) -> tuple[tuple[Statement, ...], tuple[Party, ...]]:
        candidates = self.candidates(doc, tagged)
        index = build_entities(doc, self.gazetteer)
        return tuple(self.attributor(doc, candidates, index)), find_parties(index)

    def _judge_many(self, staged: dict[int, tuple]) -> dict[int, object]:
        """Stance for the staged documents: their queries in one model call when the stage can
        (``many``), else one by one; a document the stage fails on gets the exception."""
        if self.stance is None:
            return {i: (doc, statements, parties, ()) for i, (doc, statements, parties) in staged.items()}
        keys = list(staged)
        many = getattr(self.stance, "many", None)
        if many is not None:
            try:
                results = many([(doc_text(doc), st, parties) for doc, st, parties in staged.values()])
                if len(results) != len(keys):
                    raise RuntimeError(f"the stance stage gave {len(results)} results for {len(keys)} documents")
                return {i: (staged[i][0], st, staged[i][2], matrix) for i, (st, matrix) in zip(keys, results)}
            except Exception:
                pass  # one document broke the batch: find it, one by one
        out: dict[int, object] = {}
        for i in keys:
            doc, statements, parties = staged[i]
            try:
                judged, matrix = self.stance(doc_text(doc), statements, parties)  # same offsets, markup blanked
                out[i] = (doc, judged, parties, matrix)
            except Exception as exc:
                out[i] = exc
        return out

    def candidates(self, doc, tagged=None) -> list:
        """Segmenter candidates of the configured ``segment.mode`` (infer/tagger_segment.py)."""
        mode = self.config.segment.mode
        if mode == "rules":
            return self.segmenter(doc)
        from claimstance.infer.tagger.candidates import combine, tagger_candidates

        if tagged is None:
            tagged = self.tagger.attributions([doc_text(doc)])[0]
        rules = self.segmenter(doc) if mode in ("union", "rules_first") else []
        return combine(mode, doc, rules, tagger_candidates(tagged, doc_text(doc), doc))


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
