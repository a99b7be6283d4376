"""A saved simulator, restored into a fresh one, answers for its orders as before."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from tests.support.simkit import BAG, BREAD, FAST, MILK
from tui_pos.afosto import AfostoClient
from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, SimServer, Simulator
from tui_pos.sim.snapshot import restore, save
from tui_pos.sim.state import PaymentStatus, Store


@asynccontextmanager
async def serving(sim: Simulator) -> AsyncIterator[tuple[AfostoClient, str]]:
    """The real client of ``sim`` served on a loopback port, and the port's base URL."""
    async with (
        SimServer(sim) as server,
        AfostoClient(server.base_url, SecretStr(DEMO_TOKEN), timeout=5.0) as client,
    ):
        yield client, server.base_url


async def until(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    """Poll ``check`` until it holds (bounded)."""
    for _ in range(int(seconds / 0.01)):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the state was not reached")


async def read_back(client: AfostoClient, base_url: str, order_ids: list[str]) -> str:
    """Every order (with its options) and payment as the client reads them, without the
    server's address."""
    read: list[Any] = []
    for order_id in order_ids:
        order = await client.get_order(order_id, with_options=True)
        read.append(order.model_dump(mode="json"))
        for payment in order.payments:
            read.append((await client.get_payment(payment.id)).model_dump(mode="json"))
    return json.dumps(read).replace(base_url, "")


async def test_a_restored_simulator_answers_as_before() -> None:
    sim = Simulator(**FAST)
    sim.store.sku_aliases = {"bag-paper": BAG}
    async with serving(sim) as (client, base_url):
        paid = await client.create_order(DEMO_CHANNEL_ID)
        await client.add_items(paid.id, {MILK: 2, BREAD: 1, "bag-paper": 1})
        await client.add_payment_method(paid.id, "pm_pin", terminal_id="term_front")
        card = await client.create_payment(paid.id, 119)
        await client.start_terminal(card)
        await client.add_payment_method(paid.id, "pm_cash", drawer_id="drawer_main")
        cash = await client.create_payment(paid.id, (await client.get_order(paid.id)).due)
        await client.pay_cash(cash.id, cash.amount)
        await client.open_order(paid.id)

        async def invoiceable() -> bool:
            return bool((await client.get_order(paid.id)).action_ids("invoice"))

        await until(invoiceable)
        milk = next(item for item in (await client.get_order(paid.id)).items if item.sku == MILK)
        invoice = await client.invoice_items(milk.ids)
        concept = await client.create_order(DEMO_CHANNEL_ID)
        await client.add_items(concept.id, {BREAD: 3})
        sim.set_terminal_online("term_back", True)
        before = await read_back(client, base_url, [paid.id, concept.id])

    restored = Simulator(**FAST)
    restored.store = restore(json.loads(json.dumps(save(sim.store))))
    async with serving(restored) as (client, base_url):
        assert await read_back(client, base_url, [paid.id, concept.id]) == before
        rest = (await client.get_order(paid.id)).action_ids("invoice")
        same = await client.invoice_items(rest, invoice.id)  # into the invoice made before
        assert (same.id, same.number) == (invoice.id, invoice.number)
        following = await client.create_order(DEMO_CHANNEL_ID)
        assert int(following.number) == int(concept.number) + 1
        added = await client.add_items(following.id, {"bag-paper": 1})
        assert [item.sku for item in added.items] == [BAG]


async def test_an_order_still_processing_becomes_invoiceable_after_a_restore() -> None:
    sim = Simulator(**FAST | {"invoice_delay": 0.3})
    async with serving(sim) as (client, _):
        order = await client.create_order(DEMO_CHANNEL_ID)
        await client.add_items(order.id, {MILK: 1})
        await client.add_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
        cash = await client.create_payment(order.id, 119)
        await client.pay_cash(cash.id, cash.amount)
        await client.open_order(order.id)
    data = save(sim.store)
    assert 0 < data["orders"][0]["ready_in"] <= 0.3
    restored = Simulator(**FAST)
    restored.store = restore(data)
    async with serving(restored) as (client, _):
        assert not (await client.get_order(order.id)).action_ids("invoice")

        async def invoiceable() -> bool:
            return bool((await client.get_order(order.id)).action_ids("invoice"))

        await until(invoiceable)


def test_a_payment_on_a_terminal_is_restored_off_it() -> None:
    store = Store()
    order = store.create_order(DEMO_CHANNEL_ID)
    store.add_items(order.id, [(MILK, 1)])
    store.attach_payment_method(order.id, "pm_pin", terminal_id="term_front")
    payment = store.create_payment(order.id, 119)
    store.begin_terminal_transaction(payment.id)
    restored = restore(json.loads(json.dumps(save(store))))
    again = restored.payments[payment.id]
    assert again.status is PaymentStatus.PENDING and not again.in_transaction
    assert restored.terminals["term_front"].busy_with is None
    assert restored.begin_terminal_transaction(payment.id) is PaymentStatus.PAID
    assert again.start_count == 2
