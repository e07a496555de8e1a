"""Titles and honorifics around a person's name: which words they are, the gender they show, the role phrases."""

from __future__ import annotations

from typing import Optional

from claimstance.infer.words import GENDERED, HONORIFICS, TITLE_ABBREVIATIONS, TITLE_MODIFIERS, TITLE_WORDS

__all__ = ["gender_of_word", "is_title_token", "titles_in"]


def is_title_token(word: str) -> bool:
    """Whether a word is an honorific, title or title modifier ("Mr.", "President", "Foreign")."""
    w = word.lower()
    return w.rstrip(".") in HONORIFICS or w in TITLE_WORDS or w in TITLE_MODIFIERS


def gender_of_word(word: str) -> Optional[str]:
    """The gender an honorific or gendered title shows ("Mrs." -> "female"), else None."""
    return GENDERED.get(word.lower().rstrip("."))


def titles_in(words: list[str]) -> list[str]:
    """Lower-cased role phrases in a run of words: ["Indian", "Foreign", "Minister"] -> ["foreign minister"];
    an abbreviated honorific gives its title (["Vermont", "Sen"] -> ["senator"])."""
    out, low, i = [], [TITLE_ABBREVIATIONS.get(w.lower(), w.lower()) for w in words], 0
    while i < len(low):
        w, j, skip = low[i], i, 0
        if w == "secretary" and low[i + 1 : i + 2] == ["general"]:
            w, skip = "secretary-general", 1
        elif w == "secretary" and low[i + 1 : i + 3] == ["of", "state"]:
            w, skip = "secretary of state", 2
        if w in TITLE_WORDS or skip:
            while j > 0 and low[j - 1] in TITLE_MODIFIERS:
                j -= 1
            out.append(" ".join(low[j:i] + [w]))
        i += 1 + skip
    return out
