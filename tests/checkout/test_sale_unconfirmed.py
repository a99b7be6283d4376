"""A card payment whose outcome is unknown stays "not confirmed": no timer and no clock
step ends it, and no new payment of any kind starts until it is known to have ended."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.support.enginekit import (
    SKUS,
    MakeTill,
    assert_money_invariants,
    assert_sale_completed,
    order_id,
    paid_with_invoice_pending,
    scan_all,
    stop_waiting_on_the_terminal,
)
from tests.support.waiting import until
from tui_pos.checkout import Phase, TerminalState
from tui_pos.sim import Simulator


@pytest.fixture
def clock_step(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Step the wall clock (NTP after boot on a board without an RTC)."""

    def step(seconds: float) -> None:
        now = time.time
        monkeypatch.setattr(time, "time", lambda: now() + seconds)

    return step


async def test_no_new_payment_while_the_card_may_still_pay(
    make_till: MakeTill, sim: Simulator, clock_step: Callable[[float], None]
) -> None:
    sim.terminal_delay = 1.0  # the customer is slow; the card pays in the end
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    await stop_waiting_on_the_terminal(sale, sim)
    assert sale.view.terminal is TerminalState.UNKNOWN and sale.view.card_unconfirmed
    clock_step(86_400)  # a day later by the wall clock: still not confirmed
    await sale.pay_cash(tendered=10_000)
    assert "not confirmed" in (sale.view.error or "")
    assert await sale.due_now() is None  # the cash screen does not open either
    await sale.pay_pin()  # F9 checks the card payment again instead of a new one
    assert sale.view.phase is Phase.TERMINAL and sale.view.terminal is TerminalState.UNKNOWN
    assert sim.requests["createPayment"] == 1
    await sim.wait_idle()  # the customer finished on the terminal: the card paid
    await sale.check_payment()
    assert sale.view.phase is Phase.DONE and not sale.view.card_unconfirmed
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[1]: 1})


async def test_unconfirmed_after_a_restart_whatever_the_clock(
    make_till: MakeTill, sim: Simulator, clock_step: Callable[[float], None]
) -> None:
    sim.terminal_delay = 1.0
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    await stop_waiting_on_the_terminal(sale, sim)
    await till.close()
    clock_step(3_600)
    till = await make_till()
    sale = await till.start()
    assert sale.view.phase is Phase.TERMINAL and sale.view.terminal is TerminalState.UNKNOWN
    await sale.pay_cash(tendered=10_000)
    assert sim.requests["createPayment"] == 1 and sale.view.paid == 0
    await sim.wait_idle()
    await sale.retry_terminal()  # reads it back first: paid, nothing started again
    assert sale.view.phase is Phase.DONE
    payments = sim.store.snapshot()["orders"][0]["payments"]
    assert [p["start_count"] for p in payments] == [1]


async def test_the_cashier_confirms_the_terminal_shows_it_failed(
    make_till: MakeTill, sim: Simulator
) -> None:
    sim.terminal_delay = 30.0  # the terminal never answers in this test
    sim.terminal_outcomes = ["CANCELLED"]
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    await stop_waiting_on_the_terminal(sale, sim)
    assert sale.view.card_unconfirmed
    payment_id = sale.view.payments[0].id
    before = time.time()
    sale.confirm_terminal_failed()
    assert not sale.view.card_unconfirmed
    note = till.journal.sale(sale.id).note
    assert [entry.payment_id for entry in note.confirmed_failed] == [payment_id]
    assert note.confirmed_failed[0].at >= before
    await till.close()
    till = await make_till()  # the confirmation holds after a restart
    sale = await till.start()
    assert not sale.view.card_unconfirmed
    await sale.pay_cash(tendered=sale.view.due)
    assert sale.view.phase is Phase.DONE and sim.requests["createPayment"] == 2
    assert_money_invariants(sim)


async def test_the_change_shows_after_a_restart_that_lost_the_cash_answer(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    real = till.client.pay_cash

    class PowerCut(BaseException):
        pass

    async def cut_after_sending(*args: object) -> object:
        await real(*args)  # type: ignore[arg-type]
        raise PowerCut  # the answer never reached the journal

    till.client.pay_cash = cut_after_sending  # type: ignore[method-assign,assignment]
    due = sale.view.due
    with pytest.raises(PowerCut):
        await sale.pay_cash(tendered=due + 1_000)
    till.journal.close()
    till = await make_till()
    sale = await till.start()
    assert sale.view.phase is Phase.DONE and sale.view.change == 1_000


async def test_no_background_task_dies_silently(
    make_till: MakeTill, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox goes on after an error nobody foresaw; the cart's sync says so."""
    till, sale = await paid_with_invoice_pending(make_till, sim)
    real, broken = till.flush_outbox, [True]

    async def flaky() -> int:
        if broken.pop() if broken else False:
            raise ZeroDivisionError
        return await real()

    monkeypatch.setattr(till, "flush_outbox", flaky)
    till._outbox_wake.set()
    await until(lambda: not till.journal.pending_invoices(), "the invoices sent")
    sale = till.new_sale()

    async def sync_dies(*args: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(till.client, "add_items", sync_dies)
    sale.scan(SKUS[1])
    await until(lambda: sale.view.error is not None, "an error shown")
    assert "Unexpected problem" in (sale.view.error or "") and not sale.view.busy
