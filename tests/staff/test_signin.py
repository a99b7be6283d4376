"""The sign-in guard: the same words for any wrong attempt, and a growing wait."""

from __future__ import annotations

import logging

import pytest

from tests.support.staffkit import PINS, CountingHasher, FakeClock
from tui_pos.staff import Cashier, CashierFile, SignIn, SignInGuard, verify_manager
from tui_pos.staff.signin import duration

ANNA = Cashier(12, "Anna", "manager")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def guard(cashiers: CashierFile, clock: FakeClock) -> SignInGuard:
    return SignInGuard(cashiers, clock=clock)


def wrong(guard: SignInGuard, times: int) -> list[SignIn]:
    return [guard.attempt("12", "0000") for _ in range(times)]


def test_a_right_pin_signs_in(guard: SignInGuard) -> None:
    result = guard.attempt("12", PINS[12])
    assert result == SignIn(ANNA, 0.0)
    assert result.words == "Signed in: Anna."
    assert guard.attempt(" 3 ", PINS[3]).cashier == Cashier(3, "Bob", "cashier")


def test_a_wrong_number_and_a_wrong_pin_look_the_same(
    guard: SignInGuard, hasher: CountingHasher
) -> None:
    results = [
        guard.attempt("12", "0000"),  # wrong PIN
        guard.attempt("99", PINS[12]),  # no such cashier
        guard.attempt("3", PINS[12]),  # another cashier's PIN
        guard.attempt("1x", PINS[12]),  # not a number: counted, no exception
    ]
    assert results == [SignIn(None, 0.0)] * 4
    assert {r.words for r in results} == {"Wrong number or PIN."}
    assert len(hasher.verified) == 4  # each checked once, the unknown ones too
    assert guard.attempt("", "").words == "Too many wrong PINs: try again in 30 s."


def test_five_wrong_then_a_doubling_wait_up_to_15_minutes(
    guard: SignInGuard, clock: FakeClock
) -> None:
    assert [r.wait for r in wrong(guard, 5)] == [0, 0, 0, 0, 30]
    assert guard.free_in() == 30
    waits = []
    for _ in range(8):
        clock.advance(guard.free_in())
        waits.append(guard.attempt("12", "0000").wait)
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]


def test_an_attempt_during_the_wait_is_refused_unchecked_and_not_counted(
    guard: SignInGuard, clock: FakeClock, hasher: CountingHasher
) -> None:
    wrong(guard, 5)
    checked = len(hasher.verified)
    clock.advance(10)
    refused = guard.attempt("12", PINS[12])  # the right PIN, but too soon
    assert refused == SignIn(None, 20.0)
    assert refused.words == "Too many wrong PINs: try again in 20 s."
    assert len(hasher.verified) == checked
    assert guard.free_in() == 20  # not extended
    clock.advance(20)
    assert guard.free_in() == 0
    assert guard.attempt("12", "0000").wait == 60  # the 6th wrong one, not the 7th


def test_a_right_pin_resets_the_count(guard: SignInGuard, clock: FakeClock) -> None:
    wrong(guard, 5)
    clock.advance(30)
    assert guard.attempt("12", PINS[12]).cashier == ANNA
    assert [r.wait for r in wrong(guard, 5)] == [0, 0, 0, 0, 30]


def test_only_the_monotonic_clock_counts(cashiers: CashierFile, clock: FakeClock) -> None:
    """The guard never reads the wall clock: a wait is over when the given clock says."""
    guard = SignInGuard(cashiers, clock=clock)
    wrong(guard, 5)
    clock.advance(29.5)
    assert guard.attempt("12", PINS[12]).cashier is None
    clock.advance(0.5)
    assert guard.attempt("12", PINS[12]).cashier == ANNA


def test_the_wait_in_words() -> None:
    assert SignIn(None, 80).words == "Too many wrong PINs: try again in 1 min 20 s."
    assert SignIn(None, 0.2).words == "Too many wrong PINs: try again in 1 s."
    assert [duration(s) for s in (30, 59.1, 60, 120, 900)] == [
        "30 s",
        "1 min",
        "1 min",
        "2 min",
        "15 min",
    ]


def test_manager_mode_refuses_a_cashier_with_the_same_words(
    cashiers: CashierFile, clock: FakeClock
) -> None:
    approvals = SignInGuard(cashiers, clock=clock)
    bob = approvals.attempt("3", PINS[3], manager=True)
    assert bob == SignIn(None, 0.0)
    assert bob.words == approvals.attempt("12", "0000", manager=True).words
    assert approvals.attempt("12", PINS[12], manager=True).cashier == ANNA
    assert [approvals.attempt("3", PINS[3], manager=True).wait for _ in range(5)][-1] == 30


def test_verify_manager(cashiers: CashierFile) -> None:
    assert verify_manager(cashiers, "12", PINS[12]) == ANNA
    assert verify_manager(cashiers, "12", PINS[3]) is None
    assert verify_manager(cashiers, "3", PINS[3]) is None
    assert verify_manager(cashiers, "abc", PINS[12]) is None


def test_the_log_has_numbers_and_counts_never_pins(
    guard: SignInGuard, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tui_pos.staff.signin"):
        guard.attempt("12", "98765")
        guard.attempt("7x", "56789")
        guard.attempt("12", PINS[12])
    records = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert records == [
        ("tui_pos.staff.signin", logging.WARNING, "sign-in with number '12' wrong: 1 in a row"),
        ("tui_pos.staff.signin", logging.WARNING, "sign-in with number '7x' wrong: 2 in a row"),
        ("tui_pos.staff.signin", logging.INFO, "sign-in: cashier 12 Anna"),
    ]
    assert all(pin not in caplog.text for pin in ("98765", "56789", PINS[12]))
