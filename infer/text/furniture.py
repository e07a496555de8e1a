"""Page furniture: the lines of a page that are not the article's reporting.

- **Boilerplate lines** yield no statement: captions ("Photo: ..."), links and calls to action
  ("Read more: ...", and the headline alone on the line after a bare "Read more:"), bylines
  ("By Priya Menon"), credits ("Reporting by ..."), correction notes ("An earlier version of this
  article ...").
- **Headline and teaser lines** (:func:`headline_lines`): a short line in Title Case or in capitals
  with no sentence in it ("Senator Jones Slams Governor Smith Over Budget"). They yield no entity:
  their fragments ("Jones Slams") are never people or parties. They keep their statements (a
  headline often reports one: "Clinton Says She Will Not Quit"; PolNeAR annotates them), whose
  speakers resolve to the entities of the body.
- **Repeated paragraphs** (:func:`repeated_paragraphs`): a paragraph printed again word for word (a
  photo caption under each picture) yields its statements once, from its first copy.
- **Signed texts** (:func:`signed_blocks`): a letter or post in the first person followed by a
  signature line ("— Jane Doe, Ohio") is its signer's statement.

The phrases are in ``data/lexicons/words.yaml``; every function is one pass over the text.
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from claimstance.infer.words import (
    CAPTION_WORDS, CORRECTION_WORDS, CREDIT_WORDS, FIRST_PERSON, HEADLINE_SMALL_WORDS, LINK_WORDS,
)

__all__ = ["BOILERPLATE", "SignedBlock", "boilerplate_ranges", "credit_ranges", "headline_lines", "repeated_paragraphs",
           "signed_blocks", "without_furniture"]

_CAPTIONS, _LINKS, _CREDITS, _CORRECTIONS = (
    "|".join(map(re.escape, words)) for words in (CAPTION_WORDS, LINK_WORDS, CREDIT_WORDS, CORRECTION_WORDS))
# A byline: "By" and capitalised names, alone on their line ("By Priya Menon"; not "By then the ...").
_BYLINE_WORD = r"(?:[A-Z][\w.'\u2019-]*,?|and|in|&)"
_BYLINE = rf"(?-i:(?:By|BY)(?:[ \t]+{_BYLINE_WORD})+[ \t]*$)"
# Lines with no statement: captions, links, bylines, credit lines and correction notes.
BOILERPLATE = re.compile(rf"^\s*(?:(?:{_CAPTIONS}|{_LINKS}|{_CORRECTIONS}|(?:{_CREDITS})\s+by)\b|{_BYLINE})",
                         re.IGNORECASE)
# A link line with nothing after its colon: the line after it is the linked headline.
_BARE_LINK = re.compile(rf"^\s*(?:{_LINKS})\s*:?\s*$", re.IGNORECASE)
# Ranges with no entity of the article: byline lines, "Read more:" link lines, credits to the line's end.
_CREDIT_RANGES = re.compile(rf"(?m)^[ \t]*(?:{_BYLINE}|(?i:{_LINKS})\s*:.*$)|(?i:\b(?:{_CREDITS})\s+by\b).*$")
# A signature: a dash, then two to four capitalised words (a name), then optionally ", place", alone on its line.
_NAME_WORD = r"[A-Z][\w.'\u2019-]*"
SIGNATURE = re.compile(rf"(?m)^[ \t]*(?:\u2014|\u2013|--?|~)[ \t]*(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}})"
                       rf"(?:[ \t]*,[ \t]*[\w.'\u2019 -]{{1,60}})?[ \t]*$")
_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+\S")

MAX_HEADLINE_WORDS = 25


def _lines(text: str):
    """(start, end, line) of every line, the line break excluded."""
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield pos, pos + len(body), body
        pos += len(line)


def is_headline(line: str) -> bool:
    """A short line in Title Case ("Attacking Governor Smith, Jones Vows Fight") or in capitals, with
    no sentence break inside it: at least three words that are not small words, and all of them
    capitalised ("Chinese President Xi Jinping met Joe Biden" is a sentence)."""
    words = _WORD.findall(line)
    if SIGNATURE.match(line) or not 3 <= len(words) <= MAX_HEADLINE_WORDS or _SENTENCE_INSIDE.search(line.strip()):
        return False
    content = [w for w in words if w.lower() not in HEADLINE_SMALL_WORDS]
    if len(content) < 3:
        return False
    return all(w[0].isupper() for w in content)


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Ranges of headline and teaser lines."""
    return [(s, e) for s, e, line in _lines(text) if line.strip() and is_headline(line)]


