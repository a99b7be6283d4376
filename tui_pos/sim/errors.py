"""Error codes and exceptions of the simulated Afosto API."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The contract's GraphQL error codes, plus CONFLICT for the REST 409 [assumed]."""

    UNAUTHORIZED = "UNAUTHORIZED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"

    @property
    def status(self) -> int:
        """The HTTP status that goes with the code."""
        return _STATUS[self]


_STATUS = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_SERVER_ERROR: 500,
}


class DomainError(Exception):
    """A refused request: an error code and a message for a human."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DropConnection(Exception):
    """Raised by the simulator when the connection must be dropped without an answer."""
