"""Failures in words a cashier understands, each with what to do next."""

from __future__ import annotations

import math

from tui_pos.afosto import (
    AfostoError,
    Conflict,
    Forbidden,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from tui_pos.checkout.journal import JournalError, JournalProblem


def explain(exc: BaseException) -> str:
    """One or two sentences for the status line; never a stack trace, never the token."""
    if isinstance(exc, JournalError):  # short: the message line holds three lines
        return cannot_save(_JOURNAL[exc.reason])
    if isinstance(exc, Unauthorized):
        return (
            "Afosto refused the till's API key. Ask the manager to renew it "
            "(api_token_file); the sale is kept."
        )
    if isinstance(exc, Forbidden):
        return "The till's API key may not do this. Ask the manager to check its rights."
    if isinstance(exc, RateLimited):  # what the till retries by itself says so instead
        wait = f" in {math.ceil(exc.retry_after)} s" if exc.retry_after else " in a moment"
        return f"Afosto is busy. Try again{wait}; the sale is kept."
    if isinstance(exc, InvalidResponse):
        return "Afosto gave an answer the till cannot read. Checking the sale again."
    if isinstance(exc, OutcomeUnknown):
        return "The connection to Afosto dropped. Checking what went through."
    if isinstance(exc, Unavailable) and exc.status is not None:  # it answered: 5xx
        return (
            f"Afosto has a problem on its side (error {exc.status}). "
            "Wait a moment; the sale is kept."
        )
    if isinstance(exc, Unavailable):
        return "Afosto cannot be reached. Check the network; the sale is kept."
    if isinstance(exc, Conflict):
        return "The terminal is still busy with a payment. Wait for it, then try again."
    # Afosto's own words (its message, amounts in cents) go to the log, not the screen.
    if isinstance(exc, NotFound):
        return "Afosto does not know this sale or payment any more. Call support."
    if isinstance(exc, ValidationFailed):
        return "Afosto refused this step; the sale is kept. Call support if it happens again."
    if isinstance(exc, AfostoError):
        return "Afosto reported a problem; the sale is kept. Call support if it happens again."
    return f"Unexpected problem: {type(exc).__name__}. The sale is kept."


def retrying(exc: BaseException, wait: float) -> str:
    """Said while the till waits ``wait`` seconds to try again by itself."""
    if isinstance(exc, RateLimited):
        return f"Afosto is busy. The till tries again in {math.ceil(wait)} s; the sale is kept."
    return explain(exc)


def cannot_save(why: str, blocked: str = "payment") -> str:
    """The till's records cannot be saved (``why``), so no ``blocked`` can start."""
    return f"The till cannot save its records: {why}. No {blocked} can start. Call support."


_JOURNAL = {
    JournalProblem.FULL: "its disk is full",
    JournalProblem.READ_ONLY: "its disk is read-only",
    JournalProblem.DAMAGED: "they are damaged",
    JournalProblem.LOCKED: "another program holds them",
    JournalProblem.NEWER: "a newer version of the till wrote them",
    JournalProblem.UNWRITABLE: "its disk cannot be written",
}
"""What is wrong with the journal, by its reason, without its path (the doctor and the
log name the file)."""
