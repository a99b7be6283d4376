"""Money at the process level: a card payment whose outcome is unknown blocks every new
payment until it is known, the cash screen asks for what Afosto has confirmed, and the
change survives a power cut. The real till in a pty against the simulator."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.chaoskit import (
    A,
    B,
    Chaos,
    RecordingSimulator,
    assert_sale_completed,
    journal,
    newest,
    scan,
)
from tests.support.waiting import eventually
from tui_pos.sim.catalog import CATALOG

pytestmark = pytest.mark.chaos

PAID = ("Paid: order", "Invoice F")


def payments(world: Chaos) -> list[dict[str, object]]:
    return list(newest(world)["payments"])


def test_a_long_terminal_wait_never_lets_a_second_payment_start(world: Chaos) -> None:
    """The long-poll gives up (1.5 s) while the customer is still at the terminal (8 s):
    the payment reads back PENDING. No cash and no new card payment until Afosto shows it
    ended; then F9 checks it and the sale ends paid once."""
    till = world.start_till(TUI_POS_TERMINAL_TIMEOUT="1.5")
    scan(world, till, A)
    world.server.settings(terminal_delay=8)
    till.press("f9")
    till.wait_for("Ask the customer")
    till.wait_for("Not confirmed", "F5: check", seconds=20)
    till.press("f10")
    till.wait_for("not confirmed", "F9: check it")
    assert not till.screen.showed("Cash payment")
    till.press("f9")  # checks the payment again; still at the terminal
    till.wait_for("Not confirmed")
    assert len(payments(world)) == 1
    eventually(lambda: bool(payments(world)[0]["is_paid"]), "the card paid", seconds=20)
    till.press("f5")
    till.wait_for(*PAID)
    order = assert_sale_completed(world.server.orders(), {A: 1})
    assert len(order["payments"]) == 1


def test_esc_at_once_then_f10_opens_no_cash_screen(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    world.server.settings(terminal_delay=30)
    till.press("f9")
    till.wait_for("Ask the customer")
    till.press("escape")
    till.wait_for("Not confirmed")
    till.press("f10")
    till.wait_for("not confirmed", "F9: check it")
    assert not till.screen.showed("Cash payment")
    assert world.server.requests("createPayment") == 1


def test_f10_half_a_second_after_a_scan_asks_for_the_new_total(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    world.server.settings(latency=0.5)  # Afosto confirms the next scan slowly
    till.type(B)
    till.press("f10")
    total = CATALOG[A].price + CATALOG[B].price
    till.wait_for("Cash payment", "To pay in cash")
    till.type("50")
    till.wait_for(*PAID)
    order = assert_sale_completed(world.server.orders(), {A: 1, B: 1})
    assert [p["amount"] for p in order["payments"]] == [total]


def test_the_change_shows_after_a_power_cut_while_recording_cash(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    assert isinstance(world.sim, RecordingSimulator)
    sim = world.sim
    sim.hold_after.add("payPayment")
    till.press("f10")
    till.wait_for("Cash payment")
    till.type("50")
    eventually(lambda: "payPayment" in sim.held, "the cash recorded, its answer held")
    till = world.restart(till, *PAID)
    till.wait_for("Change")
    notes = journal(world.state_dir, "SELECT note FROM sale ORDER BY id DESC LIMIT 1")
    assert json.loads(notes[0][0])["change"] == 5000 - CATALOG[A].price


def test_a_payment_refused_with_retry_after_is_not_sent_early(world: Chaos) -> None:
    """429 with Retry-After 5 on creating the payment: the screen says when to try again,
    F9 pressed at once sends nothing, and F9 after the 5 s pays."""
    till = world.start_till()
    scan(world, till, A)
    world.server.inject("createPayment", "status", status=429, retry_after=5)
    refused = time.monotonic()
    till.press("f9")
    till.wait_for("Afosto is busy", "Try again in 5 s")
    sent = world.server.requests("createPayment")
    till.press("f9")  # at once: refused by the till itself
    till.pump(1.0)
    assert world.server.requests("createPayment") == sent, "sent before Retry-After"
    till.pump(max(0.0, refused + 5.2 - time.monotonic()))
    till.press("f9")
    till.wait_for(*PAID)
    assert_sale_completed(world.server.orders(), {A: 1})
