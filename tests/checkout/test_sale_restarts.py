"""The power goes at every step of a sale; a new engine on the same journal carries on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from tests.support.enginekit import (
    SKUS,
    Crash,
    MakeTill,
    assert_money_invariants,
    assert_sale_completed,
    cashier_finishes,
    crash_at,
    order_id,
    scan_all,
    settled,
)
from tests.support.waiting import until
from tui_pos.checkout import Phase, Sale, TerminalState, Till
from tui_pos.sim import Simulator


async def until_crash(sale: Sale, sim: Simulator, method: str) -> None:
    """Scan, void a line and pay until the armed crash strikes (in the cart's sync, a
    background task, it shows as an unexpected problem: the power cut ends it there)."""

    async def sync(work: Awaitable[None]) -> None:
        await work
        if "Unexpected problem: Crash" in (sale.view.error or ""):
            raise Crash("in the sync")

    with pytest.raises(Crash):
        await sync(scan_all(sale, SKUS[0], SKUS[1], SKUS[1], SKUS[2]))
        sale.void(SKUS[2])
        await sync(settled(sale))
        if method == "pin":
            await sale.pay_pin()
        else:
            await sale.pay_cash(tendered=10_000)
        await sale.finish()


async def restart(make_till: MakeTill, crashed: Till) -> tuple[Till, Sale, dict[str, int]]:
    """The process died: a new till with a fresh client on the same journal file."""
    await crashed.close()
    till = await make_till()
    sale = await till.start()
    wanted = {sku: n for sku, n in till.journal.cart(sale.id).items() if n}
    return till, sale, wanted


POINTS: list[tuple[str, str, bool, Phase]] = [
    # (client call, payment method, crash after the server answered, phase on resume)
    ("create_order", "pin", False, Phase.SCANNING),
    ("create_order", "pin", True, Phase.SCANNING),
    ("add_items", "pin", False, Phase.SCANNING),  # mid-batch: journaled, not sent
    ("add_items", "pin", True, Phase.SCANNING),  # after the first scan went through
    ("remove_items", "pin", True, Phase.SCANNING),
    ("add_payment_method", "pin", True, Phase.SCANNING),
    ("create_payment", "pin", False, Phase.SCANNING),
    ("create_payment", "pin", True, Phase.SCANNING),
    ("start_terminal", "pin", False, Phase.TERMINAL),
    ("start_terminal", "pin", True, Phase.DONE),  # just after the terminal approved
    ("pay_cash", "cash", True, Phase.DONE),
    ("open_order", "pin", False, Phase.DONE),
    ("open_order", "pin", True, Phase.DONE),
    ("invoice_items", "pin", False, Phase.DONE),
    ("invoice_items", "pin", True, Phase.DONE),
]


@pytest.mark.parametrize(("call", "method", "after", "resumed"), POINTS)
async def test_a_power_cut_at_each_step(
    make_till: MakeTill, sim: Simulator, call: str, method: str, after: bool, resumed: Phase
) -> None:
    till = await make_till()
    sale = await till.start()
    crash_at(till.client, call, after=after)
    await until_crash(sale, sim, method)
    till, sale, wanted = await restart(make_till, till)
    assert sale.view.phase is resumed
    await cashier_finishes(sale, sim, method)
    assert_sale_completed(sim, order_id(sim, sale), wanted)


async def test_a_power_cut_while_the_terminal_waits(make_till: MakeTill, sim: Simulator) -> None:
    sim.terminal_delay = 2.0  # still running when the restarted till reads it back
    till = await make_till()
    sale = await till.start()
    real = till.client.start_terminal

    async def cut_while_waiting(*args: Any) -> Any:
        call = asyncio.ensure_future(real(*args))
        await until(  # the customer is at the terminal
            lambda: any(p.in_transaction for p in sim.store.payments.values()),
            "the terminal running",
        )
        call.cancel()
        raise Crash("start_terminal")

    till.client.start_terminal = cut_while_waiting  # type: ignore[method-assign]
    await until_crash(sale, sim, "pin")
    till, sale, wanted = await restart(make_till, till)
    assert sale.view.phase is Phase.TERMINAL and sale.view.terminal is TerminalState.UNKNOWN
    await sale.pay_cash(tendered=10_000)  # no second payment while the card may still pay
    assert "not confirmed" in (sale.view.error or "") and sale.view.paid == 0
    await sim.wait_idle()  # the customer finished on the terminal
    await sale.check_payment()
    assert sale.view.phase is Phase.DONE
    assert_sale_completed(sim, order_id(sim, sale), wanted)
    payments = sim.store.snapshot()["orders"][0]["payments"]
    assert [p["start_count"] for p in payments] == [1]


async def test_a_power_cut_while_polling_for_the_invoice(
    make_till: MakeTill, sim: Simulator
) -> None:
    sim.invoice_delay = 0.3
    till = await make_till()
    sale = await till.start()
    real_open = till.client.open_order

    async def open_then_die_polling(order_id: str) -> Any:
        opened = await real_open(order_id)
        crash_at(till.client, "get_order", after=True)
        return opened

    till.client.open_order = open_then_die_polling  # type: ignore[method-assign]
    await until_crash(sale, sim, "pin")
    till, sale, wanted = await restart(make_till, till)
    assert sale.view.phase is Phase.DONE and sale.view.invoice_number
    assert_sale_completed(sim, order_id(sim, sale), wanted)


async def test_two_restarts_in_a_row_and_the_next_sale(make_till: MakeTill, sim: Simulator) -> None:
    till = await make_till()
    sale = await till.start()
    crash_at(till.client, "create_payment", after=True)
    await until_crash(sale, sim, "pin")
    till, sale, _ = await restart(make_till, till)
    crash_at(till.client, "open_order", after=True)
    with pytest.raises(Crash):
        await cashier_finishes(sale, sim)
    till, sale, wanted = await restart(make_till, till)
    assert sale.view.phase is Phase.DONE
    assert_sale_completed(sim, order_id(sim, sale), wanted)
    following = till.new_sale()
    await scan_all(following, SKUS[3])
    await following.pay_pin()
    assert following.view.phase is Phase.DONE
    assert_money_invariants(sim)
