"""PolNeAR reader: brat standoff attribution relations (source, cue, content) to gold records.

PolNeAR (Newell, Margolin, Ruths, LREC 2018; github networkdynamics/PolNeAR) has one
``attributions/<publisher>_<date>_<slug>_<annotator>.ann`` per annotator and article, paired
with ``text/<publisher>_<date>_<slug>.txt``. Span text is always taken from the ``.txt`` by
offset, never from the ``.ann`` line, because a few span texts contain newlines that break
the one-annotation-per-line layout.

Quirks handled (all seen in the corpus): ``Content2`` (or ``Cue2``/``Source2``) roles, whose
spans are merged into one discontinuous span with the first role's; relations without a
``Content`` role (skipped: nothing to score); roles pointing at a mark of another type (the
role wins); ``Attribution`` relations without a source and ``Attribution-no-source``
relations with one (the roles win); one source mark shared by several relations.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from claimstance.data.root import default_data_root
from claimstance.infer.text.marks import content_kind
from claimstance.records import Span

__all__ = [
    "GoldAttribution",
    "PolnearDoc",
    "PolnearFormatError",
    "default_data_root",
    "read_ann",
    "iter_polnear",
    "polnear_doc_ids",
    "polnear_split_dir",
]

log = logging.getLogger(__name__)

ROLES = ("Content", "Cue", "Source")
ANNOTATOR_MODES = ("first", "all")

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_ANY_ID = re.compile(r"^(?:[TERAMN]\d+|#\d*|\*)\t")


class PolnearFormatError(ValueError):
    """A PolNeAR folder that does not have the expected layout."""


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution relation; ``kind`` is judged from the content's quote marks."""

    id: str
    content: Span
    cue: Optional[Span]
    source: Optional[Span]
    kind: str


@dataclass(frozen=True)
class PolnearDoc:
    """One annotation file over one article; ``doc_id`` is the text file's stem."""

    doc_id: str
    text: str
    annotator: str
    publisher: str
    attributions: tuple[GoldAttribution, ...]


def span_text(span: Span, text: str) -> str:
    """The span's own characters: its parts joined by a space (brat's convention), else its text."""
    if span.parts:
        return " ".join(text[s:e] for s, e in span.parts)
    return span.text


def _parse_t(line: str, text: str, where: str) -> Optional[tuple[str, str, list[tuple[int, int]]]]:
    """A ``T`` line as (id, type, parts), or None (with a warning) when malformed or off the text."""
    m = _T_LINE.match(line)
    if not m:
        log.warning("%s: skipping malformed T line: %.80r", where, line)
        return None
    parts = [tuple(int(x) for x in piece.split()) for piece in m.group(3).split(";")]
    if any(not (0 <= s < e <= len(text)) for s, e in parts):
        log.warning("%s: skipping %s, offsets %s outside the text (%d chars)", where, m.group(1), parts, len(text))
        return None
    return m.group(1), m.group(2), parts  # type: ignore[return-value]


def _parse_e(line: str, where: str) -> Optional[tuple[str, str, list[tuple[str, str]]]]:
    """An ``E`` line as (id, relation type, [(role, T id), ...]), or None when malformed."""
    m = _E_LINE.match(line)
    args = m.group(2).split() if m else []
    pairs = [a.split(":", 1) for a in args]
    if not m or not pairs or any(len(p) != 2 for p in pairs):
        log.warning("%s: skipping malformed E line: %.80r", where, line)
        return None
    (rel_type, _), roles = pairs[0], pairs[1:]
    if not rel_type.startswith("Attribution"):
        log.warning("%s: skipping %s of unknown type %r", where, m.group(1), rel_type)
        return None
    return m.group(1), rel_type, [(r, t) for r, t in roles]


def _relation(
    eid: str, roles: list[tuple[str, str]], marks: dict[str, list[tuple[int, int]]], text: str, where: str
) -> Optional[GoldAttribution]:
    """Build one relation: merge the parts of each role (``Content``, ``Content2``, ...)."""
    parts: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    for role, tid in roles:
        base = role.rstrip("0123456789")
        if base not in parts:
            log.warning("%s: %s has unknown role %r; ignored", where, eid, role)
        elif tid not in marks:
            log.warning("%s: %s refers to missing mark %s; role %s ignored", where, eid, tid, role)
        else:
            parts[base].extend(marks[tid])
    if not parts["Content"]:
        log.warning("%s: skipping %s, it has no content span", where, eid)
        return None
    spans = {r: _merged_span(text, p) if p else None for r, p in parts.items()}
    content = spans["Content"]
    assert content is not None
    return GoldAttribution(eid, content, spans["Cue"], spans["Source"], content_kind(span_text(content, text)))


