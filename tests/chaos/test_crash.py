"""The power goes at each step of a sale: the real till is SIGKILLed in its pty and
started again on the same journal. It resumes on the right screen, and Afosto (the
simulator) ends with no unit twice, one paid payment for the amount due, the order
opened once and every unit invoiced once.

Each step is held still with the simulator's knobs, and the test sees in the simulator's
state that it is reached before it kills: a request processed but not yet answered
(``hold_after``, the worst moment: the step happened and the till does not know), a
request delayed before it is processed, a slow terminal or a slow invoice action."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.chaoskit import (
    LABEL,
    A,
    B,
    C,
    Chaos,
    RecordingSimulator,
    TillProcess,
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


def payments(world: Chaos) -> list[dict[str, Any]]:
    return list(newest(world)["payments"])


def hold_after(world: Chaos, operation: str) -> None:
    """The next ``operation`` is processed by Afosto, and its answer never comes."""
    assert isinstance(world.sim, RecordingSimulator)
    world.sim.hold_after.add(operation)


def held(world: Chaos, operation: str) -> None:
    assert isinstance(world.sim, RecordingSimulator)
    sim = world.sim
    eventually(lambda: operation in sim.held, f"{operation} processed and held")


def pay_and_hold(world: Chaos, till: TillProcess, operation: str, *, card: bool) -> None:
    """Scan A, B, B and pay (F9, or the exact amount in cash): Afosto processes
    ``operation``, and its answer never comes."""
    scan(world, till, A, B, B)
    hold_after(world, operation)
    if card:
        till.press("f9")
    else:
        pay_cash(till)
    held(world, operation)


# --- driving the sale to a step and holding it there ----------------------------------


def first_scan(world: Chaos, till: TillProcess) -> None:
    """The first code is journaled and its order created, but the till never heard of
    that order (it is left empty: an orphan, like any order whose answer is lost)."""
    hold_after(world, "createOrder")
    till.type(A)
    held(world, "createOrder")
    assert cart(world.state_dir) == {A: 1}


def mid_batch(world: Chaos, till: TillProcess) -> None:
    """A batch of units went through but its answer has not come; more scans are
    journaled meanwhile, for the next batch."""
    scan(world, till, A)
    hold_after(world, "addItemsToOrder")
    till.type(B)
    held(world, "addItemsToOrder")
    till.type(B)
    till.type(C)
    eventually(lambda: cart(world.state_dir) == {A: 1, B: 2, C: 1}, "the scans journaled")
    assert lines(newest(world)) == {A: 1, B: 1}


def method_attached(world: Chaos, till: TillProcess) -> None:
    pay_and_hold(world, till, "addPaymentMethodToOrder", card=True)
    assert newest(world)["payment_method"]["code"] == "PIN" and not payments(world)


def payment_created(world: Chaos, till: TillProcess) -> None:
    """The payment exists on the order; the till never learned its id."""
    pay_and_hold(world, till, "createPayment", card=True)
    assert [p["status"] for p in payments(world)] == ["PENDING"]


def terminal_asked(world: Chaos, till: TillProcess) -> None:
    """The till has asked the terminal to start; the request has not arrived yet."""
    scan(world, till, A, B, B)
    world.server.inject("startPayment", "delay", seconds=30)
    till.press("f9")
    eventually(lambda: world.server.requests("startPayment") == 1, "the terminal asked")
    assert [p["start_count"] for p in payments(world)] == [0]


def terminal_waiting(world: Chaos, till: TillProcess) -> None:
    """The customer is at the terminal (8 s), the payment running on it."""
    scan(world, till, A, B, B)
    world.server.settings(terminal_delay=8)
    till.press("f9")
    till.wait_for("Ask the customer")
    eventually(lambda: any(p["in_transaction"] for p in payments(world)), "the terminal busy")


def terminal_approved(world: Chaos, till: TillProcess) -> None:
    """The terminal approved; its answer has not reached the till."""
    pay_and_hold(world, till, "startPayment", card=True)
    assert [p["status"] for p in payments(world)] == ["PAID"]


def cash_recorded(world: Chaos, till: TillProcess) -> None:
    pay_and_hold(world, till, "payPayment", card=False)
    assert [p["status"] for p in payments(world)] == ["PAID"]


def opened(world: Chaos, till: TillProcess) -> None:
    pay_and_hold(world, till, "openOrder", card=False)
    assert newest(world)["status"] == "OPEN"


def invoice_polling(world: Chaos, till: TillProcess) -> None:
    """Opened and paid; the invoice action takes 4 s to come, and the till polls."""
    scan(world, till, A, B, B)
    world.server.settings(invoice_delay=4)
    pay_cash(till)
    eventually(lambda: newest(world)["status"] == "OPEN", "the order opened")
    reads = world.server.requests("order")
    eventually(lambda: world.server.requests("order") >= reads + 3, "the till polling")
    assert not newest(world)["invoices"]


def invoiced(world: Chaos, till: TillProcess) -> None:
    pay_and_hold(world, till, "invoiceItems", card=False)
    assert newest(world)["invoices"]


# --- what the cashier does after the restart ------------------------------------------


def scan_more_and_pay(world: Chaos, till: TillProcess) -> None:
    scan(world, till, B, B)
    pay_cash(till)


def pay_in_cash(world: Chaos, till: TillProcess) -> None:
    eventually(lambda: lines(newest(world)) == cart(world.state_dir), "the cart confirmed")
    pay_cash(till)


def pay_by_card(world: Chaos, till: TillProcess) -> None:
    till.press("f9")


def retry_on_the_terminal(world: Chaos, till: TillProcess) -> None:
    till.press("enter")


def patient(world: Chaos, till: TillProcess) -> None:
    """Looks at the terminal until it approves, then checks."""
    eventually(lambda: payments(world)[0]["is_paid"], "the terminal approved", seconds=20)
    till.press("enter")


def impatient(world: Chaos, till: TillProcess) -> None:
    """Retries while the terminal still works, asks for a new payment, tries cash, and
    only then waits: never a second payment while the first may still be taken."""
    assert payments(world)[0]["in_transaction"], "the terminal settled too soon for this test"
    till.press("enter")  # check and retry: the terminal is busy with this very payment
    # The retry's own answer ("may still be busy" is on the screen from the restart on,
    # and N is refused while the payment's state is unknown).
    till.wait_for("still working on a payment", "Wait for it, then try again")
    till.press("n")  # a new payment: the till checks the first one instead
    till.wait_for("Not confirmed", "F5: check")
    till.press("f10")  # cash instead: refused, the cash screen does not open
    till.wait_for("not confirmed", "F9: check it")
    assert not till.screen.showed("Cash payment")
    assert len(payments(world)) == 1 and payments(world)[0]["in_transaction"]
    till.press("escape")
    eventually(lambda: payments(world)[0]["is_paid"], "the terminal approved", seconds=20)
    till.press("f9")  # pay: the till checks the first payment and finds the sale paid


def nothing(world: Chaos, till: TillProcess) -> None:
    pass


@dataclass(frozen=True)
class Step:
    hold: Callable[[Chaos, TillProcess], None]
    resumed: tuple[str, ...]
    """What the restarted till shows once it has asked Afosto where the sale stands."""
    finish: Callable[[Chaos, TillProcess], None]
    wanted: dict[str, int] = field(default_factory=lambda: {A: 1, B: 2})
    on_the_way: str | None = None
    """What it shows for a while after the restart, before the sale moves on."""


TERMINAL_UNSURE = ("Card payment", "Not confirmed")
STEPS = {
    "after the first scan": Step(first_scan, (LABEL[A], "1 item"), scan_more_and_pay),
    "mid-batch": Step(mid_batch, (LABEL[C], "4 items"), pay_in_cash, {A: 1, B: 2, C: 1}),
    "after attaching the method": Step(method_attached, ("3 items", "To pay"), pay_by_card),
    "after creating the payment": Step(payment_created, ("3 items", "To pay"), pay_by_card),
    "as the terminal is asked": Step(terminal_asked, TERMINAL_UNSURE, retry_on_the_terminal),
    "while the terminal waits": Step(terminal_waiting, TERMINAL_UNSURE, patient),
    "while the terminal waits, impatient": Step(terminal_waiting, TERMINAL_UNSURE, impatient),
    "just after the terminal approved": Step(terminal_approved, PAID, nothing),
    "just after the cash was recorded": Step(cash_recorded, PAID, nothing),
    "after open": Step(opened, PAID, nothing),
    "while polling for the invoice action": Step(
        invoice_polling, PAID, nothing, on_the_way="Waiting for the invoice"
    ),
    "after invoicing": Step(invoiced, (*PAID, "F2026-000001"), nothing),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_sigkill_at_each_step_then_restart(world: Chaos, step: str) -> None:
    case = STEPS[step]
    till = world.start_till()
    case.hold(world, till)
    till = world.restart(till, *case.resumed)
    world.quiet()  # its recovery is over
    case.finish(world, till)
    till.wait_for(*PAID)
    if case.on_the_way:
        assert till.screen.showed(case.on_the_way)
    assert "There is no unpaid" not in till.text
    order = assert_sale_completed(world.server.orders(), case.wanted)
    assert order["open_attempts"] == 1, "the till tried to open the order twice"
    assert sum(p["start_count"] for p in order["payments"]) <= 1, "a card payment ran twice"
    till.press("enter")  # and the next sale starts
    till.wait_for("New sale", "0 items")


def test_restart_while_afosto_cannot_be_reached(world: Chaos) -> None:
    """The till comes back before the network does (a router boots slower than a
    Raspberry Pi) and stays down longer than the till's patience for reads (15 s); the
    cashier scans meanwhile. No second order: once Afosto is back the paid sale ends."""
    till = world.start_till()
    invoice_polling(world, till)
    till.kill()
    world.server.stop()
    till = world.start_till("NO CONNECTION")
    deadline = time.monotonic() + 17
    while time.monotonic() < deadline:  # the screen stays up and live meanwhile
        till.pump(0.5)
        assert till.alive()
    till.type(C)
    till.wait_for("4 items")  # journaled and shown, not yet confirmed
    world.server.start()
    world.server.settings(invoice_delay=0.2)
    till.wait_for(*PAID, seconds=30)
    orders = world.server.orders()
    assert len(orders) == 1, "a second order was made for a sale that had one"
    assert_sale_completed(orders, {A: 1, B: 2})
