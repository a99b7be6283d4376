"""The simulator's public hook for spies: observers told of each API request as it
reaches an operation (before faults), and able to hold an answer once it is processed."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.support.simkit import MILK, PAYMENTS, Api
from tests.support.waiting import until
from tui_pos.sim import Fault, Simulator
from tui_pos.sim.app import Arrival, Hold


async def test_observers_see_each_request_in_order_before_faults(api: Api, sim: Simulator) -> None:
    seen: list[Arrival] = []
    sim.observers.append(seen.append)
    sim.inject("addItemsToOrder", Fault("drop_before"))
    sent = time.monotonic()
    order = await api.create_order()
    with pytest.raises(httpx.TransportError):
        await api.add_items(order["id"], (MILK, 1))
    await api.client.get(f"{PAYMENTS}/nope")
    await api.client.get("/_sim/state")  # the simulator's own admin calls are not told
    assert [arrival.operations for arrival in seen] == [
        ("createOrder",),
        ("addItemsToOrder",),  # told, though the fault dropped it
        ("getPayment",),
    ]
    assert seen[2].method == "GET" and seen[2].path == f"{PAYMENTS}/nope"
    assert seen[0].method == "POST" and seen[0].path == "/graphql"
    assert b"createOrder" in seen[0].body and MILK.encode() in seen[1].body
    assert sent <= seen[0].at <= seen[1].at <= seen[2].at <= time.monotonic()
    assert sum(sim.requests.values()) == len(seen)  # the requests the counter counts


async def test_an_observer_holds_an_answer_after_the_request_is_processed(
    api: Api, sim: Simulator
) -> None:
    release = asyncio.Event()
    held: list[tuple[str, ...]] = []

    def hold_orders(arrival: Arrival) -> Hold | None:
        if "createOrder" not in arrival.operations:
            return None

        async def hold() -> None:
            held.append(arrival.operations)
            await release.wait()

        return hold

    sim.observers.append(hold_orders)
    creating = asyncio.create_task(api.create_order())
    await until(lambda: bool(held), "the answer held")
    assert len(sim.store.orders) == 1 and not creating.done()  # processed, not answered
    release.set()
    order = await asyncio.wait_for(creating, 5)
    assert order["id"] in sim.store.orders
