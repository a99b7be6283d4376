"""The HTTP/1.1 server: keep-alive, concurrency, bad input, shutdown and the runners."""

import asyncio
import signal
import subprocess
import sys

import httpx
import pytest

from tests.support.simkit import MILK, PAYMENTS, Api
from tests.support.waiting import until
from tui_pos.sim import DEMO_TOKEN, SimServer, Simulator, run_in_thread

QUERY = b'{"query": "{ order(id: \\"x\\") { id } }"}'


def raw_request(body: bytes = QUERY, extra: bytes = b"") -> bytes:
    return (
        b"POST /graphql HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\n"
        b"Authorization: Bearer demo-token\r\n"
        + extra
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


async def read_response(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    return head, await reader.readexactly(length)


async def test_keep_alive_serves_several_requests_on_one_connection(server: SimServer) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(raw_request() + raw_request())  # pipelined, even
        for _ in range(2):
            head, body = await read_response(reader)
            assert head.startswith(b"HTTP/1.1 200") and b"NOT_FOUND" in body
        writer.write(raw_request(extra=b"Connection: close\r\n"))
        await read_response(reader)
        assert await reader.read() == b""
    finally:
        writer.close()


async def test_garbage_gets_a_400_and_a_closed_connection(server: SimServer) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(b"HELLO THERE\r\n\r\n")
        head, _ = await read_response(reader)
        assert head.startswith(b"HTTP/1.1 400")
        assert await reader.read() == b""
    finally:
        writer.close()


async def test_oversized_body_gets_413(server: SimServer) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(raw_request(b"x" * (2 << 20)))
        head, _ = await read_response(reader)
        assert head.startswith(b"HTTP/1.1 413")
    finally:
        writer.close()


async def test_a_held_terminal_call_does_not_block_other_connections(
    api: Api, sim: Simulator, server: SimServer
) -> None:
    sim.terminal_delay = 1.0  # the held call's answer; the other one comes before it
    order = await api.pin_order((MILK, 1))
    payment = (await api.create_payment(order["id"], 119)).json()["data"]
    held = asyncio.create_task(api.client.get(payment["action"]["url"]))
    terminal = sim.store.terminals["term_front"]
    await until(lambda: terminal.busy_with == payment["id"], "the terminal call held")
    fetched = await api.client.get(f"{PAYMENTS}/{payment['id']}")
    assert fetched.json()["data"]["status"] == "PENDING" and not held.done()
    assert (await held).json()["data"]["is_paid"]


async def test_leaving_closes_held_connections() -> None:
    sim = Simulator(terminal_delay=5)
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    async with httpx.AsyncClient(headers=headers) as client:
        async with SimServer(sim) as server:
            api = Api(client)
            client.base_url = httpx.URL(server.base_url)
            order = await api.pin_order((MILK, 1))
            payment = (await api.create_payment(order["id"], 119)).json()["data"]
            held = asyncio.create_task(client.get(payment["action"]["url"]))
            terminal = sim.store.terminals["term_front"]
            await until(lambda: terminal.busy_with == payment["id"], "the terminal call held")
        with pytest.raises(httpx.TransportError):
            await held
        with pytest.raises(httpx.ConnectError):
            await client.get(f"{server.base_url}/graphql")
    # the transaction still runs on the terminal; shutting the loop down cancels it
    assert sim.store.terminals["term_front"].busy_with == payment["id"]


def test_run_in_thread_for_synchronous_tests() -> None:
    sim = Simulator()
    with run_in_thread(sim) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.post(
            f"{base_url}/graphql",
            json={"query": '{ order(id: "x") { id } }'},
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
        )
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/_sim/state")


def test_run_in_thread_reports_bind_errors() -> None:
    with run_in_thread(Simulator()) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        with pytest.raises(OSError), run_in_thread(Simulator(), port=port):
            pass


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_serve_forever_announces_itself_and_stops_on_a_signal(signum: signal.Signals) -> None:
    code = "from tui_pos.sim import Simulator, serve_forever; serve_forever(Simulator())"
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("Afosto simulator on http://127.0.0.1:")
            assert line.rstrip().endswith("(token: demo-token)")
            base_url = line.split()[3]
            assert httpx.get(f"{base_url}/_sim/state").status_code == 200
            process.send_signal(signum)
            assert process.wait(timeout=5) == 0
        finally:
            if process.poll() is None:
                process.kill()
