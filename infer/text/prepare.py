"""Prepare raw input for the parser without moving a single character offset.

Every change keeps the text's length, so offsets found in the prepared text index the
input exactly as given: markup and control characters become spaces, and character
entities become their character padded with spaces. Lone surrogate code points (which
JSON escapes can produce; the parser cannot take them), U+FFFD (what undecodable bytes
became) and byte-order marks become spaces too.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL | re.IGNORECASE)
_BLOCK_TAG = re.compile(r"^</?(p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|blockquote)\b", re.IGNORECASE)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
# C0 controls except tab/newline/CR, DEL, BOM / zero-width no-break space, U+FFFD (what undecodable
# bytes became), non-characters, lone surrogates
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffd\ufffe\uffff\ud800-\udfff]")


def looks_like_html(text: str) -> bool:
    return len(_TAG.findall(text[:20000])) >= 2


def _blank(match: re.Match) -> str:
    s = match.group(0)
    # block-level tags end a paragraph: keep that visible to the segmenter
    if _BLOCK_TAG.match(s) and len(s) >= 2:
        return "\n\n" + " " * (len(s) - 2)
    return re.sub(r"[^\n]", " ", s)


def _entity(match: re.Match) -> str:
    s = match.group(0)
    char = html.unescape(s)
    if len(char) != 1 or char == s:
        return s
    if char == "\xa0":
        char = " "
    return char + " " * (len(s) - 1)


def prepare_text(text: str, strip_html: bool = True) -> str:
    """The text the parser sees: same length as ``text``, markup and control characters blanked."""
    out = _CONTROL.sub(" ", text)
    if strip_html and looks_like_html(out):
        out = _TAG.sub(_blank, out)
        out = _CONTROL.sub(" ", _ENTITY.sub(_entity, out))  # an entity may stand for a control character
    assert len(out) == len(text)
    return out
