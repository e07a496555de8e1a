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

__all__ = ["NOMINAL_SUBJECT_DEPS", "PARAGRAPH_BREAKS", "PARSE_PIECE_CHARS", "SUBJECT_DEPS", "load_spacy", "parse_texts",
           "pieces_at_paragraphs", "sentences_at_paragraphs"]

# a text longer than this is parsed a run of paragraphs at a time (see parse_texts)
PARSE_PIECE_CHARS = 20_000

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


def pieces_at_paragraphs(text: str, size: int = PARSE_PIECE_CHARS) -> list[str]:
    """``text`` cut after paragraph breaks into pieces of about ``size`` characters (a paragraph
    longer than that is one piece); joined, they are ``text`` exactly."""
    if len(text) <= size:
        return [text]
    pieces, start = [], 0
    while len(text) - start > size:
        cut = text.rfind("\n\n", start, start + size)
        if cut < 0:
            cut = text.find("\n\n", start + size)
            if cut < 0:
                break
        end = cut + 2
        while end < len(text) and text[end].isspace():
            end += 1
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return [p for p in pieces if p]


def parse_texts(nlp, texts: list[str], batch_size: int = 16, piece_chars: int = PARSE_PIECE_CHARS) -> list:
    """One ``Doc`` per text. A long text is parsed a run of paragraphs at a time and the pieces joined
    (``Doc.from_docs``; the text and offsets are the text's own): spaCy holds about 13 KB a token
    while a Doc parsed whole is alive, so a 100 KB article would keep about 300 MB; pieces keep the
    memory that of a piece. Sentences never cross a paragraph break, so the parse is the same but
    for the few words of context the encoder sees across a cut."""
    from spacy.tokens import Doc

    pieces = [pieces_at_paragraphs(t, piece_chars) for t in texts]
    short = iter(nlp.pipe([ps[0] for ps in pieces if len(ps) == 1], batch_size=batch_size))
    out = []
    for ps in pieces:
        if len(ps) == 1:
            out.append(next(short))
        else:  # one piece at a time: the parser's working memory is that of one piece
            out.append(Doc.from_docs([nlp(p) for p in ps], ensure_whitespace=False))
    return out
