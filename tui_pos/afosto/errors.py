"""The errors the Afosto client raises, one class per thing a caller must handle differently.

Every error says whether the request could have changed state on the server:
``OutcomeUnknown`` (and its subclasses) means it may have; every other error means it
did not, so the same request can be sent again once the cause is gone.
"""

from __future__ import annotations


class AfostoError(Exception):
    """Base of every error the client raises; ``message`` is the server's or ours."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class Unauthorized(AfostoError):
    """The token is missing, wrong or expired (401)."""


class Forbidden(AfostoError):
    """The token is valid but may not do this (403)."""


class NotFound(AfostoError):
    """The order, payment or invoice does not exist (404)."""


class ValidationFailed(AfostoError):
    """The server refused the input or the state change (400, 422); its message says why."""


class Conflict(AfostoError):
    """The resource is busy (409), e.g. the PIN terminal is still in a transaction."""


class RateLimited(AfostoError):
    """Too many requests (429 or ``RATE_LIMITED``) after the client's own back-off."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class Unavailable(AfostoError):
    """The API could not be reached or failed before running the request (connect, 5xx)."""


class OutcomeUnknown(AfostoError):
    """The request was sent but no valid answer came back (whole, before its deadline):
    it may have been processed.

    Read the state back before sending anything that would repeat it.
    """


class InvalidResponse(OutcomeUnknown):
    """The server answered with something that is not the contract's shape, or that
    cannot be decoded at all (a body labelled gzip that is not, JSON nested too deep)."""
