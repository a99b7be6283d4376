"""The REST payment calls over a real socket: creation, the terminal and cash."""

import asyncio
from typing import Any

import httpx
import pytest

from tests.support.simkit import BREAD, MILK, PAYMENTS, Api
from tests.support.waiting import until
from tui_pos.sim import Simulator
from tui_pos.sim.catalog import ABORTED_SKU, DECLINED_SKU, TIMED_OUT_SKU


async def start(api: Api, payment: dict[str, Any]) -> httpx.Response:
    return await api.client.get(payment["action"]["url"])


async def new_payment(api: Api, order: dict[str, Any], amount: int | None = None) -> dict[str, Any]:
    response = await api.create_payment(order["id"], order["total"] if amount is None else amount)
    assert response.status_code == 201, response.text
    payment: dict[str, Any] = response.json()["data"]
    return payment


async def test_created_payment_has_the_contract_shape(api: Api, client: httpx.AsyncClient) -> None:
    order = await api.pin_order((MILK, 1))
    payment = await new_payment(api, order)
    assert payment["id"].startswith("pay_")
    assert {key: payment[key] for key in ("order_id", "amount", "currency", "status")} == {
        "order_id": order["id"],
        "amount": 119,
        "currency": "EUR",
        "status": "PENDING",
    }
    assert payment["is_paid"] is False
    assert payment["method"] == {"id": "pm_pin", "code": "PIN"}
    assert payment["terminal_id"] == "term_front"
    base = str(client.base_url).rstrip("/")
    assert payment["action"] == {"type": "START", "url": f"{base}{PAYMENTS}/{payment['id']}/start"}
    assert type(payment["created_at"]) is int and payment["created_at"] > 1_700_000_000_000
    fetched = await client.get(f"{PAYMENTS}/{payment['id']}")
    assert fetched.status_code == 200 and fetched.json()["data"] == payment


@pytest.mark.parametrize(
    "amount", [10.5, 119.0, "119", True, None, 0, -1, 120], ids=lambda amount: repr(amount)
)
async def test_amount_must_be_integer_cents_within_what_is_due(api: Api, amount: Any) -> None:
    order = await api.pin_order((MILK, 1))
    response = await api.create_payment(order["id"], amount)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == 422 and error["details"] is None
    if type(amount) is not int:
        assert error["message"] == "amount must be an integer number of cents"


async def test_create_payment_needs_a_concept_order_with_a_method(
    api: Api, client: httpx.AsyncClient
) -> None:
    missing = await api.create_payment("nope", 100)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404
    order = await api.create_order()
    await api.add_items(order["id"], (MILK, 1))
    assert (await api.create_payment(order["id"], 119)).status_code == 422
    unwrapped = await client.post(PAYMENTS, json={"order_id": order["id"], "amount": 119})
    assert unwrapped.status_code == 422
    paid = await api.paid_pin_order((MILK, 1))
    await api.open_order(paid["id"])
    assert (await api.create_payment(paid["id"], 1)).status_code == 422


@pytest.mark.parametrize(
    ("sku", "status"),
    [
        (MILK, "PAID"),
        (DECLINED_SKU, "CANCELLED"),
        (ABORTED_SKU, "PENDING"),
        (TIMED_OUT_SKU, "EXPIRED"),
    ],
)
async def test_terminal_outcome_by_amount(api: Api, sku: str, status: str) -> None:
    order = await api.pin_order((sku, 1))
    payment = await new_payment(api, order)
    response = await start(api, payment)
    assert response.status_code == 200
    settled = response.json()["data"]
    assert (settled["status"], settled["is_paid"]) == (status, status == "PAID")
    assert (await api.order(order["id"]))["payments"][0]["status"] == status


async def test_start_holds_the_request_until_the_terminal_reports(api: Api, sim: Simulator) -> None:
    sim.terminal_delay = 0.15
    order = await api.pin_order((MILK, 1))
    payment = await new_payment(api, order)
    started = asyncio.get_running_loop().time()
    await start(api, payment)
    assert asyncio.get_running_loop().time() - started >= 0.15


async def test_declined_then_restarted_on_the_same_url(api: Api, sim: Simulator) -> None:
    sim.terminal_outcomes[:] = ["CANCELLED", "EXPIRED"]
    order = await api.pin_order((MILK, 1))
    payment = await new_payment(api, order)
    for expected in ("CANCELLED", "EXPIRED", "PAID"):
        assert (await start(api, payment)).json()["data"]["status"] == expected
    again = await start(api, payment)
    assert again.status_code == 422 and "already paid" in again.json()["error"]["message"]
    assert sim.store.payment(payment["id"]).start_count == 3


async def test_busy_terminal_answers_409(api: Api, sim: Simulator) -> None:
    sim.terminal_delay = 1.0  # long enough for the two tries below, under any load
    first_order = await api.pin_order((MILK, 1))
    second_order = await api.pin_order((BREAD, 1))
    first = await new_payment(api, first_order)
    second = await new_payment(api, second_order)
    running = asyncio.create_task(start(api, first))
    terminal = sim.store.terminals["term_front"]
    await until(lambda: terminal.busy_with == first["id"], "the first payment on the terminal")
    for payment in (first, second):
        busy = await start(api, payment)
        assert busy.status_code == 409
        assert busy.json()["error"]["code"] == 409 and "busy" in busy.json()["error"]["message"]
    assert (await running).json()["data"]["is_paid"] is True
    assert (await start(api, second)).json()["data"]["is_paid"] is True


