"""Errors: the contract's error types for records (one enum), and the exceptions we raise on purpose.

``ErrorType`` is the closed set of ``"error": {"type": ...}`` values a user can meet in an output line
(of ``claimstance infer`` and of ``claimstance stance``). The exceptions carry numbered messages (the
spaCy way), so users can search for the code.
"""

from __future__ import annotations

from enum import Enum


class ErrorType(str, Enum):
    """Why an output record has no results (``"error": {"type": ..., "message": ...}``)."""

    # the input record
    INVALID_JSON = "InvalidJSON"  # a line that is not JSON
    INVALID_RECORD = "InvalidRecord"  # JSON, but not an object
    MISSING_TEXT = "MissingText"  # no "text" field
    INVALID_TEXT = "InvalidText"  # "text" is not a string (or, for stance pairs, empty)
    EMPTY_TEXT = "EmptyText"  # empty or whitespace only
    TEXT_TOO_LONG = "TextTooLong"  # longer than max_chars
    READ_ERROR = "ReadError"  # a .txt file that cannot be read
    # stance pairs (claimstance stance)
    INVALID_TARGET = "InvalidTarget"
    INVALID_SPEAKER = "InvalidSpeaker"
    INVALID_SPAN = "InvalidSpan"
    # processing
    STAGE_ERROR = "StageError"  # a stage raised on this record (the message names the stage and the exception)
    OUTPUT_ERROR = "OutputError"  # the result could not be serialised

    def __str__(self) -> str:
        return self.value


class ClaimstanceError(Exception):
    """Base class: every error we raise on purpose derives from this."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")


class ModelNotFound(ClaimstanceError):
    code = "E001"


class ConfigError(ClaimstanceError, ValueError):
    code = "E002"


class DataNotFound(ClaimstanceError, FileNotFoundError):
    code = "E004"
