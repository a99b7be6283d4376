"""Every mutation's answer lost, refused or garbled: the sale carries on, money stays right."""

from __future__ import annotations

import pytest
from enginekit import assert_money_invariants, assert_sale_completed, standard_sale

from tui_pos.checkout import Phase, Sale
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
    assert sale.view.phase is Phase.DONE and sale.order is not None
    assert_sale_completed(sim, sale.order.id, cart)


@pytest.mark.parametrize("operation", ["addItemsToOrder", "createPayment", "openOrder"])
async def test_graphql_internal_errors_and_rate_limits(
    sale: Sale, sim: Simulator, operation: str
) -> None:
    if operation != "createPayment":
        sim.inject(operation, Fault("graphql_error", code="INTERNAL_SERVER_ERROR"))
    sim.inject(operation, Fault("status", status=429, retry_after=0))
    cart = await standard_sale(sale, sim)
    assert sale.order is not None
    assert_sale_completed(sim, sale.order.id, cart)


async def test_an_orphan_order_from_a_lost_create_holds_nothing(sale: Sale, sim: Simulator) -> None:
    sim.inject("createOrder", Fault("drop_after"))
    await standard_sale(sale, sim)
    orders = sim.store.snapshot()["orders"]
    assert len(orders) == 2 and not orders[0]["lines"] and orders[0]["status"] == "CONCEPT"
    assert_money_invariants(sim)