def _merged_span(text: str, parts: list[tuple[int, int]]) -> Span:
    """One span over the pieces, with overlapping or touching pieces joined."""
    merged: list[list[int]] = []
    for s, e in sorted(set(parts)):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return Span.from_parts(text, [(s, e) for s, e in merged])


def read_ann(ann_text: str, text: str, *, where: str = "<ann>") -> list[GoldAttribution]:
    """Gold attributions of one brat file, in ``E`` order; bad lines are logged and skipped.

    Continuation lines of a span text that holds a newline are recognised and skipped quietly.
    """
    marks: dict[str, list[tuple[int, int]]] = {}
    relations: list[tuple[str, list[tuple[str, str]]]] = []
    continuing = False  # inside the wrapped text of a T line whose span holds a newline
    for lineno, raw in enumerate(ann_text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not _ANY_ID.match(line):
            if line.strip() and not continuing:
                log.warning("%s:%d: skipping unrecognised line: %.80r", where, lineno, line)
            continue
        continuing = False
        if line.startswith("T"):
            parsed = _parse_t(line, text, f"{where}:{lineno}")
            if parsed:
                tid, _type, parts = parsed
                marks[tid] = parts
                continuing = any("\n" in text[s:e] for s, e in parts)
        elif line.startswith("E"):
            rel = _parse_e(line, f"{where}:{lineno}")
            if rel:
                relations.append((rel[0], rel[2]))
    out = (_relation(eid, roles, marks, text, where) for eid, roles in relations)
    return [r for r in out if r is not None]


def _split_name(ann: Path) -> tuple[str, str, str]:
    """(doc id, annotator, publisher) from ``<publisher>_<date>_<slug>_<annotator>.ann``."""
    doc_id, sep, annotator = ann.stem.rpartition("_")
    if not sep or not doc_id:
        raise PolnearFormatError(f"{ann}: name is not <publisher>_<date>_<slug>_<annotator>.ann")
    return doc_id, annotator, doc_id.split("_", 1)[0]


def _read(path: Path) -> str:
    """File text with no newline translation, so brat offsets stay exact."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _check_split_dir(split_dir: Path) -> None:
    missing = [d for d in ("text", "attributions") if not (split_dir / d).is_dir()]
    if missing:
        raise PolnearFormatError(
            f"{split_dir} is not a PolNeAR split folder: it lacks {' and '.join(d + '/' for d in missing)} "
            "(expected e.g. .../polnear/data/dev with text/*.txt and attributions/*.ann)"
        )


def _ann_files(split_dir: Path, annotators: str) -> list[tuple[str, Path]]:
    """(doc id, .ann path) pairs sorted by doc id then file name, one per doc for ``first``."""
    if annotators not in ANNOTATOR_MODES:
        raise ValueError(f"annotators must be one of {ANNOTATOR_MODES}, got {annotators!r}")
    files = sorted((_split_name(p)[0], p.name, p) for p in (split_dir / "attributions").glob("*.ann"))
    chosen: list[tuple[str, Path]] = []
    for doc_id, _name, path in files:
        if annotators == "all" or not chosen or chosen[-1][0] != doc_id:
            chosen.append((doc_id, path))
    return chosen


def polnear_doc_ids(split_dir: str | Path) -> list[str]:
    """The sorted article ids (text stems) that have at least one annotation file."""
    split_dir = Path(split_dir)
    _check_split_dir(split_dir)
    return [doc_id for doc_id, _ in _ann_files(split_dir, "first")]


def iter_polnear(split_dir: str | Path, annotators: str = "first") -> Iterator[PolnearDoc]:
    """Documents of one split (e.g. ``.../polnear/data/dev``), sorted by doc id.

    ``annotators="first"`` keeps, for an article annotated several times, the annotation file
    whose name sorts first, so each article counts once; ``"all"`` yields every file.
    """
    split_dir = Path(split_dir)
    _check_split_dir(split_dir)
    for doc_id, ann in _ann_files(split_dir, annotators):
        txt = split_dir / "text" / f"{doc_id}.txt"
        if not txt.is_file():
            log.warning("%s: no matching text file %s; skipped", ann, txt)
            continue
        text = _read(txt)
        ann_text = _read(ann)
        _, annotator, publisher = _split_name(ann)
        attributions = tuple(read_ann(ann_text, text, where=str(ann)))
        yield PolnearDoc(doc_id, text, annotator, publisher, attributions)


def polnear_split_dir(split: str, root: str | Path | None = None) -> Path:
    """``<root>/polnear/data/<split>``, with ``root`` defaulting to :func:`default_data_root`."""
    return Path(root if root is not None else default_data_root()) / "polnear" / "data" / split
