"""The ways past an unconfirmed card payment an outside tester found: a retry refused
unrun, a restart after a 409 or after the cashier's "it failed" and a later retry, the
order gone meanwhile, a void while F9 prepares, a retry whose follow-up fails."""

from __future__ import annotations

import asyncio

from tests.support.enginekit import (
    SKUS,
    MakeTill,
    assert_money_invariants,
    order_id,
    scan_all,
    settled,
    stop_waiting_on_the_terminal,
)
from tests.support.waiting import until
from tui_pos.afosto import Unavailable
from tui_pos.checkout import Phase, Sale, TerminalState, Till
from tui_pos.sim import Fault, Simulator
from tui_pos.sim.catalog import CATALOG
from tui_pos.sim.tenant import FRONT_TERMINAL


async def unsure(make_till: MakeTill, sim: Simulator) -> tuple[Till, Sale]:
    sim.terminal_delay = 30.0  # the customer never finishes in these tests
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    await stop_waiting_on_the_terminal(sale, sim)
    assert sale.view.card_unconfirmed
    return till, sale


async def restart(make_till: MakeTill, till: Till) -> Sale:
    await till.close()
    return await (await make_till()).start()


async def test_a_retry_refused_unrun_leaves_the_first_start_unconfirmed(
    make_till: MakeTill, sim: Simulator
) -> None:
    _, sale = await unsure(make_till, sim)
    sim.set_terminal_online(FRONT_TERMINAL.id, False)  # the retry is refused (422)
    await sale.retry_terminal()
    assert sale.view.card_unconfirmed and sale.view.terminal is TerminalState.UNKNOWN
    await sale.pay_cash(tendered=10_000)
    assert sim.requests["createPayment"] == 1 and sale.view.paid == 0


async def test_a_5xx_on_the_long_poll_is_not_taken_as_never_started(
    make_till: MakeTill, sim: Simulator
) -> None:
    sim.terminal_delay = 30.0
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    sim.inject("startPayment", Fault("status", status=502))
    await sale.pay_pin()
    assert sale.view.card_unconfirmed  # a gateway may give up while the terminal runs
    await sale.pay_cash(tendered=10_000)
    assert sim.requests["createPayment"] == 1


async def test_unconfirmed_after_a_restart_that_followed_a_409(
    make_till: MakeTill, sim: Simulator
) -> None:
    till, sale = await unsure(make_till, sim)
    await sale.retry_terminal()  # the terminal still runs it: 409
    assert sale.view.terminal is TerminalState.BUSY and sale.view.card_unconfirmed
    sale = await restart(make_till, till)
    assert sale.view.card_unconfirmed and sale.view.phase is Phase.TERMINAL


async def test_a_retry_after_the_cashiers_it_failed_is_unsure_again_after_a_restart(
    make_till: MakeTill, sim: Simulator
) -> None:
    till, sale = await unsure(make_till, sim)
    sale.confirm_terminal_failed()
    assert not sale.view.card_unconfirmed
    sim.clear_faults()
    for payment in sim.store.payments.values():  # the terminal gave up on it after all
        payment.in_transaction = False
    for terminal in sim.store.terminals.values():
        terminal.busy_with = None
    await stop_waiting_on_the_terminal_again(sale)
    assert sale.view.card_unconfirmed
    sale = await restart(make_till, till)
    assert sale.view.card_unconfirmed


async def stop_waiting_on_the_terminal_again(sale: Sale) -> None:
    retrying = asyncio.create_task(sale.retry_terminal())
    await until(lambda: sale.view.terminal is TerminalState.WAITING, "the terminal waiting")
    sale.stop_waiting()
    await retrying


async def test_an_order_gone_while_the_card_is_unconfirmed_counts_as_money_taken(
    make_till: MakeTill, sim: Simulator
) -> None:
    _, sale = await unsure(make_till, sim)
    sale.back_to_sale()
    sim.store.delete_order(order_id(sim, sale))
    sale.scan(SKUS[2])
    await settled(sale)
    assert sale.view.order_gone  # kept for support, not moved to a new order
    assert sim.requests["createOrder"] == 1


async def test_no_item_changes_while_f9_prepares_the_payment(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1], SKUS[2])
    sim.latency = 0.2
    paying = asyncio.create_task(sale.pay_pin())
    await until(lambda: sale.view.busy, "the sale busy")
    sale.void(SKUS[2])  # while the payment is prepared from the cart as it stands
    assert "items can no longer change" in (sale.view.error or "")
    await paying
    assert sale.view.phase is Phase.DONE
    assert_money_invariants(sim)


async def test_a_retry_whose_follow_up_fails_leaves_keys_that_work(
    make_till: MakeTill, sim: Simulator
) -> None:
    declined = next(sku for sku, product in CATALOG.items() if product.price % 100 == 13)
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, declined)
    await sale.pay_pin()
    assert sale.view.terminal is TerminalState.DECLINED

    async def unreachable(*args: object, **kwargs: object) -> None:
        raise Unavailable("order: cannot reach the API")

    till.client.get_order = unreachable  # type: ignore[method-assign,assignment]
    await sale.retry_terminal()  # declined again; reading the order then fails
    assert sale.view.terminal not in (TerminalState.WAITING, TerminalState.CHECKING)
    assert not sale.view.busy and "cannot be reached" in (sale.view.error or "")
