"""The order changes on Afosto's side during a payment (the back office adds an item while
the terminal waits): the cart shows Afosto's lines, and the sale goes back to payment
with what is due instead of sticking while it is finished."""

from __future__ import annotations

import asyncio

from tests.support.enginekit import (
    SKUS,
    MakeTill,
    assert_money_invariants,
    assert_sale_completed,
    order_id,
    pay_and_meanwhile,
    scan_all,
    settled,
)
from tui_pos.checkout import Phase, Sale, TerminalState, Till
from tui_pos.money import format_money
from tui_pos.sim import Simulator
from tui_pos.sim.app import Arrival, Hold
from tui_pos.sim.catalog import CATALOG

A, B = SKUS[0], SKUS[1]


async def pay_while_the_back_office_adds(sale: Sale, sim: Simulator) -> None:
    """Scan A, start a card payment and add B to the order while the terminal waits."""
    await pay_and_meanwhile(sale, sim, lambda order_id: sim.store.add_items(order_id, [(B, 1)]))


async def test_an_item_added_during_the_payment_is_paid_for(sale: Sale, sim: Simulator) -> None:
    await pay_while_the_back_office_adds(sale, sim)
    view = sale.view
    assert view.phase is Phase.TENDER, view
    assert view.terminal is TerminalState.APPROVED
    assert view.paid == CATALOG[A].price and view.due == CATALOG[B].price
    assert format_money(CATALOG[B].price) in (view.error or ""), view.error
    (mine, theirs) = view.lines
    assert mine.sku == A and not mine.by_afosto
    assert theirs.sku == B and theirs.by_afosto and not theirs.pending
    assert not sale.view.busy

    await sale.pay_cash(tendered=view.due)  # the pay keys work
    assert sale.view.phase is Phase.DONE, sale.view
    assert_sale_completed(sim, order_id(sim, sale), {A: 1, B: 1})
    assert sim.store.orders[order_id(sim, sale)].open_attempts == 2  # the refused one, then this


async def test_after_a_restart_the_cart_shows_the_added_line(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till()
    sale = await till.start()
    await pay_while_the_back_office_adds(sale, sim)
    await till.close()  # the power goes

    till = await make_till()
    sale = await till.start()
    view = sale.view
    assert view.phase is Phase.TENDER and view.due == CATALOG[B].price
    assert [(line.sku, line.by_afosto) for line in view.lines] == [(A, False), (B, True)]
    sale.void(B)  # the till never removes Afosto's line
    assert "added to the order in Afosto" in (sale.view.error or "")
    await settled(sale)
    assert not sim.requests.get("removeItemsFromOrder")
    await sale.pay_cash(tendered=sale.view.due)
    assert sale.view.phase is Phase.DONE
    assert_sale_completed(sim, order_id(sim, sale), {A: 1, B: 1})


async def test_an_unpaid_order_is_never_opened(till: Till, sale: Sale, sim: Simulator) -> None:
    """finish() on an order that is not paid in full says what is due and stays payable."""
    await scan_all(sale, A)
    await sale.pay_cash(tendered=CATALOG[A].price)
    assert sale.view.phase is Phase.DONE  # a normal sale first
    sale2 = till.new_sale()
    await scan_all(sale2, B)
    await sale2.finish()
    assert sale2.view.phase is Phase.SCANNING and not sale2.view.busy
    assert format_money(CATALOG[B].price) in (sale2.view.error or "")
    assert_money_invariants(sim)
    assert all(o.open_attempts <= 1 for o in sim.store.orders.values())


async def test_no_scan_goes_in_while_a_paid_sale_is_being_finished(
    sale: Sale, sim: Simulator
) -> None:
    """Between the payment that pays it all and the order opened, a scan is refused in
    words (it would go to an order being opened, and be dropped after)."""
    release, held = asyncio.Event(), asyncio.Event()
    reads: list[Arrival] = []

    def hold_the_read_after_paying(arrival: Arrival) -> Hold | None:
        """The order is read once as the cash is recorded, then as finishing begins."""
        if "order" not in arrival.operations or not sim.requests.get("payPayment"):
            return None
        reads.append(arrival)
        if len(reads) != 2:
            return None

        async def hold() -> None:
            held.set()
            await release.wait()

        return hold

    await scan_all(sale, A)
    sim.observers.append(hold_the_read_after_paying)
    paying = asyncio.create_task(sale.pay_cash(tendered=CATALOG[A].price))
    await asyncio.wait_for(held.wait(), 5)
    sale.scan(B)
    assert sale.view.error == "The sale is being paid; items can no longer change."
    release.set()
    await asyncio.wait_for(paying, 5)
    assert sale.view.phase is Phase.DONE and [line.sku for line in sale.view.lines] == [A]
    assert_sale_completed(sim, order_id(sim, sale), {A: 1})
