"""The GraphQL endpoint over a real socket: the checkout flow and the error shapes."""

import httpx
import pytest
from graphql import GraphQLError

from tests.support.simkit import BAG, MILK, Api, error_code
from tests.support.waiting import polled
from tui_pos.sim import DEMO_CHANNEL_ID, Simulator
from tui_pos.sim.graphql_api import SCHEMA


async def test_full_pin_checkout(api: Api, sim: Simulator) -> None:
    order = await api.create_order()
    assert order["status"] == "CONCEPT" and order["currency"] == "EUR" and order["items"] == []
    assert order["options"]["proceeding_step"] is None
    methods = {method["code"]: method for method in order["options"]["payment"]["methods"]}
    assert {terminal["id"]: terminal["is_online"] for terminal in methods["PIN"]["terminals"]} == {
        "term_front": True,
        "term_back": False,
    }
    assert methods["CASH"]["drawers"] == [{"id": "drawer_main", "label": "Kassalade"}]
    assert methods["CASH"]["terminals"] == [] and methods["PIN"]["issuers"] == []
    assert len(methods["IDEAL"]["issuers"]) >= 3

    order = await api.add_items(order["id"], (MILK, 2), (BAG, 1), (MILK, 1))
    (milk, bag) = order["items"]
    assert (milk["sku"], milk["quantity"], milk["total"], len(set(milk["ids"]))) == (
        MILK,
        3,
        357,
        3,
    )
    assert milk["label"] == "Melk halfvol 1 l" and bag["total"] == 25
    assert order["total"] == order["subtotal"] == 382

    order = await api.attach(order["id"], "pm_pin", terminal_id="term_front")
    step = order["options"]["proceeding_step"]
    assert step["is_action_required"] is True
    assert step["proceeding"] == {
        "action": "PAYMENT",
        "options": [{"type": "START", "method": "PIN", "url": None}],
    }

    payment = (await api.create_payment(order["id"], 382)).json()["data"]
    settled = (await api.client.get(payment["action"]["url"])).json()["data"]
    assert settled["is_paid"] is True

    order = await api.open_order(order["id"])
    assert order["status"] == "OPEN" and order["actions"] == []
    assert order["payments"] == [
        {
            "id": payment["id"],
            "amount": 382,
            "status": "PAID",
            "is_paid": True,
            "method_code": "PIN",
        }
    ]
    assert order["options"]["proceeding_step"] == {"is_action_required": False, "proceeding": None}

    order_id = order["id"]
    order = await polled(lambda: api.order(order_id), lambda o: o["actions"], "invoiceable")
    (action,) = order["actions"]
    assert action["action"] == "invoice" and sorted(action["ids"]) == sorted(
        milk["ids"] + bag["ids"]
    )

    result = await api.invoice(action["ids"])
    invoice = result["data"]["invoiceItems"]["invoice"]
    assert invoice["total"] == 382 and invoice["number"].startswith("F")
    assert type(invoice["created_at"]) is int and invoice["created_at"] > 2**32
    assert invoice["pdf_url"].startswith(str(api.client.base_url).rstrip("/"))
    order = await api.order(order["id"])
    assert order["actions"] == [] and order["invoices"] == [invoice] and order["status"] == "OPEN"


async def test_unknown_order_is_null_with_a_not_found_error(api: Api) -> None:
    result = await api.graphql('{ order(id: "nope") { id } }')
    assert result["data"] == {"order": None}
    assert result["errors"] == [
        {
            "message": "order nope not found",
            "path": ["order"],
            "extensions": {"code": "NOT_FOUND", "status": 404},
        }
    ]


async def test_refused_mutation_has_null_data_and_the_contract_error(api: Api) -> None:
    order = await api.create_order()
    result = await api.add_items(order["id"], ("1234567890123", 1))
    assert result["data"] is None
    (error,) = result["errors"]
    assert error["path"] == ["addItemsToOrder"]
    assert error["extensions"] == {"code": "VALIDATION_ERROR", "status": 422}
    assert "1234567890123" in error["message"]
    assert (await api.order(order["id"]))["items"] == []


async def test_missing_channel_and_foreign_currency(api: Api) -> None:
    result = await api.mutate("createOrder", "CreateOrderInput", {})
    assert error_code(result) == "VALIDATION_ERROR"
    result = await api.mutate(
        "createOrder", "CreateOrderInput", {"channel_id": DEMO_CHANNEL_ID, "currency": "GBP"}
    )
    assert error_code(result) == "VALIDATION_ERROR"


