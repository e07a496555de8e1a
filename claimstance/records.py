"""The records every stage passes along, serialised to the JSON contract in DESIGN.md.

All offsets are Python string indices into the input text exactly as given.
Records are frozen so that a stage cannot change what an earlier stage produced;
stages build new records instead (``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from claimstance.errors import ErrorType

KINDS = ("direct", "indirect", "mixed")
LABELS = ("favor", "against", "neutral")


@dataclass(frozen=True)
class Span:
    """A character span ``text[start:end]``; ``parts`` holds the pieces of a discontinuous span."""

    start: int
    end: int
    text: str
    parts: tuple[tuple[int, int], ...] = ()

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    @classmethod
    def from_parts(cls, text: str, parts: list[tuple[int, int]]) -> "Span":
        """A span over several pieces; contiguous when there is only one piece."""
        parts = sorted((s, e) for s, e in parts if e > s)
        if not parts:
            raise ValueError("a span needs at least one non-empty part")
        start, end = parts[0][0], parts[-1][1]
        if len(parts) == 1:
            return cls(start, end, text[start:end])
        return cls(start, end, text[start:end], tuple(parts))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.parts:
            out["spans"] = [list(p) for p in self.parts]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(d["start"], d["end"], d["text"], tuple(tuple(p) for p in d.get("spans", ())))


@dataclass(frozen=True)
class Speaker:
    """``mention`` is the source as written ("he"); ``name`` the resolved canonical speaker.

    Several speakers named together ("reply Smith and Jones") are one speaker, ``name`` "Smith and
    Jones", with ``members`` their own names (each gets the statement's row in the matrix); a
    single speaker has none, and its record no ``members`` key."""

    name: str
    mention: Optional[Span] = None
    party: Optional[str] = None
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "mention": self.mention.to_dict() if self.mention else None,
            "party": self.party,
        }
        if self.members:
            out["members"] = list(self.members)
        return out


@dataclass(frozen=True)
class StanceJudgment:
    target: str
    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "label": self.label, "score": round(float(self.score), 4)}


@dataclass(frozen=True)
class Statement:
    id: str
    kind: str
    content: Span
    cue: Optional[Span] = None
    speaker: Optional[Speaker] = None
    stances: tuple[StanceJudgment, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"statement kind must be one of {KINDS}, got {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "stances": [s.to_dict() for s in self.stances],
        }


@dataclass(frozen=True)
class Party:
    """A party the article is about: a country, government, organisation or person."""

    name: str
    mentions: tuple[Span, ...] = ()
    type: str = "other"  # country | organisation | person | other

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "mentions": [m.to_dict() for m in self.mentions]}


@dataclass(frozen=True)
class MatrixCell:
    """One cell of the per-article speaker x party stance matrix."""

    speaker: str
    target: str
    label: str
    score: float
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "target": self.target,
            "label": self.label,
            "score": round(float(self.score), 4),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class ErrorInfo:
    """Why a record has no results: a failure carried as a value, written as the record's ``error``."""

    type: ErrorType
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", ErrorType(self.type))  # an unknown type is a bug: ValueError

    @classmethod
    def from_exception(cls, exc: BaseException, stage: str) -> "ErrorInfo":
        """A stage that raised on one record: the stage, the exception's class and its message."""
        return cls(ErrorType.STAGE_ERROR, f"{stage}: {type(exc).__name__}: {str(exc) or repr(exc)}")

    def to_dict(self) -> dict[str, str]:
        return {"type": self.type.value, "message": self.message}


@dataclass(frozen=True)
class DocumentResult:
    id: str
    statements: tuple[Statement, ...] = ()
    parties: tuple[Party, ...] = ()
    stance_matrix: tuple[MatrixCell, ...] = ()
    error: Optional[ErrorInfo] = None
    warnings: tuple[str, ...] = field(default=(), compare=False)
    meta: Optional[dict[str, Any]] = field(default=None, compare=False)  # the input record's other fields

    @classmethod
    def failed(cls, doc_id: str, error: ErrorInfo) -> "DocumentResult":
        return cls(id=doc_id, error=error)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "statements": [s.to_dict() for s in self.statements],
            "parties": [p.to_dict() for p in self.parties],
            "stance_matrix": [c.to_dict() for c in self.stance_matrix],
            "error": self.error.to_dict() if self.error else None,
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.meta:
            out["meta"] = self.meta
        return out
