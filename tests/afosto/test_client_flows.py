"""The client drives the guide's flows against the simulator over a real socket."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.waiting import polled, until
from tui_pos.afosto import AfostoClient, Conflict, Order, ValidationFailed
from tui_pos.afosto.assumed import PaymentMethod
from tui_pos.afosto.base import OrderStatus, PaymentStatus
from tui_pos.sim import DEMO_CHANNEL_ID, Simulator
from tui_pos.sim.catalog import CATALOG

SKUS = [sku for sku, product in CATALOG.items() if product.price % 100 not in (13, 14, 15)]


async def method(client: AfostoClient, order: Order, code: str) -> PaymentMethod:
    full = await client.get_order(order.id, with_options=True)
    assert full.options is not None
    return next(m for m in full.options.payment.methods if m.code == code)


async def attach_pin(client: AfostoClient, order: Order) -> None:
    pin = await method(client, order, "PIN")
    terminal = next(t for t in pin.terminals if t.is_online)
    await client.add_payment_method(order.id, pin.id, terminal_id=terminal.id)


async def attach_cash(client: AfostoClient, order: Order) -> None:
    cash = await method(client, order, "CASH")
    await client.add_payment_method(order.id, cash.id, drawer_id=cash.drawers[0].id)


async def invoice_ids(client: AfostoClient, order_id: str) -> list[str]:
    """Poll the order's actions (bounded) until the invoice action appears."""

    async def ids() -> list[str]:
        return (await client.get_order(order_id)).action_ids("invoice")

    return await polled(ids, bool, "the invoice action")


async def order_with(client: AfostoClient, items: dict[str, int]) -> Order:
    order = await client.create_order(DEMO_CHANNEL_ID, "EUR")
    return await client.add_items(order.id, items)


async def test_pin_flow_from_the_guide(client: AfostoClient) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID, "EUR")
    assert order.status is OrderStatus.CONCEPT and order.total == 0
    order = await client.add_items(order.id, {SKUS[0]: 2, SKUS[1]: 1})
    order = await client.add_items(order.id, {SKUS[0]: 1})
    line = next(item for item in order.items if item.sku == SKUS[0])
    assert line.quantity == 3 and len(set(line.ids)) == 3
    assert order.total == sum(item.total for item in order.items) > 0

    await attach_pin(client, order)
    payment = await client.create_payment(order.id, order.total)
    assert payment.status is PaymentStatus.PENDING and payment.action is not None
    assert payment.action.type == "START"
    assert order.total % 100 not in (13, 14, 15)  # not a terminal test amount
    settled = await client.start_terminal(payment)
    assert settled.is_paid and settled.status is PaymentStatus.PAID

    opened = await client.open_order(order.id)
    assert opened.status is OrderStatus.OPEN
    ids = await invoice_ids(client, order.id)
    assert sorted(ids) == sorted(order.unit_ids)
    invoice = await client.invoice_items(ids)
    assert invoice.total == order.total and invoice.number
    final = await client.get_order(order.id)
    assert final.action_ids("invoice") == [] and [i.id for i in final.invoices] == [invoice.id]
    assert final.paid == final.total and final.due == 0


async def test_cash_flow(client: AfostoClient) -> None:
    order = await order_with(client, {SKUS[2]: 1})
    await attach_cash(client, order)
    payment = await client.create_payment(order.id, order.total)
    assert payment.action is not None and payment.action.type == "PAY"
    paid = await client.pay_cash(payment.id, payment.amount)
    assert paid.is_paid and (await client.get_payment(payment.id)).is_paid
    await client.open_order(order.id)
    invoice = await client.invoice_items(await invoice_ids(client, order.id))
    assert invoice.total == order.total


