"""Customers over a real socket: the search, a customer on a new order, attaching,
replacing and removing later, the refusals, and every fault kind on the new operations."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.simkit import MILK, Api, error_code
from tui_pos.sim import DEMO_CHANNEL_ID, Fault, Simulator, snapshot
from tui_pos.sim.customers import CUSTOMERS, MAX_LIMIT
from tui_pos.sim.errors import ErrorCode

MATCH = """
  contact { id number given_name family_name email phone }
  organisation { id number name }
"""
SEARCH = f"query($q: String!, $n: Int) {{ searchCustomers(query: $q, limit: $n) {{ {MATCH} }} }}"
ON_ORDER = f"query($id: String!) {{ order(id: $id) {{ customer {{ {MATCH} }} }} }}"
ZOE = {"contact_id": "con_1001"}
ZWAAN = {"organisation_id": "org_2002"}


async def search(api: Api, query: str, limit: int | None = None) -> dict[str, Any]:
    return await api.graphql(SEARCH, q=query, n=limit)


def numbers(result: dict[str, Any]) -> list[str]:
    return [
        (match["contact"] or match["organisation"])["number"]
        for match in result["data"]["searchCustomers"]
    ]


async def customer_on(api: Api, order_id: str) -> dict[str, Any] | None:
    result = await api.graphql(ON_ORDER, id=order_id)
    customer: dict[str, Any] | None = result["data"]["order"]["customer"]
    return customer


async def attach(api: Api, order_id: str, customer: dict[str, Any]) -> dict[str, Any]:
    return await api.mutate(
        "addCustomerToOrder",
        "AddCustomerToOrderInput",
        {"order_id": order_id, "customer": customer},
    )


async def remove(api: Api, order_id: str) -> dict[str, Any]:
    return await api.mutate(
        "removeCustomerFromOrder", "RemoveCustomerFromOrderInput", {"order_id": order_id}
    )


def test_the_demo_tenant_has_contacts_and_organisations_with_accents() -> None:
    contacts = [c for c in CUSTOMERS if c.is_contact]
    assert 6 <= len(contacts) <= 10 and 2 <= len(CUSTOMERS) - len(contacts) <= 3
    assert len({c.number for c in CUSTOMERS}) == len({c.id for c in CUSTOMERS}) == len(CUSTOMERS)
    assert {"Zoë Janssens", "Jérôme Dubois"} <= {c.name for c in contacts}
    assert all(c.email for c in contacts)


async def test_a_number_matches_exactly_and_alone(api: Api) -> None:
    result = await search(api, "K100008")
    (match,) = result["data"]["searchCustomers"]
    assert match["organisation"] is None
    assert match["contact"] == {
        "id": "con_1008",
        "number": "K100008",
        "given_name": "Jan",
        "family_name": "Janssen",
        "email": "jan.janssen@example.nl",
        "phone": "+31 6 11223344",
    }
    org = await search(api, "k200002")  # a number typed in lower case
    zwaan = {"id": "org_2002", "number": "K200002", "name": "Café De Zwaan BV"}
    assert org["data"]["searchCustomers"] == [{"contact": None, "organisation": zwaan}]


async def test_a_part_of_the_name_email_or_phone_case_insensitively_best_first(
    api: Api,
) -> None:
    assert numbers(await search(api, "JANSS")) == ["K100008", "K100001"]  # Jan, then Zoë
    assert numbers(await search(api, "zoë")) == ["K100001"]
    assert numbers(await search(api, "jerome.dubois@")) == ["K100002"]  # the email
    assert numbers(await search(api, "98 76")) == ["K100002"]  # the phone
    # A word of the name starting with it comes before a part of a name, then email.
    assert numbers(await search(api, "bak")) == ["K200001", "K100006"]
    assert numbers(await search(api, "example.be"))[:1] != []
    assert numbers(await search(api, "nobody at all")) == []


async def test_the_limit_caps_the_matches_and_must_be_1_to_50(api: Api) -> None:
    everyone = numbers(await search(api, "example", MAX_LIMIT))
    assert len(everyone) == len([c for c in CUSTOMERS if "example" in (c.email or "")])
    assert numbers(await search(api, "example", 2)) == everyone[:2]
    assert len(numbers(await search(api, "example"))) == min(10, len(everyone))  # default
    for limit in (0, MAX_LIMIT + 1):
        assert error_code(await search(api, "example", limit)) == "VALIDATION_ERROR"


@pytest.mark.parametrize("query", ["", "j", " j "])
async def test_a_query_under_two_characters_is_refused(api: Api, query: str) -> None:
    result = await search(api, query)
    assert error_code(result) == "VALIDATION_ERROR" and result["data"] is None


async def test_an_order_created_with_a_customer(api: Api, sim: Simulator) -> None:
    order = await api.mutate(
        "createOrder", "CreateOrderInput", {"channel_id": DEMO_CHANNEL_ID, "customer": ZOE}
    )
    assert order["status"] == "CONCEPT"
    customer = await customer_on(api, order["id"])
    assert customer is not None and customer["organisation"] is None
    assert customer["contact"]["number"] == "K100001"
    (saved,) = sim.store.snapshot()["orders"]
    assert saved["customer"] == {
        "kind": "contact",
        "id": "con_1001",
        "number": "K100001",
        "name": "Zoë Janssens",
    }


@pytest.mark.parametrize(
    ("customer", "code"),
    [
        ({"contact_id": "con_nobody"}, "NOT_FOUND"),
        ({"organisation_id": "con_1001"}, "NOT_FOUND"),  # a contact's id as an organisation
        ({}, "VALIDATION_ERROR"),
        ({"contact_id": "con_1001", "organisation_id": "org_2001"}, "VALIDATION_ERROR"),
    ],
)
async def test_create_order_refuses_a_wrong_customer(
    api: Api, sim: Simulator, customer: dict[str, str], code: str
) -> None:
    result = await api.mutate(
        "createOrder", "CreateOrderInput", {"channel_id": DEMO_CHANNEL_ID, "customer": customer}
    )
    assert error_code(result) == code
    assert sim.store.orders == {}


async def test_attach_replace_and_remove_while_concept(api: Api, sim: Simulator) -> None:
    order = await api.create_order()
    assert await customer_on(api, order["id"]) is None
    await api.add_items(order["id"], (MILK, 1))
    await attach(api, order["id"], ZOE)
    again = await attach(api, order["id"], ZOE)  # idempotent
    assert "errors" not in again
    customer = await customer_on(api, order["id"])
    assert customer is not None and customer["contact"]["id"] == "con_1001"
    await attach(api, order["id"], ZWAAN)  # replaced
    customer = await customer_on(api, order["id"])
    assert customer is not None and customer["contact"] is None
    assert customer["organisation"]["name"] == "Café De Zwaan BV"
    assert "errors" not in await remove(api, order["id"])
    assert await customer_on(api, order["id"]) is None
    assert "errors" not in await remove(api, order["id"])  # nothing on it: nothing changes
    assert sim.store.snapshot()["orders"][0]["customer"] is None


async def test_attach_refusals(api: Api) -> None:
    order = await api.create_order()
    for customer, code in (
        ({"contact_id": "con_nobody"}, "NOT_FOUND"),
        ({"organisation_id": "org_nobody"}, "NOT_FOUND"),
        ({}, "VALIDATION_ERROR"),
        ({"contact_id": "con_1001", "organisation_id": "org_2001"}, "VALIDATION_ERROR"),
    ):
        assert error_code(await attach(api, order["id"], customer)) == code
    assert error_code(await attach(api, "no-such-order", ZOE)) == "NOT_FOUND"
    assert error_code(await remove(api, "no-such-order")) == "NOT_FOUND"
    assert await customer_on(api, order["id"]) is None


async def test_an_open_order_keeps_its_customer(api: Api) -> None:
    order = await api.paid_pin_order((MILK, 1))
    await attach(api, order["id"], ZOE)  # refused below once open; attach first
    order = await api.open_order(order["id"])
    assert order["status"] == "OPEN"
    assert error_code(await attach(api, order["id"], ZWAAN)) == "VALIDATION_ERROR"
    assert error_code(await remove(api, order["id"])) == "VALIDATION_ERROR"
    customer = await customer_on(api, order["id"])
    assert customer is not None and customer["contact"]["id"] == "con_1001"


async def test_the_customer_survives_a_saved_and_loaded_simulator(api: Api, sim: Simulator) -> None:
    order = await api.create_order()
    await attach(api, order["id"], ZWAAN)
    copy = snapshot.restore(json.loads(json.dumps(snapshot.save(sim.store))))
    assert copy.customer_of(copy.order(order["id"])) == sim.store.customers.by_id["org_2002"]


UNREADABLE = {"drop_before", "drop_after", "bad_gzip"}
MUTATIONS = ["searchCustomers", "addCustomerToOrder", "removeCustomerFromOrder"]


async def _send(api: Api, operation: str, order_id: str) -> httpx.Response:
    """The operation as raw HTTP; the add attaches Zoë, the remove takes her off."""
    if operation == "searchCustomers":
        body: dict[str, Any] = {"query": SEARCH, "variables": {"q": "zoë"}}
    else:
        given = {"customer": ZOE} if operation == "addCustomerToOrder" else {}
        input_type = f"{operation[0].upper()}{operation[1:]}Input"
        query = (
            f"mutation($input: {input_type}!) {{ {operation}(input: $input) {{ order {{ id }} }} }}"
        )
        body = {"query": query, "variables": {"input": {"order_id": order_id, **given}}}
    return await api.client.post("/graphql", json=body)


def _changed(sim: Simulator, operation: str, order_id: str) -> bool:
    """Whether the operation took effect (a search changes nothing either way)."""
    on_order = sim.store.order(order_id).customer
    if operation == "addCustomerToOrder":
        return on_order == ZOE
    if operation == "removeCustomerFromOrder":
        return on_order is None
    return False


@pytest.mark.parametrize("operation", MUTATIONS)
@pytest.mark.parametrize(
    ("fault", "processed"),
    [
        (Fault("status", status=503), False),
        (Fault("graphql_error", code=ErrorCode.RATE_LIMITED), False),
        (Fault("not_json"), False),
        (Fault("wrong_shape"), False),
        (Fault("drop_before"), False),
        (Fault("drop_after"), True),
        (Fault("bad_gzip"), True),
        (Fault("delay", seconds=0.05), True),
    ],
    ids=lambda value: value.kind if isinstance(value, Fault) else str(value),
)
async def test_every_fault_kind_on_the_customer_operations(
    api: Api, sim: Simulator, operation: str, fault: Fault, processed: bool
) -> None:
    order = await api.create_order()
    if operation == "removeCustomerFromOrder":
        await attach(api, order["id"], ZOE)
    sim.inject(operation, fault)
    try:
        response = await _send(api, operation, order["id"])
    except httpx.HTTPError:  # hung up, or a body labelled gzip that is not
        assert fault.kind in UNREADABLE
    else:
        assert fault.kind not in UNREADABLE
        if fault.kind == "status":
            assert response.status_code == 503
        elif fault.kind == "graphql_error":
            assert error_code(response.json()) == "RATE_LIMITED"
        elif fault.kind == "delay":
            assert "errors" not in response.json()
    if operation != "searchCustomers":
        assert _changed(sim, operation, order["id"]) is processed
    assert sim.requests[operation] == 1
    assert sim.faults.describe() == []  # used up
