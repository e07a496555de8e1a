"""The parse: a spaCy pipeline loaded once per process, whose sentences never cross a paragraph break.

News paragraphs never share a sentence, but the small parser sometimes runs a sentence over a
blank line (after a closing quote especially), and then a statement's content swallows the next
paragraph. The component registered here sets ``is_sent_start`` after every paragraph break
before the parser runs, so the parser respects the break.
"""

from __future__ import annotations

import functools

from spacy.language import Language

from claimstance.models import resolve_spacy_model

__all__ = ["NOMINAL_SUBJECT_DEPS", "PARAGRAPH_BREAKS", "SUBJECT_DEPS", "load_spacy", "sentences_at_paragraphs"]

PARAGRAPH_BREAKS = "claimstance_paragraph_breaks"
# dependency labels of a clause's subject in spaCy's English parse
NOMINAL_SUBJECT_DEPS = ("nsubj", "nsubjpass")
SUBJECT_DEPS = NOMINAL_SUBJECT_DEPS + ("csubj",)


@Language.component(PARAGRAPH_BREAKS)
def sentences_at_paragraphs(doc):
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if prev.is_space and "\n" in prev.text:
            token.is_sent_start = True
        elif "\n\n" in prev.whitespace_ or (prev.text.endswith("\n") and prev.is_space):
            token.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm", disable: tuple[str, ...] = (), paragraph_breaks: bool = True):
    """Load a spaCy pipeline once per process; by default sentences never cross a paragraph break."""
    import spacy

    nlp = spacy.load(resolve_spacy_model(name), disable=list(disable))
    if paragraph_breaks and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp
