"""The sale's order is gone from Afosto (deleted in the back office, expired): with nothing
paid the journaled cart goes on a new order; with money taken the sale is kept for
support, the cashier sets it aside and sells on."""

from __future__ import annotations

import io
from pathlib import Path

from pydantic import SecretStr

from tests.support.enginekit import (
    SKUS,
    MakeTill,
    assert_sale_completed,
    cashier_finishes,
    order_id,
    pay_and_meanwhile,
    scan_all,
    settled,
)
from tui_pos.checkout import Phase, SaleStatus
from tui_pos.checkout.order import ORDER_GONE_PAID
from tui_pos.config import ScannerSettings, Settings
from tui_pos.doctor import diagnose
from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, Simulator
from tui_pos.sim.catalog import CATALOG

A, B, C = SKUS[0], SKUS[1], SKUS[2]
GONE = "This sale's order is gone from Afosto. The items were put on a new order."


async def test_with_nothing_paid_the_cart_goes_on_a_new_order(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, A, A)
    first = order_id(sim, sale)
    sim.store.delete_order(first)
    await scan_all(sale, B)
    assert sale.view.error == GONE and sale.view.synced
    assert order_id(sim, sale) != first
    assert [(line.sku, line.quantity) for line in sale.view.lines] == [(A, 2), (B, 1)]
    assert sale.view.order_number == sim.store.orders[order_id(sim, sale)].number
    await cashier_finishes(sale, sim)
    assert_sale_completed(sim, order_id(sim, sale), {A: 2, B: 1})
    assert till.journal.sale(sale.id).note.lost_orders == (first,)


async def test_gone_while_the_till_was_off(make_till: MakeTill, sim: Simulator) -> None:
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, A)
    first = order_id(sim, sale)
    await till.close()
    sim.store.delete_order(first)  # expired overnight

    till = await make_till()
    sale = await till.start()
    await settled(sale)
    assert sale.view.error == GONE and sale.view.phase is Phase.SCANNING
    assert order_id(sim, sale) != first and sale.view.synced
    await cashier_finishes(sale, sim, "cash")
    assert_sale_completed(sim, order_id(sim, sale), {A: 1})

    till = await make_till()  # and it never comes back
    assert (await till.start()).id != sale.id


async def test_with_money_taken_the_sale_is_kept_and_set_aside(
    make_till: MakeTill, sim: Simulator, sim_url: str, tmp_path: Path
) -> None:
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, A, B)
    await sale.pay_cash(tendered=500, amount=CATALOG[A].price)  # a part paid in cash
    assert sale.view.paid == CATALOG[A].price
    sim.store.delete_order(order_id(sim, sale))
    sale.scan(C)
    await settled(sale)
    assert sale.view.order_gone and sale.view.error == ORDER_GONE_PAID
    adds = sim.requests["addItemsToOrder"]
    await sale.pay_cash(tendered=500)  # no key sends anything more to the gone order
    sale.scan(C)
    await settled(sale)
    assert sale.view.error == ORDER_GONE_PAID and sim.requests["addItemsToOrder"] == adds
    assert sim.requests["createOrder"] == 1
    await till.close()

    till = await make_till()  # the same sale comes back, still kept, with its key
    again = await till.start()
    assert again.id == sale.id and again.view.order_gone
    assert again.view.error == ORDER_GONE_PAID
    text = await _doctor(sim_url, tmp_path)
    assert f"sale #{sale.id}" in text and "money was taken on it" in text

    new = till.set_aside()
    assert new.id != sale.id and not new.view.order_gone
    assert till.journal.sale(sale.id).status is SaleStatus.SET_ASIDE
    await scan_all(new, C)
    await cashier_finishes(new, sim)
    assert_sale_completed(sim, order_id(sim, new), {C: 1})
    text = await _doctor(sim_url, tmp_path)
    assert f"sale #{sale.id}" in text and "was set aside:" in text

    till = await make_till()
    assert (await till.start()).id not in (sale.id, new.id)
    assert till.journal.sale(sale.id).status is SaleStatus.SET_ASIDE  # never deleted


async def _doctor(sim_url: str, state_dir: Path) -> str:
    settings = Settings(
        api_url=sim_url,
        api_token=SecretStr(DEMO_TOKEN),
        channel_id=DEMO_CHANNEL_ID,
        state_dir=state_dir,
        scanner=ScannerSettings(enabled=False),
    )
    out = io.StringIO()
    await diagnose(settings, out=out)
    return out.getvalue()


async def test_gone_while_the_card_pays_is_kept_for_support(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till()
    sale = await till.start()
    await pay_and_meanwhile(sale, sim, sim.store.delete_order)  # deleted in the back office
    view = sale.view
    assert view.order_gone and view.error == ORDER_GONE_PAID
    assert view.phase in (Phase.SCANNING, Phase.TENDER) and not view.busy
    new = till.set_aside()
    await scan_all(new, B)
    await cashier_finishes(new, sim, "cash")
    assert_sale_completed(sim, order_id(sim, new), {B: 1})
