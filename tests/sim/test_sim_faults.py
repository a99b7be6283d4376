"""Injected faults, over a real socket and through the in-process transport."""

import json
import time
from typing import Any

import httpx
import pytest

from tests.support.simkit import FAST, MILK, PAYMENTS, Api, error_code
from tests.support.waiting import until
from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, Fault, SimServer, SimTransport, Simulator
from tui_pos.sim.errors import ErrorCode


async def test_status_fault_with_retry_after_does_not_process(
    api: Api, client: httpx.AsyncClient, sim: Simulator
) -> None:
    sim.inject("createOrder", Fault("status", status=429, retry_after=2))
    response = await client.post(
        "/graphql", json={"query": "mutation { createOrder(input: {}) { order { id } } }"}
    )
    assert response.status_code == 429 and response.headers["retry-after"] == "2"
    assert response.json() == {
        "error": {"code": 429, "message": "Too Many Requests", "details": None}
    }
    assert sim.store.orders == {}
    assert (await api.create_order())["status"] == "CONCEPT"  # times=1: the fault is used up


async def test_status_fault_on_a_rest_call(api: Api, sim: Simulator) -> None:
    order = await api.pin_order((MILK, 1))
    sim.inject("createPayment", Fault("status", status=503))
    response = await api.create_payment(order["id"], 119)
    assert response.status_code == 503 and "retry-after" not in response.headers
    assert sim.store.payments == {}


