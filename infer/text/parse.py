"""A spaCy component that starts a new sentence after every paragraph break.

News paragraphs never share a sentence, but the small parser sometimes runs a sentence
over a blank line (after a closing quote especially), and then a statement's content
swallows the next paragraph. Setting ``is_sent_start`` before the parser runs makes it
respect the break.
"""

from __future__ import annotations

from spacy.language import Language

NAME = "claimstance_paragraph_breaks"


@Language.component(NAME)
def paragraph_breaks(doc):
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if prev.is_space and "\n" in prev.text:
            token.is_sent_start = True
        elif "\n\n" in prev.whitespace_ or (prev.text.endswith("\n") and prev.is_space):
            token.is_sent_start = True
    return doc
