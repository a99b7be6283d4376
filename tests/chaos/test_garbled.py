"""Answers the till cannot read, and answers that never finish: the real till in its pty
neither freezes nor waits for ever. Afosto (the simulator) processes the request, then
labels its answer gzip over a plain body, or drips the answer's body one byte at a time;
the till says so, reads back what went through and ends the sale with one payment."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.support.chaoskit import (
    LABEL,
    A,
    B,
    Chaos,
    assert_sale_completed,
    cart,
    lines,
    newest,
    pay_cash,
    scan,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.chaos

PAID = ("Paid: order", "Invoice F")
UNREADABLE = "Afosto gave an answer the till"
DROPPED = "The connection to Afosto dropped"
RECORDING = "Recording the cash payment"


def paid_payments(world: Chaos) -> list[dict[str, Any]]:
    return [payment for payment in newest(world)["payments"] if payment["is_paid"]]


def test_a_gzip_garbled_answer_to_the_terminal_start_does_not_freeze_the_till(
    world: Chaos,
) -> None:
    till = world.start_till()
    scan(world, till, A)
    world.server.inject("startPayment", "bad_gzip")
    till.press("f9")
    eventually(lambda: bool(paid_payments(world)), "the card paid on the terminal")
    till.wait_for(*PAID, seconds=30)  # read back: paid, and the sale went on
    assert till.screen.showed(UNREADABLE)
    assert world.server.requests("startPayment") == 1  # the card was not asked twice
    assert_sale_completed(world.server.orders(), {A: 1})


def test_a_gzip_garbled_answer_to_the_cash_payment_does_not_stick(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    world.server.inject("payPayment", "bad_gzip")
    pay_cash(till)
    till.wait_for(*PAID, seconds=30)
    assert not till.screen.shows(RECORDING)
    assert world.server.requests("createPayment") == 1  # read back, not paid again
    assert_sale_completed(world.server.orders(), {A: 1})


def test_a_dripping_answer_ends_at_the_request_deadline_and_the_sale_is_kept(
    world: Chaos,
) -> None:
    # Each byte comes well within the 1 s read timeout; the whole answer would take
    # minutes. Only the request's own deadline (TUI_POS_REQUEST_TIMEOUT) ends it.
    till = world.start_till(TUI_POS_REQUEST_TIMEOUT="1")
    scan(world, till, A)
    world.server.inject("addItemsToOrder", "drip", seconds=0.4)
    till.type(B)
    started = time.monotonic()
    till.wait_for(DROPPED, seconds=10)
    assert time.monotonic() - started < 5, "the request outlived its deadline"
    assert cart(world.state_dir).get(A) == 1, "the sale was kept"
    eventually(lambda: lines(newest(world)) == {A: 1, B: 1}, "the scan read back", seconds=20)
    till.wait_for(LABEL[B])
    pay_cash(till)
    till.wait_for(*PAID, seconds=30)
    assert_sale_completed(world.server.orders(), {A: 1, B: 1})
