"""The one error type of liaison, with codes that say what went wrong."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every kind of failure the library reports."""

    BAD_DATE = "bad-date"
    BAD_INPUT = "bad-input"
    BAD_FILE = "bad-file"
    UNKNOWN_COUNTRY = "unknown-country"
    UNKNOWN_ACTOR = "unknown-actor"
    UNKNOWN_UNIT = "unknown-unit"
    NOT_FOUND = "not-found"
    CONFLICT = "conflict"
    PERMISSION = "permission"
    DATABASE_MISSING = "database-missing"
    DATABASE_NEWER = "database-newer"
    CONFIG = "config"


class LiaisonError(Exception):
    """A failure the user can act on: a code and a message that says what to do."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"
