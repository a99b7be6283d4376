"""The /_sim/ admin endpoints that out-of-process tests use."""

import httpx

from tests.support.simkit import MILK, Api, error_code
from tui_pos.sim import Simulator


async def test_faults_can_be_armed_listed_and_cleared(api: Api, client: httpx.AsyncClient) -> None:
    armed = await client.post(
        "/_sim/faults",
        json={"operation": "createOrder", "kind": "status", "status": 429, "retry_after": 1},
        headers={"Authorization": ""},  # admin needs no token
    )
    assert armed.status_code == 201
    (listed,) = (await client.get("/_sim/faults")).json()["data"]
    assert listed["operation"] == "createOrder" and listed["remaining"] == 1
    first = await client.post(
        "/graphql", json={"query": "mutation { createOrder(input: {}) { order { id } } }"}
    )
    assert first.status_code == 429 and first.headers["retry-after"] == "1"

    await client.post(
        "/_sim/faults",
        json={"operation": "*", "kind": "graphql_error", "code": "RATE_LIMITED", "times": None},
    )
    assert error_code(await api.create_order()) == "RATE_LIMITED"
    assert (await client.delete("/_sim/faults")).json() == {"data": []}
    assert (await api.create_order())["status"] == "CONCEPT"


async def test_bad_fault_requests_are_refused(client: httpx.AsyncClient) -> None:
    for body in (
        {"operation": "createOrder", "kind": "explode"},
        {"operation": "nope", "kind": "drop_before"},
        {"operation": "order", "kind": "status"},
        {"operation": "order", "kind": "delay", "seconds": -1},
        {"operation": "order", "kind": "drop_before", "extra": 1},
        {"operation": "order", "kind": "status", "status": "five hundred"},
        {"operation": "order", "kind": "graphql_error", "code": "NOT_A_CODE"},
        {"kind": "drop_before"},
        ["order", "drop_before"],
    ):
        response = await client.post("/_sim/faults", json=body)
        assert response.status_code == 422, body
    assert (await client.post("/_sim/faults", content=b"{")).status_code == 422
    assert (await client.get("/_sim/faults")).json() == {"data": []}


async def test_settings(api: Api, client: httpx.AsyncClient, sim: Simulator) -> None:
    response = await client.post(
        "/_sim/settings",
        json={
            "latency": 0,
            "terminal_delay": 0.01,
            "invoice_delay": 0,
            "terminal_outcomes": ["CANCELLED"],
            "terminals_online": {"term_back": True},
            "tokens": ["demo-token", "other"],
            "forbidden_tokens": ["blocked"],
        },
    )
    assert response.status_code == 200
    settings = response.json()["data"]
    assert settings["terminals_online"] == {"term_front": True, "term_back": True}
    assert settings["tokens"] == ["demo-token", "other"]
    assert sim.terminal_outcomes == ["CANCELLED"] and sim.invoice_delay == 0
    assert (await client.get("/_sim/settings")).json()["data"] == settings

    order = await api.pin_order((MILK, 1))
    payment = (await api.create_payment(order["id"], 119)).json()["data"]
    assert (await client.get(payment["action"]["url"])).json()["data"]["status"] == "CANCELLED"

    for bad in ({"latency": -1}, {"terminals_online": {"term_x": True}}, {"colour": "red"}):
        assert (await client.post("/_sim/settings", json=bad)).status_code == 422
    assert (await client.post("/_sim/settings", content=b"nope")).status_code == 422


async def test_state_snapshot(api: Api, client: httpx.AsyncClient) -> None:
    order = await api.paid_pin_order((MILK, 2))
    await api.open_order(order["id"])
    await api.open_order(order["id"])
    state = (await client.get("/_sim/state")).json()["data"]
    (snapshot,) = state["orders"]
    assert snapshot["id"] == order["id"] and snapshot["status"] == "OPEN"
    assert (snapshot["open_count"], snapshot["open_attempts"]) == (1, 2)
    assert (snapshot["total"], snapshot["paid"], snapshot["due"]) == (238, 238, 0)
    assert snapshot["lines"][0]["quantity"] == 2 and len(snapshot["lines"][0]["ids"]) == 2
    assert snapshot["payments"][0]["is_paid"] and snapshot["payments"][0]["start_count"] == 1
    assert state["requests"]["openOrder"] == 2
    assert {terminal["id"] for terminal in state["terminals"]} == {"term_front", "term_back"}


async def test_admin_routes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/_sim/nothing")).status_code == 404
    wrong = await client.put("/_sim/state")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
