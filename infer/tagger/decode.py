"""Decode tagger output: BIO tags over word pieces -> segments -> attributions (content, cue, source).

Tags come from :func:`viterbi`: the most probable sequence in which ``I-X`` only follows ``B-X`` or
``I-X``, so one doubtful piece cannot cut a content in two. Segments are maximal runs of pieces with one role (a ``B-`` tag, or an ``I-`` tag after another
role, starts a new one). Attributions are anchored on cues, as in PolNeAR, where nearly every
relation has one:

- cue segments that follow each other with nothing but spaces, a source or a few words between
  them and no content segment in between form one (possibly discontinuous) cue:
  ``according to``, ``said ... in a statement``;
- every content segment joins the cue nearest to it in its own sentence, except a cue inside the
  content's own quotation (that cue is the quoted speaker's: "“This is no gift, and Kenya
  negotiated every line"); a quotation with no cue in its sentence joins the content just before
  it when only a sentence break lies between (the quotation going on after "he said."), unless it
  is left open at its paragraph's end and the next paragraph reopens one: then it joins that one's
  attribution; else it is a statement with no cue;
- every cue takes the source segment nearest to it in its sentence; one source may serve several
  cues ("X said A and added B");
- content parts with only spaces between them are joined.

The distance between two segments is the number of characters between them, plus a large
penalty for every sentence end and paragraph break in between, so a cue never reaches across a
sentence for a content that has a cue of its own.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np

from claimstance.infer.text.marks import ALL_MARKS, CLOSING, DOUBLE_MARKS, OPENING, content_kind
from claimstance.infer.tagger.encoding import TAGS
from claimstance.infer.text.units import PARAGRAPH, SENTENCE_END
from claimstance.records import Span, Speaker, Statement

__all__ = ["Segment", "Attribution", "Groups", "viterbi", "segments_from_tags", "group_segments", "join_sources", "quotation_end",
           "cue_groups", "decode"]

SENTENCE_COST = 1_000
PARAGRAPH_COST = 10_000
MAX_CUE_GAP = 40  # characters between two cue segments that form one cue


@dataclass(frozen=True)
class Segment:
    role: str  # SOURCE | CUE | CONTENT
    start: int
    end: int


@dataclass
class Attribution:
    """One decoded attribution: sorted, non-overlapping character parts per role."""

    content: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    source: list[tuple[int, int]] = field(default_factory=list)
    source_options: list[tuple[int, int]] = field(default_factory=list)  # tagged sources in the cue's sentence

    @property
    def start(self) -> int:
        return self.content[0][0]


def _allowed() -> np.ndarray:
    """Transitions (previous tag, tag) that BIO allows: ``I-X`` only after ``B-X`` or ``I-X``."""
    ok = np.ones((len(TAGS), len(TAGS)), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            ok[:, j] = [prev in (f"B-{tag[2:]}", tag) for prev in TAGS]
    return ok


ALLOWED = _allowed()


def viterbi(log_probs: np.ndarray) -> list[int]:
    """The most probable tag sequence that BIO allows (pieces x tags log-probabilities in)."""
    n = len(log_probs)
    if n == 0:
        return []
    penalty = np.where(ALLOWED, 0.0, -np.inf)
    start_ok = np.array([not t.startswith("I-") for t in TAGS])
    score = np.where(start_ok, log_probs[0], -np.inf)
    back = np.zeros((n, len(TAGS)), dtype=np.int64)
    for i in range(1, n):
        cand = score[:, None] + penalty  # previous x current
        back[i] = cand.argmax(0)
        score = cand.max(0) + log_probs[i]
    tags = [int(score.argmax())]
    for i in range(n - 1, 0, -1):
        tags.append(int(back[i, tags[-1]]))
    return tags[::-1]


def segments_from_tags(tags: Sequence[int], offsets: Sequence[tuple[int, int]], text: str) -> list[Segment]:
    """Runs of one role over the pieces, as character spans trimmed of surrounding spaces."""
    out: list[Segment] = []
    role, start, end = None, 0, 0
    for tag_id, (s, e) in zip(tags, offsets):
        if e <= s:
            continue
        tag = TAGS[tag_id]
        new_role = None if tag == "O" else tag[2:]
        if new_role is not None and new_role == role and tag[0] == "I":
            end = e
            continue
        if role is not None:
            out.append(Segment(role, start, end))
        role, start, end = new_role, s, e
    if role is not None:
        out.append(Segment(role, start, end))
    out = [piece for seg in out for piece in _split_paragraphs(seg, text)]
    return [seg for seg in (_strip(s, text) for s in out) if seg is not None]


def _split_paragraphs(seg: Segment, text: str) -> list[Segment]:
    """A content run cut at each paragraph break, unless the next paragraph reopens a quotation
    (a quote running over paragraphs); other roles are never that long."""
    if seg.role != "CONTENT":
        return [seg]
    out, start = [], seg.start
    for m in PARAGRAPH.finditer(text, seg.start, seg.end):
        if m.end() < seg.end and text[m.end()] not in ALL_MARKS:
            out.append(Segment(seg.role, start, m.start()))
            start = m.end()
    out.append(Segment(seg.role, start, seg.end))
    return out


def _strip(seg: Segment, text: str) -> Optional[Segment]:
    s, e = seg.start, seg.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Segment(seg.role, s, e) if e > s else None


class Gaps:
    """Distances between spans of one text: characters between them plus break penalties (bisect)."""

    def __init__(self, text: str):
        # where the space after a sentence end or a paragraph break finishes: a break lies in a gap
        # when that position does, even if its full stop ends the span before ('"It failed." Ms. Lee')
        self.ends = [m.end() for m in SENTENCE_END.finditer(text)]
        self.paragraphs = [m.end() for m in PARAGRAPH.finditer(text)]

    def cost(self, a: tuple[int, int], b: tuple[int, int]) -> int:
        lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
        if hi <= lo:
            return 0
        n_ends = bisect.bisect_right(self.ends, hi) - bisect.bisect_right(self.ends, lo)
        n_paragraphs = bisect.bisect_right(self.paragraphs, hi) - bisect.bisect_right(self.paragraphs, lo)
        return hi - lo + SENTENCE_COST * n_ends + PARAGRAPH_COST * n_paragraphs

    def nearest(self, span: tuple[int, int], groups: "Groups", limit: int,
                skip: Optional[Callable[[list[tuple[int, int]]], bool]] = None) -> Optional[int]:
        """The group whose nearest part is closest to ``span``, if closer than ``limit`` (groups that
        ``skip`` rejects are passed over). Only the groups within ``limit`` are looked at."""
        best, best_cost = None, limit
        for g in groups.near(span, limit):
            parts = groups.groups[g]
            if parts[0][0] - span[1] > limit or span[0] - parts[-1][1] > limit or (skip is not None and skip(parts)):
                continue
            cost = min(self.cost(span, p) for p in parts)
            if cost < best_cost:
                best, best_cost = g, cost
        return best


class Groups:
    """Groups of spans (cues, sources), indexed by their first part's start: ``near`` gives the
    groups that can lie within a distance of a span in O(log n + hits), so that grouping an article
    of thousands of statements stays linear."""

    def __init__(self, groups: list[list[tuple[int, int]]]):
        self.groups = groups
        self.order = sorted(range(len(groups)), key=lambda g: groups[g][0][0])
        self.starts = [groups[g][0][0] for g in self.order]
        self.reach = max((parts[-1][1] - parts[0][0] for parts in groups), default=0)

    def near(self, span: tuple[int, int], limit: int) -> list[int]:
        lo = bisect.bisect_left(self.starts, span[0] - limit - self.reach)
        hi = bisect.bisect_right(self.starts, span[1] + limit)
        return sorted(self.order[lo:hi])  # in the groups' own order: the first of equal costs wins, as before

    def __getitem__(self, g: int) -> list[tuple[int, int]]:
        return self.groups[g]


def cue_groups(cues: list[Segment], contents: list[Segment], gaps: Gaps) -> list[list[tuple[int, int]]]:
    """Cue segments joined into cues: close together, same sentence, no content between."""
    groups: list[list[tuple[int, int]]] = []
    content_starts = sorted(c.start for c in contents)
    for cue in cues:
        if groups:
            prev_end = groups[-1][-1][1]
            between = bisect.bisect_left(content_starts, cue.start) > bisect.bisect_left(content_starts, prev_end)
            if not between and gaps.cost((prev_end, prev_end), (cue.start, cue.start)) <= MAX_CUE_GAP:
                groups[-1].append((cue.start, cue.end))
                continue
        groups.append([(cue.start, cue.end)])
    return groups


def group_segments(segments: Sequence[Segment], text: str) -> list[Attribution]:
    """Attributions in text order (by content start); cues and sources with no content are dropped."""
    segments = sorted(segments, key=lambda s: (s.start, s.end))
    gaps = Gaps(text)
    contents = [s for s in segments if s.role == "CONTENT"]
    groups = cue_groups([s for s in segments if s.role == "CUE"], contents, gaps)
    indexed = Groups(groups)
    by_cue: dict[int, Attribution] = {}
    loose: list[Attribution] = []
    previous: Optional[Attribution] = None
    previous_end = -1
    for seg in contents:
        span = (seg.start, seg.end)
        quote_end = quotation_end(text, seg.start)
        # a cue inside the content's own quotation is the quoted speaker's, not the quotation's
        in_quote = (lambda parts: seg.start < parts[0][0] < quote_end) if quote_end else None  # noqa: B023
        g = gaps.nearest(span, indexed, SENTENCE_COST, skip=in_quote)
        if g is not None:
            attribution = by_cue.setdefault(g, Attribution(cue=list(groups[g])))
        elif previous is not None and text[seg.start] in ALL_MARKS and not _runs_on(text, quote_end) \
                and gaps.cost((previous_end, previous_end), span) < 2 * SENTENCE_COST:
            attribution = previous  # the quotation goes on after the sentence with the cue
        else:
            attribution = Attribution()
            loose.append(attribution)
        attribution.content.append(span)
        previous, previous_end = attribution, seg.end
    sources = Groups([[part] for part in join_sources([s for s in segments if s.role == "SOURCE"], text)])
    for attribution in by_cue.values():  # a source may serve several cues ("X said A and added B")
        g = gaps.nearest(attribution.cue[0], sources, SENTENCE_COST)
        if g is not None:
            attribution.source.append(sources[g][0])
    out = list(by_cue.values()) + _carry_open_quotes(loose, by_cue, text)
    for a in out:
        a.content = _join_touching(sorted(a.content), text)
    return sorted(out, key=lambda a: a.start)


def quotation_end(text: str, start: int) -> int:
    """Where the double-quoted quotation opened at ``start`` ends (its closing mark, else its
    paragraph's end); 0 when no double quotation mark opens there."""
    if text[start] not in DOUBLE_MARKS or text[start] not in OPENING:
        return 0
    paragraph = PARAGRAPH.search(text, start)
    stop = paragraph.start() if paragraph else len(text)
    close = next((k for k in range(start + 1, stop) if text[k] in CLOSING and text[k] in DOUBLE_MARKS), None)
    return stop if close is None else close


def _runs_on(text: str, quote_end: int) -> bool:
    """The quotation ending at ``quote_end`` is left open at its paragraph's end, and the next
    paragraph reopens one: it goes on there (:func:`_carry_open_quotes`), not with the sentence before."""
    if not quote_end or quote_end >= len(text) or text[quote_end] in CLOSING:
        return False
    rest = text[quote_end:].lstrip()
    return bool(rest) and rest[0] in OPENING


def _carry_open_quotes(loose: list[Attribution], by_cue: dict[int, Attribution], text: str) -> list[Attribution]:
    """A quotation left open at a paragraph's end goes on in the next paragraph, which reopens it
    ("“When our predecessors ... behind us.\n\n“We owe it ...,” the minister told"): a cue-less
    quotation joins the attribution of the content that reopens it, also when words of its own
    quotation follow it untagged or tagged as another's ("... partners, and Kenya negotiated every
    line of it.\n\n“Those who ...,” Ruto said"). The loose ones left are returned."""
    owner = {p[0]: a for a in by_cue.values() for p in a.content}
    starts = sorted(owner)
    kept = []
    for a in loose:
        end = a.content[-1][1]
        i = bisect.bisect_left(starts, end)
        nxt = starts[i] if i < len(starts) else None
        gap = text[end:nxt] if nxt is not None else ""
        quote_end = quotation_end(text, a.content[0][0])
        if nxt is not None and text[a.content[0][0]] in OPENING and text[nxt] in OPENING and (
                (PARAGRAPH.search(gap) and not gap.strip(" .,;:!?\n") and text[end - 1] not in CLOSING)
                or (_runs_on(text, quote_end) and not text[quote_end:nxt].strip())):
            owner[nxt].content.extend(a.content)
        else:
            kept.append(a)
    return kept


def join_sources(sources: list[Segment], text: str) -> list[tuple[int, int]]:
    """Source segments with only spaces and commas between them are one source: "Hungary, which
    borders both countries," may come out as two runs."""
    out: list[tuple[int, int]] = []
    for seg in sources:
        if out and not text[out[-1][1] : seg.start].strip(" ,\n"):
            out[-1] = (out[-1][0], seg.end)
        else:
            out.append((seg.start, seg.end))
    return out


def _join_touching(parts: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    out = [parts[0]]
    for s, e in parts[1:]:
        if not text[out[-1][1] : s].strip():
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def decode(tags: Sequence[int], offsets: Sequence[tuple[int, int]], text: str) -> list[Attribution]:
    return group_segments(segments_from_tags(tags, offsets, text), text)


def source_span(a: Attribution) -> Optional[tuple[int, int]]:
    """The attribution's source: grouping gives each cue at most one, the nearest in its sentence."""
    return a.source[0] if a.source else None


def to_statements(attributions: Sequence[Attribution], text: str) -> list:
    """Statements straight from the tagger (source mention as tagged, no speaker resolution)."""
    out = []
    for n, a in enumerate(attributions, start=1):
        content = Span.from_parts(text, a.content)
        cue = Span.from_parts(text, a.cue) if a.cue else None
        src = source_span(a)
        speaker = Speaker(text[src[0]:src[1]], Span.of(text, *src)) if src else None
        kind = content_kind(" ".join(text[s:e] for s, e in content.parts) if content.parts else content.text)
        out.append(Statement(f"s{n}", kind, content, cue, speaker))
    return out
