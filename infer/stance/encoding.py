"""The stance model's input, built by one function for training and for inference.

The model reads one **statement** and judges the speaker's stance toward **every target marked in
it, in one encoder pass**:

* first segment, the speaker's own words: the statement's content, its cue and the speaker's
  mention, with the speaker marked ``<< ... >>`` and each target ``[[ ... ]]`` in place. A speaker
  whose mention is not in these words (a pronoun resolved far back, a data set without a span) is
  named in front: ``<< William Ruto >> : ...``.
* second segment, only when a target is not in the speaker's words: the smallest linking context
  (the target's own sentence, or its bare name), the target marked there. The segment boundary
  tells the model these are not the speaker's words.

The classifier reads the hidden states at the markers (typed: ``<<`` for the speaker, ``[[`` for
a target), as relation classifiers do: per target, ``[CLS; speaker marker; target marker]``.
:class:`StanceQuery` is one (speaker, target) pair, the form of the training records and of
``claimstance stance``; :func:`group_queries` gathers the pairs that share a text and a speaker
into one :class:`StatementQuery`, so that they, too, take one pass.

Long texts are cut to a window of ``max_chars`` characters around the marks, so that truncation by
the tokenizer never drops them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

__all__ = ["SPEAKER_MARKS", "TARGET_MARKS", "StanceQuery", "StatementQuery", "Target", "Encoded", "build_segments",
           "encode_statements", "find_name", "group_queries", "query_from_example"]

SPEAKER_MARKS = ("<< ", " >>")
TARGET_MARKS = ("[[ ", " ]]")
CONTEXT_JOIN = " … "
DEFAULT_MAX_CHARS = 500
CONTEXT_MAX_CHARS = 240  # per target outside the speaker's words


@dataclass(frozen=True)
class StanceQuery:
    """What the stance of ``speaker`` (None: the text itself) toward ``target`` is in ``text``."""

    text: str
    speaker: Optional[str]
    target: str
    speaker_span: Optional[tuple[int, int]] = None
    target_span: Optional[tuple[int, int]] = None


@dataclass(frozen=True)
class Target:
    """A target of a statement: its name and the mention to mark, in the statement's ``text``
    (``in_context=False``) or in its ``context``; ``span=None``: no mention, the bare name is
    given as context."""

    name: str
    span: Optional[tuple[int, int]] = None
    in_context: bool = False


@dataclass(frozen=True)
class StatementQuery:
    """The stance of ``speaker`` toward each of ``targets`` in the speaker's words ``text``;
    ``context``: the linking text of the targets outside them (never presented as the speaker's)."""

    text: str
    speaker: Optional[str]
    targets: tuple[Target, ...]
    speaker_span: Optional[tuple[int, int]] = None
    context: str = ""


def find_name(text: str, name: str) -> Optional[tuple[int, int]]:
    """The first whole-word, case-sensitive occurrence of ``name`` in ``text``, else ``None``."""
    m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
    return (m.start(), m.end()) if m else None


def query_from_example(example) -> StanceQuery:
    """A ``StanceQuery`` from a ``StanceExample`` (the training record)."""
    return StanceQuery(example.text, example.speaker, example.target, example.speaker_span, example.target_span)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def group_queries(queries: Sequence[StanceQuery], one_per_pass: bool = False
                  ) -> tuple[list[StatementQuery], list[tuple[int, int]]]:
    """Statements for ``queries`` and, per query, ``(statement index, target index)``.

    Queries with the same text and speaker become one statement with several targets, unless
    ``one_per_pass``; a target whose mention overlaps one already there (the same party asked
    twice) opens a new statement."""
    statements: list[list] = []  # [text, speaker, speaker_span, [targets]]
    open_for: dict[tuple, int] = {}
    where = []
    for q in queries:
        speaker_span = q.speaker_span
        if speaker_span and q.target_span and _overlaps(speaker_span, q.target_span):
            speaker_span = None
        key = (q.text, q.speaker, speaker_span)
        i = open_for.get(key)
        target = Target(q.target, q.target_span)
        if i is not None and not one_per_pass:
            taken = statements[i][3]
            clash = any(t.name == q.target or (t.span and q.target_span and _overlaps(t.span, q.target_span))
                        for t in taken)
            if not clash:
                where.append((i, len(taken)))
                taken.append(target)
                continue
        open_for[key] = len(statements)
        where.append((len(statements), 0))
        statements.append([q.text, q.speaker, speaker_span, [target]])
    return [StatementQuery(t, s, tuple(ts), ss) for t, s, ss, ts in statements], where


def _window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """A ``[start, end)`` window of at most ``max_chars`` around the spans, with no half words at its edges."""
    if len(text) <= max_chars:
        return 0, len(text)
    if spans:
        lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    else:
        lo = hi = 0
    hi = min(hi, lo + max_chars)  # mentions far apart: keep the stretch from the first one
    start = max(0, lo - (max_chars - (hi - lo)) // 2)
    end = min(len(text), start + max_chars)
    start = max(0, end - max_chars)
    while 0 < start < lo and not text[start - 1].isspace():  # no half words at the edges
        start += 1
    while hi < end < len(text) and not text[end].isspace():
        end -= 1
    return start, end


_SENTINEL = "\ue000"  # where a mark opens, while whitespace is collapsed


def _marked(text: str, marks: list[tuple[tuple[int, int], tuple[str, str], object]], max_chars: int
            ) -> tuple[str, dict[object, int], list[object]]:
    """``text`` cut to a window around the marks, marks inserted, whitespace collapsed; the
    character offset of each mark's opening by its key, and the keys whose mention fell outside."""
    text = text.replace(_SENTINEL, " ")
    start, end = _window(text, [s for s, _, _ in marks], max_chars)
    inside = sorted((m for m in marks if start <= m[0][0] and m[0][1] <= end), key=lambda m: m[0])
    outside = [key for span, _, key in marks if not (start <= span[0] and span[1] <= end)]
    pieces, pos = [], start
    for (s, e), (open_mark, close_mark), _ in inside:
        pieces += [text[pos:s], " ", _SENTINEL, open_mark, text[s:e], close_mark, " "]
        pos = e
    pieces.append(text[pos:end])
    joined = " ".join("".join(pieces).split())
    out, at = "", {}
    for k, part in enumerate(joined.split(_SENTINEL)):
        if k:
            at[inside[k - 1][2]] = len(out)
        out += part
    return out, at, outside


def build_segments(query: StatementQuery, max_chars: int = DEFAULT_MAX_CHARS
                   ) -> tuple[str, Optional[str], Optional[int], list[tuple[int, int]]]:
    """``(speaker's words, context or None, speaker mark offset, per target (segment, offset))``:
    the two segments the model reads, where each mark opens (segment 0: first, 1: second) and the
    character offset of its opening bracket."""
    marks = []
    speaker_span = query.speaker_span if query.speaker else None
    for k, t in enumerate(query.targets):
        if t.span is not None and not t.in_context:
            marks.append((t.span, TARGET_MARKS, k))
    if speaker_span is not None and not any(_overlaps(speaker_span, s) for s, _, _ in marks):
        marks.append((speaker_span, SPEAKER_MARKS, "speaker"))
    first, at, outside = _marked(query.text, marks, max_chars)
    if query.speaker and "speaker" not in at:
        prefix = f"{SPEAKER_MARKS[0]}{' '.join(query.speaker.split())}{SPEAKER_MARKS[1]} : "
        at = {k: v + len(prefix) for k, v in at.items()}
        at["speaker"] = 0
        first = prefix + first
    positions: dict[int, tuple[int, int]] = {k: (0, v) for k, v in at.items() if k != "speaker"}
    # the targets not in the speaker's words: their context, then the bare names
    context, ctx_marks = query.context, []
    for k, t in enumerate(query.targets):
        if t.in_context and t.span is not None:
            ctx_marks.append((t.span, TARGET_MARKS, k))
    second = ""
    if ctx_marks:
        second, ctx_at, ctx_out = _marked(context, ctx_marks, max(CONTEXT_MAX_CHARS * len(ctx_marks), max_chars // 2))
        positions.update({k: (1, v) for k, v in ctx_at.items()})
        outside = outside + ctx_out
    bare = [k for k, t in enumerate(query.targets) if k not in positions]
    for k in bare:
        second += (CONTEXT_JOIN if second else "")
        positions[k] = (1, len(second))
        second += f"{TARGET_MARKS[0]}{' '.join(query.targets[k].name.split())}{TARGET_MARKS[1]}"
    return first, (second or None), at.get("speaker"), [positions[k] for k in range(len(query.targets))]


@dataclass
class Encoded:
    """Token ids of statements (unpadded lists) and where their marks are: ``speaker_pos[i]`` (token
    index, or ``None``: none) and ``target_pos[i]`` (one token index per target)."""

    features: dict[str, list[list[int]]]
    speaker_pos: list[Optional[int]]
    target_pos: list[list[int]]

    def __len__(self) -> int:
        return len(self.target_pos)

    def lengths(self) -> list[int]:
        return [len(ids) for ids in self.features["input_ids"]]


def _token_at(offsets, seq_ids, segment: int, char: int) -> Optional[int]:
    for i, ((s, e), seq) in enumerate(zip(offsets, seq_ids)):
        if seq == segment and s <= char < e:
            return i
    return None


def encode_statements(tokenizer, statements: Sequence[StatementQuery], max_length: int,
                      max_chars: int = DEFAULT_MAX_CHARS) -> Encoded:
    """Token ids and mark positions for ``statements`` (a fast tokenizer is needed for the offsets).

    A mark cut off by ``max_length`` points at token 0 ([CLS]) rather than at nothing."""
    built = [build_segments(s, max_chars) for s in statements]
    firsts = [b[0] for b in built]
    seconds = [b[1] for b in built]
    features: dict[str, list[list[int]]] = {}
    speaker_pos: list[Optional[int]] = [None] * len(built)
    target_pos: list[list[int]] = [[] for _ in built]
    # pairs and singles are tokenized apart: the tokenizer takes one or the other per call
    for has_second in (False, True):
        rows = [i for i, s in enumerate(seconds) if (s is not None) == has_second]
        if not rows:
            continue
        args = ([firsts[i] for i in rows],) + (([seconds[i] for i in rows],) if has_second else ())
        enc = tokenizer(*args, truncation="longest_first" if has_second else True, max_length=max_length,
                        padding=False, return_offsets_mapping=True)
        for j, i in enumerate(rows):
            offsets, seq_ids = enc["offset_mapping"][j], enc.sequence_ids(j)
            for key, values in enc.items():
                if key != "offset_mapping":
                    features.setdefault(key, [None] * len(built))[i] = values[j]
            if built[i][2] is not None:
                speaker_pos[i] = _token_at(offsets, seq_ids, 0, built[i][2]) or 0
            target_pos[i] = [(_token_at(offsets, seq_ids, seg, char) or 0) for seg, char in built[i][3]]
    return Encoded(features, speaker_pos, target_pos)
