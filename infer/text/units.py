"""``doc_text(doc)``: a spaCy Doc's text, built once.

``Doc.text`` joins every token's text on each access; reading it per token or per candidate
makes a stage quadratic in the article's length. Stages read it through this function.
"""

from __future__ import annotations

_KEY = "claimstance.text"


def doc_text(doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_KEY] = text
    return text
