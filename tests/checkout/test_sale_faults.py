"""Every mutation's answer lost, refused or garbled: the sale carries on, money stays right."""

from __future__ import annotations

import time

import pytest

from tests.support.enginekit import (
    SKUS,
    assert_money_invariants,
    assert_sale_completed,
    order_id,
    scan_all,
    settled,
    standard_sale,
)
from tests.support.waiting import until
from tui_pos.checkout import Phase, Sale
from tui_pos.money import format_money
from tui_pos.sim import Fault, Simulator

GRAPHQL = [
    "createOrder",
    "addItemsToOrder",
    "removeItemsFromOrder",
    "addPaymentMethodToOrder",
    "openOrder",
    "invoiceItems",
    "order",
]
REST = ["createPayment", "startPayment", "payPayment", "getPayment"]
FAULTS = {
    "drop_after": Fault("drop_after"),
    "drop_before": Fault("drop_before"),
    "500": Fault("status", status=500),
    "503": Fault("status", status=503),
    "429": Fault("status", status=429, retry_after=0),
    "not_json": Fault("not_json"),
    "wrong_shape": Fault("wrong_shape"),
}
CASES = [
    (operation, name)
    for operation in GRAPHQL + REST
    for name in FAULTS
    if not (operation == "getPayment" and name == "drop_after")
]


def method_for(operation: str) -> str:
    return "cash" if operation == "payPayment" else "pin"


@pytest.mark.parametrize(("operation", "fault"), CASES)
async def test_a_fault_on_one_call_loses_nothing(
    sale: Sale, sim: Simulator, operation: str, fault: str
) -> None:
    sim.inject(operation, FAULTS[fault])
    cart = await standard_sale(sale, sim, method_for(operation))
    assert sale.view.phase is Phase.DONE
    assert_sale_completed(sim, order_id(sim, sale), cart)


@pytest.mark.parametrize("operation", ["addItemsToOrder", "createPayment", "openOrder"])
async def test_graphql_internal_errors_and_rate_limits(
    sale: Sale, sim: Simulator, operation: str
) -> None:
    if operation != "createPayment":
        sim.inject(operation, Fault("graphql_error", code="INTERNAL_SERVER_ERROR"))
    sim.inject(operation, Fault("status", status=429, retry_after=0))
    cart = await standard_sale(sale, sim)
    assert_sale_completed(sim, order_id(sim, sale), cart)


async def test_an_orphan_order_from_a_lost_create_holds_nothing(sale: Sale, sim: Simulator) -> None:
    sim.inject("createOrder", Fault("drop_after"))
    await standard_sale(sale, sim)
    orders = sim.store.snapshot()["orders"]
    assert len(orders) == 2 and not orders[0]["lines"] and orders[0]["status"] == "CONCEPT"
    assert_money_invariants(sim)


async def test_retry_after_is_kept_as_the_screen_says(sale: Sale, sim: Simulator) -> None:
    """A sync the till retries by itself says so and retries once Retry-After is over; a
    payment the cashier asked for says to try again, and is not sent before then."""
    sim.inject("addItemsToOrder", Fault("status", status=429, retry_after=2))
    started = time.monotonic()
    sale.scan(SKUS[1])
    await until(lambda: "tries again in 2 s" in (sale.view.error or ""), "the retry said")
    await settled(sale)
    assert sale.view.synced and time.monotonic() - started >= 2.0
    sim.inject("createPayment", Fault("status", status=429, retry_after=30))
    await sale.pay_pin()
    assert "Try again in 30 s" in (sale.view.error or "")
    sent = sim.requests["createPayment"]
    await sale.pay_pin()  # pressed again at once: nothing goes out, the wait is said again
    assert sim.requests["createPayment"] == sent
    assert "Try again in 30 s" in (sale.view.error or "")


async def test_afostos_refusals_reach_the_cashier_in_words(sale: Sale, sim: Simulator) -> None:
    """Not 'unknown sku hello' or 'below the 1050000 already paid' (cents): words, and
    money as money."""
    sale.scan("hello")
    await settled(sale)
    assert sale.view.error == "Not added: Afosto does not sell hello. Check the code."
    await scan_all(sale, SKUS[1], SKUS[2])
    part = sale.view.due - 1
    await sale.pay_cash(tendered=part, amount=part)
    assert sale.view.paid == part
    sale.void(SKUS[2])
    await settled(sale)
    error = sale.view.error or ""
    assert "Not removed" in error and format_money(part) in error
    assert str(part) not in error.replace(format_money(part), "")
