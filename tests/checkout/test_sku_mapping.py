"""Afosto files a scanned code under another SKU (a barcode mapped to an article, a code in
another case): the cart follows the order line the add call put it on, and no line is
sent without end."""

from __future__ import annotations

import contextlib
import itertools
import time

from tests.support.enginekit import (
    SKUS,
    Crash,
    MakeTill,
    assert_sale_completed,
    cashier_finishes,
    crash_at,
    order_id,
    scan_all,
    settled,
)
from tui_pos.checkout import Phase, Sale, Till
from tui_pos.sim import Simulator
from tui_pos.sim.catalog import CATALOG

BAG = "BAG-PAPER"


async def settle(sale: Sale, seconds: float = 3.0) -> bool:
    """Whether the item sync ends within ``seconds`` (it is left running otherwise)."""
    try:
        await settled(sale, seconds)
    except AssertionError:
        return False
    return True


async def test_a_code_afosto_files_under_another_sku_is_added_once(
    sale: Sale, sim: Simulator
) -> None:
    sim.store.sku_aliases = {"bag-paper": BAG}
    sale.scan("bag-paper")
    sale.scan(SKUS[0])
    settled = await settle(sale)
    requests = dict(sim.requests)
    assert settled, f"the sync never ended: {requests}"
    assert requests.get("addItemsToOrder") == 1 and not requests.get("removeItemsFromOrder")
    (bag, milk) = sale.view.lines
    assert bag.sku == "bag-paper" and not bag.pending and bag.label == CATALOG[BAG].label
    assert not milk.pending and sale.view.total == CATALOG[BAG].price + CATALOG[SKUS[0]].price
    sale.set_quantity("bag-paper", 3)
    assert await settle(sale)
    assert sale.view.synced and sale.view.lines[0].confirmed == 3
    sale.void("bag-paper")
    assert await settle(sale)
    assert [line.sku for line in sale.view.lines] == [SKUS[0]] and sale.view.synced
    await cashier_finishes(sale, sim)
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[0]: 1})


async def test_the_code_s_sku_holds_after_a_restart(make_till: MakeTill, sim: Simulator) -> None:
    sim.store.sku_aliases = {"bag-paper": BAG}
    till: Till = await make_till()
    sale = await till.start()
    sale.scan("bag-paper", 2)
    assert await settle(sale)
    await till.close()

    till = await make_till()
    sale = await till.start()
    sale.scan(SKUS[0])
    assert await settle(sale)
    assert sale.view.synced and [line.sku for line in sale.view.lines] == ["bag-paper", SKUS[0]]
    assert not sim.requests.get("removeItemsFromOrder")
    assert sim.requests["addItemsToOrder"] == 2


async def test_a_line_afosto_answers_but_never_takes_is_refused_in_words(
    till: Till, sale: Sale, sim: Simulator
) -> None:
    client = till.client
    calls: list[float] = []

    async def answers_without_adding(order_id: str, items: dict[str, int]):  # type: ignore[no-untyped-def]
        calls.append(time.monotonic())
        return await client.get_order(order_id)

    sale.scan(SKUS[0])
    assert await settle(sale)
    client.add_items = answers_without_adding  # type: ignore[method-assign]
    sale.scan(SKUS[1])
    assert await settle(sale, 5.0), f"the sync never ended after {len(calls)} calls"
    assert 1 < len(calls) <= 4, calls
    gaps = [later - earlier for earlier, later in itertools.pairwise(calls)]
    assert all(gap >= 0.009 for gap in gaps), gaps
    assert sale.view.error == f"Not added: Afosto did not put {SKUS[1]} on the order."
    assert [line.sku for line in sale.view.lines] == [SKUS[0]] and sale.view.synced
    assert sale.view.phase is Phase.SCANNING


async def test_a_lost_answer_to_the_add_still_tells_the_line(
    make_till: MakeTill, sim: Simulator
) -> None:
    """The power goes after Afosto added the code under its own SKU: the restarted till
    reads the order back and knows that line is the code's (no second add)."""
    sim.store.sku_aliases = {"bag-paper": BAG}
    till: Till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[0])
    crash_at(till.client, "add_items", after=True)
    sale.scan("bag-paper")
    with contextlib.suppress(Crash):
        await settled(sale)
    await till.close()

    till = await make_till()
    sale = await till.start()
    assert await settle(sale)
    assert sale.view.synced, (sale.view.lines, sim.requests)
    assert [line.sku for line in sale.view.lines] == [SKUS[0], "bag-paper"]
    assert sim.requests["addItemsToOrder"] == 2 and not sim.requests.get("removeItemsFromOrder")
    await cashier_finishes(sale, sim, "cash")
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[0]: 1, BAG: 1})