async def test_split_payment_part_pin_part_cash(client: AfostoClient) -> None:
    order = await order_with(client, {SKUS[3]: 2, SKUS[4]: 1})
    part = order.total // 2
    if part % 100 in (13, 14, 15):
        part -= 3
    await attach_pin(client, order)
    card = await client.start_terminal(await client.create_payment(order.id, part))
    assert card.is_paid
    with pytest.raises(ValidationFailed):
        await client.open_order(order.id)  # not fully paid yet
    await attach_cash(client, order)
    rest = order.total - part
    with pytest.raises(ValidationFailed):
        await client.create_payment(order.id, rest + 1)  # more than is due
    cash = await client.create_payment(order.id, rest)
    await client.pay_cash(cash.id, rest)
    after = await client.get_order(order.id)
    assert after.due == 0 and sorted(p.method_code for p in after.payments) == ["CASH", "PIN"]
    assert (await client.open_order(order.id)).status is OrderStatus.OPEN


async def test_partial_invoicing_then_the_rest_into_the_same_invoice(
    client: AfostoClient,
) -> None:
    order = await order_with(client, {SKUS[5]: 2, SKUS[6]: 1})
    await attach_cash(client, order)
    payment = await client.create_payment(order.id, order.total)
    await client.pay_cash(payment.id, order.total)
    await client.open_order(order.id)
    ids = await invoice_ids(client, order.id)
    first = await client.invoice_items(ids[:1])
    remaining = (await client.get_order(order.id)).action_ids("invoice")
    assert sorted(remaining) == sorted(ids[1:])
    with pytest.raises(ValidationFailed):
        await client.invoice_items(ids[:1])  # already invoiced
    second = await client.invoice_items(remaining, invoice_id=first.id)
    assert second.id == first.id and second.total == order.total


async def test_remove_units(client: AfostoClient) -> None:
    order = await order_with(client, {SKUS[7]: 3})
    unit = order.items[0].ids[0]
    order = await client.remove_items(order.id, [unit])
    assert order.items[0].quantity == 2 and unit not in order.unit_ids


@pytest.mark.parametrize(
    ("cents", "status", "paid"),
    [
        (1013, PaymentStatus.CANCELLED, False),  # declined
        (1014, PaymentStatus.PENDING, False),  # the customer aborted
        (1015, PaymentStatus.EXPIRED, False),  # the terminal timed out
        (1000, PaymentStatus.PAID, True),
    ],
)
async def test_every_terminal_outcome(
    client: AfostoClient, cents: int, status: PaymentStatus, paid: bool
) -> None:
    order = await order_with(client, {SKUS[8]: 50})
    await attach_pin(client, order)
    settled = await client.start_terminal(await client.create_payment(order.id, cents))
    assert (settled.status, settled.is_paid) == (status, paid)


async def test_a_declined_payment_can_be_restarted(client: AfostoClient, sim: Simulator) -> None:
    order = await order_with(client, {SKUS[9]: 1})
    await attach_pin(client, order)
    sim.terminal_outcomes.extend(["CANCELLED", "PAID"])
    payment = await client.create_payment(order.id, order.total)
    assert not (await client.start_terminal(payment)).is_paid
    assert (await client.start_terminal(payment)).is_paid


async def test_a_second_start_while_the_terminal_is_busy_is_a_conflict(
    client: AfostoClient, sim: Simulator
) -> None:
    sim.terminal_delay = 1.0  # long enough for the second start, under any load
    order = await order_with(client, {SKUS[10]: 50})
    await attach_pin(client, order)
    payment = await client.create_payment(order.id, 1000)
    first = asyncio.create_task(client.start_terminal(payment))
    terminal = sim.store.terminals["term_front"]
    await until(lambda: terminal.busy_with == payment.id, "the first start on the terminal")
    with pytest.raises(Conflict):
        await client.start_terminal(payment)
    assert (await first).is_paid


async def test_the_terminal_long_poll_outlasts_the_normal_timeout(
    sim_url: str, sim: Simulator
) -> None:
    from pydantic import SecretStr

    from tui_pos.sim import DEMO_TOKEN

    sim.terminal_delay = 0.6
    async with AfostoClient(
        sim_url, SecretStr(DEMO_TOKEN), timeout=0.3, terminal_timeout=5.0
    ) as client:
        order = await order_with(client, {SKUS[11]: 50})
        await attach_pin(client, order)
        payment = await client.create_payment(order.id, 500)
        assert (await client.start_terminal(payment)).is_paid
