"""Errors with specific, numbered messages (the spaCy way): users can search for the code."""

from __future__ import annotations


class ClaimstanceError(Exception):
    """Base class: every error we raise on purpose derives from this."""

    code = "E000"

    def __init__(self, message: str):
        super().__init__(f"[{self.code}] {message}")


class ModelNotFound(ClaimstanceError):
    code = "E001"


class ConfigError(ClaimstanceError, ValueError):
    code = "E002"


class InputRecordError(ClaimstanceError, ValueError):
    """A batch input record that cannot be processed (the batch goes on)."""

    code = "E003"


class DataNotFound(ClaimstanceError, FileNotFoundError):
    code = "E004"
