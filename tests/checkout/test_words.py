"""Failures put in a cashier's words."""

from __future__ import annotations

import pytest

from tui_pos.afosto import AfostoError, NotFound, Unavailable, ValidationFailed
from tui_pos.checkout.journal import JournalError, JournalProblem
from tui_pos.checkout.words import explain


def test_no_connection_points_at_the_network() -> None:
    text = explain(Unavailable("addItems: cannot reach the API (connection refused)"))
    assert text == "Afosto cannot be reached. Check the network; the sale is kept."


def test_a_server_error_is_afostos_not_the_network() -> None:
    text = explain(Unavailable("addItems: HTTP 503", status=503))
    assert "network" not in text and "error 503" in text and "the sale is kept" in text


@pytest.mark.parametrize(
    "exc",
    [
        ValidationFailed("unknown sku hello", status=422),
        ValidationFailed("amount below the 1050000 already paid", status=422),
        NotFound("order abc123 does not exist s3cret-token", status=404),
        AfostoError("internal: s3cret-token 1050000"),
    ],
)
def test_afostos_own_words_never_reach_the_cashier(exc: AfostoError) -> None:
    text = explain(exc)
    assert exc.message not in text
    assert not any(word in text for word in ("hello", "1050000", "s3cret", "abc123"))


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        (JournalProblem.FULL, "its disk is full"),
        (JournalProblem.READ_ONLY, "its disk is read-only"),
        (JournalProblem.DAMAGED, "they are damaged"),
        (JournalProblem.LOCKED, "another program holds them"),
        (JournalProblem.NEWER, "a newer version of the till wrote them"),
        (JournalProblem.UNWRITABLE, "its disk cannot be written"),
    ],
)
def test_the_journals_words_follow_its_reason_not_its_text(
    reason: JournalProblem, said: str
) -> None:
    exc = JournalError(reason, "/var/lib/tui-pos/journal.sqlite3 is full, read-only")
    assert explain(exc) == (
        f"The till cannot save its records: {said}. No payment can start. Call support."
    )