def _paragraphs(text: str):
    """(start, end) of each paragraph (blank-line separated), whitespace trimmed."""
    for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, re.DOTALL):
        yield m.span()


def repeated_paragraphs(text: str, min_chars: int = 20) -> list[tuple[int, int]]:
    """Ranges of paragraphs that repeat an earlier one word for word (whitespace aside)."""
    seen: set[str] = set()
    out = []
    for s, e in _paragraphs(text):
        key = " ".join(text[s:e].split())
        if len(key) < min_chars:
            continue
        if key in seen:
            out.append((s, e))
        seen.add(key)
    return out


@dataclass(frozen=True)
class SignedBlock:
    """A signed text: its paragraphs (character ranges) and the signer's name in the signature line."""

    paragraphs: tuple[tuple[int, int], ...]
    name: tuple[int, int]

    @property
    def start(self) -> int:
        return self.paragraphs[0][0]

    @property
    def end(self) -> int:
        return self.paragraphs[-1][1]


MAX_SIGNED_PARAGRAPHS = 8
_FIRST_PERSON = re.compile(r"\b(?:%s)\b" % "|".join(sorted(FIRST_PERSON)), re.IGNORECASE)


def signed_blocks(text: str) -> list[SignedBlock]:
    """Texts a signature line closes: the paragraphs right above it, back to the previous signature,
    headline or furniture line (at most ``MAX_SIGNED_PARAGRAPHS``), when they speak in the first
    person ("I", "we", "our"). A report that ends on a dash and a name ("— Reuters") is not one."""
    out: list[SignedBlock] = []
    block: list[tuple[int, int]] = []
    for s, e in _paragraphs(text):
        sig = SIGNATURE.match(text, s)
        if sig is not None and sig.end() >= e:
            kept = block[-MAX_SIGNED_PARAGRAPHS:]
            if kept and any(_FIRST_PERSON.search(text, a, b) for a, b in kept):
                out.append(SignedBlock(tuple(kept), sig.span("name")))
            block = []
        elif is_headline(text[s:e]) or BOILERPLATE.match(text[s:e]):
            block = []
        else:
            block.append((s, e))
    return out


def boilerplate_ranges(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping character ranges with no statement: boilerplate lines, the headline under
    a bare "Read more:" line, and repeated paragraphs."""
    out = [(s, e) for s, e, line in _lines(text) if BOILERPLATE.match(line)]
    return _union(out + _link_headlines(text) + repeated_paragraphs(text))


def _link_headlines(text: str) -> list[tuple[int, int]]:
    """Ranges of the first non-blank line after each bare link line ("Read more:" alone)."""
    out, after_link = [], False
    for s, e, line in _lines(text):
        if not line.strip():
            continue
        if after_link:
            out.append((s, e))
        after_link = bool(_BARE_LINK.match(line))
    return out


def without_furniture(text: str) -> str:
    """The text with its boilerplate ranges blanked out (line breaks kept, offsets unchanged): what the
    tagger reads, so that a headline above a sentence does not pass for its source."""
    ranges = boilerplate_ranges(text)
    if not ranges:
        return text
    pieces, pos = [], 0
    for s, e in ranges:
        pieces.append(text[pos:s])
        pieces.append(re.sub(r"[^\n]", " ", text[s:e]))
        pos = e
    pieces.append(text[pos:])
    return "".join(pieces)


def credit_ranges(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping character ranges with no entity of the article: bylines, credits, link
    lines, the headline under a bare link line, and headline lines."""
    return _union([m.span() for m in _CREDIT_RANGES.finditer(text)] + headline_lines(text) + _link_headlines(text))


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