async def test_graphql_error_fault(api: Api, sim: Simulator) -> None:
    sim.inject("createOrder", Fault("graphql_error", code=ErrorCode.RATE_LIMITED))
    result = await api.create_order()
    assert result["data"] is None
    assert result["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "status": 429}
    assert result["errors"][0]["path"] == ["createOrder"]
    assert sim.store.orders == {}
    sim.inject("getPayment", Fault("graphql_error", code=ErrorCode.INTERNAL_SERVER_ERROR))
    rest = await api.client.get(f"{PAYMENTS}/pay_x")
    assert rest.status_code == 500 and rest.json()["error"]["code"] == 500


async def test_delay_fault_then_normal_processing(api: Api, sim: Simulator) -> None:
    order = await api.create_order()
    sim.inject("addItemsToOrder", Fault("delay", seconds=0.1))
    started = time.monotonic()
    order = await api.add_items(order["id"], (MILK, 1))
    assert time.monotonic() - started >= 0.1
    assert order["total"] == 119


async def test_drop_before_leaves_no_state_change(api: Api, sim: Simulator) -> None:
    order = await api.create_order()
    sim.inject("addItemsToOrder", Fault("drop_before"))
    with pytest.raises(httpx.RemoteProtocolError):
        await api.add_items(order["id"], (MILK, 1))
    assert (await api.order(order["id"]))["items"] == []


async def test_drop_after_changes_state_but_the_answer_is_lost(api: Api, sim: Simulator) -> None:
    order = await api.create_order()
    sim.inject("addItemsToOrder", Fault("drop_after"))
    with pytest.raises(httpx.RemoteProtocolError):
        await api.add_items(order["id"], (MILK, 1))
    assert (await api.order(order["id"]))["total"] == 119  # a blind retry would double it


async def test_drop_after_on_the_terminal_call(api: Api, sim: Simulator) -> None:
    order = await api.pin_order((MILK, 1))
    payment = (await api.create_payment(order["id"], 119)).json()["data"]
    sim.inject("startPayment", Fault("drop_after"))
    with pytest.raises(httpx.RemoteProtocolError):
        await api.client.get(payment["action"]["url"])
    assert sim.store.payment(payment["id"]).is_paid


async def test_not_json_and_wrong_shape(
    api: Api, client: httpx.AsyncClient, sim: Simulator
) -> None:
    sim.inject("order", Fault("not_json"))
    response = await client.post("/graphql", json={"query": '{ order(id: "x") { id } }'})
    assert response.status_code == 200 and response.headers["content-type"] == "text/html"
    with pytest.raises(ValueError):
        response.json()
    sim.inject("*", Fault("wrong_shape"))
    response = await client.get(f"{PAYMENTS}/pay_x")
    assert response.status_code == 200 and response.json() == {"data": {"unexpected": True}}


async def test_times_and_until_cleared(api: Api, sim: Simulator) -> None:
    sim.inject("order", Fault("graphql_error", code=ErrorCode.INTERNAL_SERVER_ERROR, times=2))
    results = [await api.graphql('{ order(id: "x") { id } }') for _ in range(3)]
    assert [error_code(result) for result in results] == [
        "INTERNAL_SERVER_ERROR",
        "INTERNAL_SERVER_ERROR",
        "NOT_FOUND",
    ]
    sim.inject("*", Fault("status", status=502, times=None))
    for _ in range(3):
        assert (await api.client.get(f"{PAYMENTS}/pay_x")).status_code == 502
    sim.clear_faults()
    assert (await api.client.get(f"{PAYMENTS}/pay_x")).status_code == 404


async def test_the_root_field_decides_even_behind_aliases_and_fragments(
    api: Api, sim: Simulator
) -> None:
    sim.inject("order", Fault("status", status=503, times=None))
    for query in (
        '{ mine: order(id: "x") { id } }',
        'query Q { ...F } fragment F on Query { order(id: "x") { id } }',
    ):
        response = await api.client.post("/graphql", json={"query": query})
        assert response.status_code == 503
    assert (await api.client.post("/graphql", json={"query": "{ __typename }"})).status_code == 200


def test_operations_are_checked_when_armed() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        Simulator().inject("createOrdr", Fault("drop_before"))


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "status"},
        {"kind": "status", "status": 200},
        {"kind": "status", "status": 503, "retry_after": -1},
        {"kind": "graphql_error"},
        {"kind": "graphql_error", "code": "TEAPOT"},
        {"kind": "delay", "seconds": 0},
        {"kind": "drop_before", "seconds": 1},
        {"kind": "wrong_shape", "status": 500},
        {"kind": "not_json", "times": 0},
        {"kind": "explode"},
    ],
)
def test_faults_are_checked_when_made(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Fault(**fields)


async def test_latency_is_added_to_every_request(api: Api, sim: Simulator) -> None:
    sim.latency = 0.05
    started = time.monotonic()
    await api.graphql('{ order(id: "x") { id } }')
    assert time.monotonic() - started >= 0.05


class TestInProcessTransport:
    @pytest.fixture
    async def local(self) -> tuple[Simulator, httpx.AsyncClient]:
        sim = Simulator(admin=False, **FAST)
        return sim, httpx.AsyncClient(
            transport=SimTransport(sim),
            base_url="https://afosto.test",
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        )

    async def test_checkout_without_a_socket(
        self, local: tuple[Simulator, httpx.AsyncClient]
    ) -> None:
        sim, client = local
        async with client:
            api = Api(client)
            order = await api.paid_pin_order((MILK, 1))
            payment = sim.store.order(order["id"]).payments[0]
            data = (await client.get(f"{PAYMENTS}/{payment.id}")).json()["data"]
            assert data["action"]["url"].startswith("https://afosto.test/api/")
            assert (await client.get("/_sim/state")).status_code == 404  # no admin in the demo

    async def test_drop_surfaces_like_a_real_disconnect(
        self, local: tuple[Simulator, httpx.AsyncClient]
    ) -> None:
        sim, client = local
        sim.inject("createOrder", Fault("drop_after"))
        async with client:
            with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected"):
                await Api(client).create_order()
        assert len(sim.store.orders) == 1

    async def test_read_timeout_is_enforced(
        self, local: tuple[Simulator, httpx.AsyncClient]
    ) -> None:
        sim, client = local
        sim.inject("order", Fault("delay", seconds=1))
        async with client:
            with pytest.raises(httpx.ReadTimeout):
                await client.post(
                    "/graphql", json={"query": '{ order(id: "x") { id } }'}, timeout=0.05
                )

    async def test_spoiled_answers_come_through_it_too(
        self, local: tuple[Simulator, httpx.AsyncClient]
    ) -> None:
        sim, client = local
        sim.inject("createOrder", Fault("drip", seconds=0.005))
        sim.inject("order", Fault("bad_gzip"))
        async with client:
            async with client.stream("POST", "/graphql", json={"query": CREATE_ORDER}) as answer:
                chunks = [chunk async for chunk in answer.aiter_raw()]
            assert len(chunks) > 1 and all(len(chunk) == 1 for chunk in chunks)
            assert json.loads(b"".join(chunks))["data"]["createOrder"]["order"]["id"]
            with pytest.raises(httpx.DecodingError):
                await client.post("/graphql", json={"query": '{ order(id: "x") { id } }'})

    async def test_terminal_settles_when_the_caller_gives_up(
        self, local: tuple[Simulator, httpx.AsyncClient]
    ) -> None:
        sim, client = local
        sim.terminal_delay = 0.1
        async with client:
            api = Api(client)
            order = await api.pin_order((MILK, 1))
            payment = (await api.create_payment(order["id"], 119)).json()["data"]
            with pytest.raises(httpx.ReadTimeout):
                await client.get(payment["action"]["url"], timeout=0.02)
        await sim.wait_idle()
        assert sim.store.payment(payment["id"]).is_paid


CREATE_ORDER = (
    f'mutation {{ createOrder(input: {{channel_id: "{DEMO_CHANNEL_ID}"}}) {{ order {{ id }} }} }}'
)


async def test_bad_gzip_processes_then_labels_a_plain_body_gzip(
    api: Api, client: httpx.AsyncClient, sim: Simulator
) -> None:
    sim.inject("createOrder", Fault("bad_gzip", times=2))
    query = CREATE_ORDER
    async with client.stream("POST", "/graphql", json={"query": query}) as response:
        assert response.status_code == 200
        assert response.headers["content-encoding"] == "gzip"
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert b'"createOrder"' in raw  # the real answer, not compressed
    with pytest.raises(httpx.DecodingError):
        await client.post("/graphql", json={"query": query})  # a second one, decoded
    assert len(sim.store.orders) == 2  # processed, though the answer cannot be read
    sim.inject("getPayment", Fault("bad_gzip"))
    with pytest.raises(httpx.DecodingError):
        await client.get(f"{PAYMENTS}/pay_x")


async def test_drip_sends_the_head_then_the_body_a_byte_at_a_time(
    client: httpx.AsyncClient, sim: Simulator
) -> None:
    sim.inject("createOrder", Fault("drip", seconds=0.01))
    query = CREATE_ORDER
    started = time.monotonic()
    async with client.stream("POST", "/graphql", json={"query": query}) as response:
        assert response.status_code == 200  # the head came at once
        chunks = [chunk async for chunk in response.aiter_raw()]
    assert all(len(chunk) == 1 for chunk in chunks)
    assert time.monotonic() - started >= 0.01 * len(chunks)
    assert json.loads(b"".join(chunks))["data"]["createOrder"]["order"]["id"]
    assert len(sim.store.orders) == 1


async def test_a_client_that_hangs_up_ends_the_drip(
    client: httpx.AsyncClient, server: SimServer, sim: Simulator
) -> None:
    sim.inject("order", Fault("drip", seconds=0.05))
    async with client.stream("POST", "/graphql", json={"query": '{ order(id: "x") { id } }'}):
        pass  # closed after the head, the body unread: httpx drops the connection
    # the server's own bookkeeping of its connections
    await until(lambda: not server._connections, "the drip to nobody stopped")


def test_a_drip_needs_its_pace() -> None:
    with pytest.raises(ValueError):
        Fault("drip")
    with pytest.raises(ValueError):
        Fault("bad_gzip", seconds=1)