async def test_misspelled_field_is_a_validation_error(api: Api) -> None:
    result = await api.graphql('{ order(id: "x") { id totl } }')
    assert result["data"] is None
    (error,) = result["errors"]
    assert error["extensions"] == {"code": "VALIDATION_ERROR", "status": 422}
    assert "totl" in error["message"] and "total" in error["message"]


async def test_syntax_error_and_bad_variables_are_validation_errors(api: Api) -> None:
    assert error_code(await api.graphql("{ order(id: ")) == "VALIDATION_ERROR"
    result = await api.graphql(
        "mutation($input: AddItemsToOrderInput!)"
        " { addItemsToOrder(input: $input) { order { id } } }",
        input={"order_id": "x", "items": [{"sku": MILK, "quantity": "two"}]},
    )
    assert result["data"] is None and error_code(result) == "VALIDATION_ERROR"


async def test_malformed_requests(client: httpx.AsyncClient) -> None:
    headers = {"content-type": "application/json"}
    not_json = await client.post("/graphql", content=b"{nope", headers=headers)
    assert not_json.status_code == 400
    assert not_json.json()["errors"][0]["extensions"]["code"] == "VALIDATION_ERROR"
    assert (await client.post("/graphql", json={"variables": {}})).status_code == 400
    assert (
        await client.post("/graphql", json={"query": "{ x }", "variables": [1]})
    ).status_code == 400
    plain = await client.post("/graphql", content=b'{"query": "{ x }"}')
    assert plain.status_code == 415
    wrong_method = await client.get("/graphql")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"


async def test_auth_errors_come_back_as_200_with_unauthorized(
    api: Api, client: httpx.AsyncClient, sim: Simulator
) -> None:
    query = {"query": '{ order(id: "x") { id } }'}
    anonymous = await client.post("/graphql", json=query, headers={"Authorization": ""})
    assert anonymous.status_code == 200
    assert anonymous.json()["errors"][0]["extensions"] == {"code": "UNAUTHORIZED", "status": 401}
    assert anonymous.json()["data"] is None
    wrong = await client.post("/graphql", json=query, headers={"Authorization": "Bearer nope"})
    assert wrong.json()["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"

    sim.tokens.clear()  # the demo token expires
    assert error_code(await api.graphql('{ order(id: "x") { id } }')) == "UNAUTHORIZED"
    sim.tokens.add("demo-token")
    sim.forbidden_tokens.add("demo-token")
    result = await api.graphql('{ order(id: "x") { id } }')
    assert result["errors"][0]["extensions"] == {"code": "FORBIDDEN", "status": 403}


async def test_items_after_open_and_open_twice_are_refused(api: Api) -> None:
    order = await api.paid_pin_order((MILK, 1))
    await api.open_order(order["id"])
    assert error_code(await api.open_order(order["id"])) == "VALIDATION_ERROR"
    assert error_code(await api.add_items(order["id"], (MILK, 1))) == "VALIDATION_ERROR"


async def test_remove_items_by_unit_id(api: Api) -> None:
    order = await api.create_order()
    order = await api.add_items(order["id"], (MILK, 2), (BAG, 1))
    milk, bag = order["items"]
    order = await api.mutate(
        "removeItemsFromOrder",
        "RemoveItemsFromOrderInput",
        {"order_id": order["id"], "ids": [milk["ids"][0], *bag["ids"]]},
    )
    assert [(item["sku"], item["ids"]) for item in order["items"]] == [(MILK, milk["ids"][1:])]
    result = await api.mutate(
        "removeItemsFromOrder", "RemoveItemsFromOrderInput", {"order_id": order["id"], "ids": ["x"]}
    )
    assert error_code(result) == "NOT_FOUND"


async def test_open_unpaid_order_refused(api: Api) -> None:
    order = await api.pin_order((MILK, 1))
    result = await api.open_order(order["id"])
    assert error_code(result) == "VALIDATION_ERROR" and "paid" in result["errors"][0]["message"]


@pytest.mark.parametrize("scalar", ["Money", "Int64"])
def test_money_and_timestamps_serialize_integers_only(scalar: str) -> None:
    coerce = SCHEMA.type_map[scalar].coerce_output_value
    assert coerce(2**40) == 2**40
    for value in (1.5, 10.0, "10", True):
        with pytest.raises(GraphQLError):
            coerce(value)
