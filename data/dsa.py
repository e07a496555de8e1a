"""DSA reader: directed entity-to-entity sentiment (Park, Pan, Joo, ACL-IJCNLP 2021) to ``StanceExample``.

Format (``<root>/dsa_news/{train,valid,train_under}.txt``): UTF-8, no header, 4 tab-separated
columns ``sentence-with-two-[bracketed]-entities  p  q  label``; ``p`` is the first bracket,
``q`` the second. Every row becomes TWO examples, one per direction:

| DSA id | DSA class        | p → q (speaker p, target q) | q → p (speaker q, target p) |
|--------|------------------|-----------------------------|-----------------------------|
| 0      | neutral          | neutral                     | neutral                     |
| 1      | positive, p → q  | favor                       | neutral                     |
| 2      | positive, q → p  | neutral                     | favor                       |
| 3      | negative, p → q  | against                     | neutral                     |
| 4      | negative, q → p  | neutral                     | against                     |

(DSA gives one class per pair, so the direction it does not name is read as neutral.)

``text`` is the sentence with the brackets removed; ``source`` is ``dsa:<split>:<line>:pq`` or
``dsa:<split>:<line>:qp`` (split = file stem, line 1-based).

Entity spans: DSA's brackets are often off by a character (``[Los Angele]s``, ``[Kasich’]s``) and
the entity columns repeat the truncated string. Each bracket span is *snapped*: surrounding
whitespace is trimmed, the span grows over letters/digits touching either end (``Los Angeles``),
then a trailing possessive ``'s`` / ``’s`` and leading/trailing quote marks are dropped
(``[Kasich’]s`` → ``Kasich``). The example's speaker/target is the snapped text.

Malformed rows are skipped with a logged warning and counted in ``ReadStats``: not 4 columns,
a label outside 0–4, not exactly two ``[...]`` pairs, an entity column that does not match its
bracket (after trimming whitespace and undoing CSV quoting: ``"Yassin.""The"`` → ``Yassin.""The``,
as in 38 of the released rows), or a bracket that snaps to nothing.

``dsa_class_from_directions`` goes the other way: two directed predictions back to one DSA class.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Iterator, Optional, Union

from claimstance.data.root import default_data_root
from claimstance.data.stance_examples import ReadStats, StanceExample

__all__ = [
    "DSA_CLASSES",
    "DSA_DIRECTIONS",
    "DsaRowError",
    "dsa_class_from_directions",
    "parse_dsa_line",
    "read_dsa",
    "snap_span",
]

log = logging.getLogger(__name__)

DSA_CLASSES = ("neutral", "positive p->q", "positive q->p", "negative p->q", "negative q->p")
# DSA id -> (p→q label, q→p label); the table in the module docstring.
DSA_DIRECTIONS = {
    0: ("neutral", "neutral"),
    1: ("favor", "neutral"),
    2: ("neutral", "favor"),
    3: ("against", "neutral"),
    4: ("neutral", "against"),
}
_TO_CLASS = {("pq", "favor"): 1, ("qp", "favor"): 2, ("pq", "against"): 3, ("qp", "against"): 4}

_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_QUOTES = "'\"’‘`“”"


class DsaRowError(ValueError):
    """A DSA line that cannot be read."""


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` snapped to word boundaries (see the module docstring); empty means nothing left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    if end - start > 2 and text[end - 2] in "'’" and text[end - 1] in "sS":
        end -= 2
    while end > start and text[end - 1] in _QUOTES:
        end -= 1
    while start < end and text[start] in _QUOTES:
        start += 1
    return start, end


def _unquote(column: str) -> str:
    column = column.strip()
    if len(column) >= 2 and column[0] == column[-1] == '"':
        return column[1:-1].strip()
    return column


def parse_dsa_line(line: str) -> tuple[str, tuple[int, int], tuple[int, int], int]:
    """``(text, p_span, q_span, label_id)`` from one DSA line; spans snapped. Raises ``DsaRowError``."""
    cols = line.rstrip("\r\n").split("\t")
    if len(cols) != 4:
        raise DsaRowError(f"{len(cols)} tab-separated columns, expected 4")
    sentence, p_col, q_col, label = cols
    try:
        label_id = int(label.strip())
    except ValueError:
        raise DsaRowError(f"label {label!r} is not an integer") from None
    if label_id not in DSA_DIRECTIONS:
        raise DsaRowError(f"label {label_id} is outside 0-4")
    matches = list(_BRACKET.finditer(sentence))
    if len(matches) != 2 or sentence.count("[") != 2 or sentence.count("]") != 2:
        raise DsaRowError("the sentence does not have exactly two [bracketed] entities")
    parts, spans, pos = [], [], 0
    out_len = 0
    for m in matches:
        before = sentence[pos:m.start()]
        parts.append(before)
        out_len += len(before)
        spans.append((out_len, out_len + len(m.group(1))))
        parts.append(m.group(1))
        out_len += len(m.group(1))
        pos = m.end()
    parts.append(sentence[pos:])
    text = "".join(parts)
    for m, col, name in zip(matches, (p_col, q_col), ("p", "q")):
        if m.group(1).strip() != _unquote(col):
            raise DsaRowError(f"entity {name} column {col!r} does not match its bracket [{m.group(1)}]")
    snapped = [snap_span(text, s, e) for s, e in spans]
    for (s, e), name in zip(snapped, ("p", "q")):
        if s >= e:
            raise DsaRowError(f"entity {name} is empty after snapping to word boundaries")
    if not text.strip():
        raise DsaRowError("empty sentence")
    return text, snapped[0], snapped[1], label_id


def read_dsa(path: Union[str, Path, None] = None, *, stats: Optional[ReadStats] = None) -> Iterator[StanceExample]:
    """Two ``StanceExample`` per DSA row (p→q, then q→p). ``path`` defaults to ``<data root>/dsa_news/train.txt``.

    Malformed rows are skipped with a warning and counted in ``stats`` (pass a ``ReadStats``)."""
    path = Path(path) if path is not None else default_data_root() / "dsa_news" / "train.txt"
    stats = stats if stats is not None else ReadStats()
    split = path.stem
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            stats.rows += 1
            try:
                text, p_span, q_span, label_id = parse_dsa_line(line)
            except DsaRowError as exc:
                stats.skip(_reason(exc))
                log.warning("%s:%d: skipping malformed DSA row: %s", path.name, lineno, exc)
                continue
            p, q = text[p_span[0]:p_span[1]], text[q_span[0]:q_span[1]]
            pq, qp = DSA_DIRECTIONS[label_id]
            base = f"dsa:{split}:{lineno}"
            yield StanceExample(text, p, p_span, q, q_span, pq, base + ":pq")
            yield StanceExample(text, q, q_span, p, p_span, qp, base + ":qp")
            stats.examples += 2
    if stats.skipped:
        log.warning("%s: skipped %d malformed DSA row(s) of %d", path.name, stats.skipped, stats.rows)


def _reason(exc: DsaRowError) -> str:
    msg = str(exc)
    if "columns" in msg:
        return "columns"
    if "label" in msg:
        return "label"
    if "bracketed" in msg:
        return "brackets"
    if "does not match" in msg:
        return "entity mismatch"
    return "empty"


def dsa_class_from_directions(pq: tuple[str, float], qp: tuple[str, float]) -> int:
    """One DSA class id (0–4) from two directed predictions ``(label, score)`` for p→q and q→p.

    Where a direction is favor or against, the more confident such direction decides the class
    (favor p→q = 1, favor q→p = 2, against p→q = 3, against q→p = 4); a tie goes to p→q. When
    neither direction is favor or against, the class is 0 (neutral)."""
    candidates = []
    for direction, (label, score) in (("pq", pq), ("qp", qp)):
        if label not in ("favor", "against", "neutral"):
            raise ValueError(f"{direction} label {label!r} is not favor/against/neutral")
        if label != "neutral":
            candidates.append((float(score), direction == "pq", _TO_CLASS[(direction, label)]))
    if not candidates:
        return 0
    return max(candidates)[2]
