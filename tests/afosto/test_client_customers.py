"""The client's customer calls against the simulator over a real socket: the search, a
customer on a new order, attached, replaced and removed later, and every error."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from pydantic import ValidationError

from tui_pos.afosto import (
    AfostoClient,
    CustomerInput,
    InvalidResponse,
    NotFound,
    Order,
    OutcomeUnknown,
    RateLimited,
    Unavailable,
    ValidationFailed,
)
from tui_pos.afosto.assumed import CustomerMatch
from tui_pos.sim import DEMO_CHANNEL_ID, Fault, Simulator
from tui_pos.sim.catalog import CATALOG

SKU = next(iter(CATALOG))
ZOE = CustomerInput(contact_id="con_1001")
ZWAAN = CustomerInput(organisation_id="org_2002")


async def test_search_by_number_name_email_and_phone(client: AfostoClient) -> None:
    (card,) = await client.search_customers("K100001")
    assert isinstance(card, CustomerMatch)
    assert (card.kind, card.id, card.number, card.name) == (
        "contact",
        "con_1001",
        "K100001",
        "Zoë Janssens",
    )
    assert card.contact is not None and card.contact.email == "zoe.janssens@example.be"
    (org,) = await client.search_customers("zwaan")
    assert (org.kind, org.name, org.number) == ("organisation", "Café De Zwaan BV", "K200002")
    assert [m.number for m in await client.search_customers("janss")] == ["K100008", "K100001"]
    assert [m.number for m in await client.search_customers("+31 6 8765")] == ["K100004"]
    assert len(await client.search_customers("example", limit=3)) == 3
    assert await client.search_customers("no such person") == []


async def test_search_refusals_are_validation_errors(client: AfostoClient) -> None:
    for query, limit in (("j", 10), ("", 10), ("jan", 0), ("jan", 51)):
        with pytest.raises(ValidationFailed):
            await client.search_customers(query, limit)


async def test_an_order_created_with_a_customer(client: AfostoClient) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID, customer=ZWAAN)
    assert order.customer is not None
    assert (order.customer.kind, order.customer.name) == ("organisation", "Café De Zwaan BV")
    assert (await client.get_order(order.id)).customer == order.customer
    plain = await client.create_order(DEMO_CHANNEL_ID)
    assert plain.customer is None


async def test_attach_replace_and_remove(client: AfostoClient) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    order = await client.add_items(order.id, {SKU: 1})
    attached = await client.add_customer_to_order(order.id, ZOE)
    assert attached.customer is not None and attached.customer.number == "K100001"
    assert attached.unit_ids == order.unit_ids
    again = await client.add_customer_to_order(order.id, ZOE)
    assert again.customer == attached.customer  # attaching twice changes nothing
    replaced = await client.add_customer_to_order(order.id, ZWAAN)
    assert replaced.customer is not None and replaced.customer.kind == "organisation"
    removed = await client.remove_customer_from_order(order.id)
    assert removed.customer is None
    assert (await client.get_order(order.id)).customer is None


async def test_unknown_ids_and_orders_are_not_found(client: AfostoClient) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    with pytest.raises(NotFound):
        await client.add_customer_to_order(order.id, CustomerInput(contact_id="con_nobody"))
    with pytest.raises(NotFound):
        await client.create_order(DEMO_CHANNEL_ID, customer=CustomerInput(organisation_id="x"))
    with pytest.raises(NotFound):
        await client.add_customer_to_order("no-such-order", ZOE)
    with pytest.raises(NotFound):
        await client.remove_customer_from_order("no-such-order")


def test_a_customer_input_names_exactly_one() -> None:
    with pytest.raises(ValidationError):
        CustomerInput()
    with pytest.raises(ValidationError):
        CustomerInput(contact_id="con_1001", organisation_id="org_2001")
    assert ZOE.wire() == {"contact_id": "con_1001"}


async def test_an_open_order_refuses_a_customer_change(
    client: AfostoClient, sim: Simulator
) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID, customer=ZOE)
    order = await client.add_items(order.id, {SKU: 1})
    sim.store.attach_payment_method(order.id, "pm_cash", drawer_id="drawer_main")
    payment = sim.store.create_payment(order.id, order.total)
    sim.store.pay_manually(payment.id, payment.amount)
    opened = await client.open_order(order.id)
    assert opened.customer is not None
    with pytest.raises(ValidationFailed):
        await client.add_customer_to_order(order.id, ZWAAN)
    with pytest.raises(ValidationFailed):
        await client.remove_customer_from_order(order.id)


Call = Callable[[AfostoClient, Order], Awaitable[object]]
CALLS: dict[str, Call] = {
    "searchCustomers": lambda client, order: client.search_customers("zoë"),
    "addCustomerToOrder": lambda client, order: client.add_customer_to_order(order.id, ZOE),
    "removeCustomerFromOrder": lambda client, order: client.remove_customer_from_order(order.id),
}


@pytest.mark.parametrize("operation", sorted(CALLS))
@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault("status", status=503), Unavailable),
        (Fault("graphql_error", code="INTERNAL_SERVER_ERROR"), Unavailable),
        (Fault("graphql_error", code="RATE_LIMITED", times=None), RateLimited),
        (Fault("drop_before"), OutcomeUnknown),
        (Fault("drop_after"), OutcomeUnknown),
        (Fault("not_json"), InvalidResponse),
        (Fault("wrong_shape"), InvalidResponse),
        (Fault("bad_gzip"), InvalidResponse),
        (Fault("delay", seconds=3.0), OutcomeUnknown),  # the client waits 2 s
    ],
    ids=lambda value: value.kind if isinstance(value, Fault) else value.__name__,
)
async def test_every_fault_kind_comes_out_typed(
    client: AfostoClient, sim: Simulator, operation: str, fault: Fault, error: type[Exception]
) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    sim.inject(operation, fault)
    with pytest.raises(error):
        await CALLS[operation](client, order)
    sim.clear_faults()
    await CALLS[operation](client, order)  # and works once the fault is gone