async def test_transaction_settles_even_if_the_client_disconnects(
    api: Api, sim: Simulator, client: httpx.AsyncClient
) -> None:
    sim.terminal_delay = 0.2
    order = await api.pin_order((MILK, 1))
    payment = await new_payment(api, order)
    with pytest.raises(httpx.ReadTimeout):
        await client.get(payment["action"]["url"], timeout=0.05)
    pending = (await client.get(f"{PAYMENTS}/{payment['id']}")).json()["data"]
    assert (pending["status"], pending["is_paid"]) == ("PENDING", False)
    await sim.wait_idle()
    settled = (await client.get(f"{PAYMENTS}/{payment['id']}")).json()["data"]
    assert settled["is_paid"] is True
    assert sim.store.terminals["term_front"].busy_with is None


async def test_offline_terminal_and_non_terminal_payments_cannot_start(
    api: Api, sim: Simulator
) -> None:
    order = await api.create_order()
    await api.add_items(order["id"], (MILK, 1))
    await api.attach(order["id"], "pm_pin", terminal_id="term_back")
    offline = await start(api, await new_payment(api, {"id": order["id"], "total": 119}))
    assert offline.status_code == 422 and "offline" in offline.json()["error"]["message"]
    sim.set_terminal_online("term_back", True)
    assert (await start(api, await new_payment(api, {"id": order["id"], "total": 119}))).json()[
        "data"
    ]["is_paid"]

    cash_order = await api.create_order()
    await api.add_items(cash_order["id"], (MILK, 1))
    await api.attach(cash_order["id"], "pm_cash", drawer_id="drawer_main")
    cash = await new_payment(api, {"id": cash_order["id"], "total": 119})
    refused = await api.client.get(f"{PAYMENTS}/{cash['id']}/start")
    assert refused.status_code == 422


async def test_cash_payment_is_marked_paid_with_a_put(api: Api, client: httpx.AsyncClient) -> None:
    order = await api.create_order()
    await api.add_items(order["id"], (MILK, 2))
    order = await api.attach(order["id"], "pm_cash", drawer_id="drawer_main")
    assert order["options"]["proceeding_step"]["proceeding"]["options"][0]["type"] == "PAY"
    payment = await new_payment(api, order)
    assert payment["action"]["type"] == "PAY" and payment["action"]["url"].endswith("/pay")
    assert payment["terminal_id"] is None and payment["drawer_id"] == "drawer_main"
    url = payment["action"]["url"]
    for wrong in (237, 238.0, "238"):
        response = await client.put(url, json={"data": {"amount": wrong}})
        assert response.status_code == 422
    for _ in range(2):  # repeating the PUT changes nothing
        response = await client.put(url, json={"data": {"amount": 238}})
        assert response.status_code == 200 and response.json()["data"]["is_paid"] is True
    assert (await api.open_order(order["id"]))["status"] == "OPEN"


async def test_pay_refuses_terminal_payments(api: Api, client: httpx.AsyncClient) -> None:
    order = await api.pin_order((MILK, 1))
    payment = await new_payment(api, order)
    response = await client.put(f"{PAYMENTS}/{payment['id']}/pay", json={"data": {"amount": 119}})
    assert response.status_code == 422


async def test_split_payment_pin_then_cash(api: Api) -> None:
    order = await api.pin_order((BREAD, 2))
    first = await new_payment(api, order, 300)
    assert (await start(api, first)).json()["data"]["is_paid"]
    assert (await api.create_payment(order["id"], 239)).status_code == 422
    await api.attach(order["id"], "pm_cash", drawer_id="drawer_main")
    second = await new_payment(api, order, 238)
    await api.client.put(second["action"]["url"], json={"data": {"amount": 238}})
    order = await api.open_order(order["id"])
    assert order["status"] == "OPEN"
    assert [payment["method_code"] for payment in order["payments"]] == ["PIN", "CASH"]


async def test_ideal_payment_follows_an_external_page(api: Api) -> None:
    order = await api.create_order()
    await api.add_items(order["id"], (MILK, 1))
    await api.attach(order["id"], "pm_ideal", issuer_id="INGBNL2A")
    payment = await new_payment(api, {"id": order["id"], "total": 119})
    assert payment["action"]["type"] == "FOLLOW"
    assert payment["action"]["url"].endswith(f"/pay/{payment['id']}")


async def test_rest_auth_and_routing_errors(client: httpx.AsyncClient, sim: Simulator) -> None:
    anonymous = await client.get(f"{PAYMENTS}/pay_x", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "error": {"code": 401, "message": "a bearer token is required", "details": None}
    }
    assert (
        await client.get(f"{PAYMENTS}/pay_x", headers={"Authorization": "Bearer x"})
    ).status_code == 401
    sim.forbidden_tokens.add("demo-token")
    assert (await client.get(f"{PAYMENTS}/pay_x")).status_code == 403
    sim.forbidden_tokens.clear()
    assert (await client.get(f"{PAYMENTS}/pay_x")).status_code == 404
    assert (await client.get("/api/commerce/orders")).status_code == 404
    assert (await client.get(f"{PAYMENTS}/pay_x/refund")).status_code == 404
    assert (await client.get("/")).status_code == 404
    wrong = await client.delete(f"{PAYMENTS}/pay_x")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
    assert wrong.json()["error"]["code"] == 405
    assert (await client.get(PAYMENTS)).status_code == 405
