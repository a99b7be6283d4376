"""Whatever httpx raises comes out as a typed error, and no request outlives its deadline.

Every exception class httpx has is raised from under the client and must come out as an
``AfostoError`` of the right kind: ``Unavailable`` when nothing can have reached the
server, ``OutcomeUnknown`` when it may have run. A new httpx exception fails the first
test until it is classified in ``HTTPX_ERRORS``. Then the faults over a real socket: an
answer labelled gzip that is not, and an answer that drips in one byte at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from pydantic import SecretStr

from tui_pos.afosto import (
    AfostoClient,
    AfostoError,
    InvalidResponse,
    OutcomeUnknown,
    Payment,
    Unavailable,
)
from tui_pos.afosto.client import HTTPX_ERRORS, parse_retry_after
from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, Fault, SimTransport, Simulator
from tui_pos.sim.catalog import CATALOG

SKU = next(sku for sku, product in CATALOG.items() if product.price % 100 not in (13, 14, 15))

NOTHING_SENT = Unavailable
MAY_HAVE_RUN = OutcomeUnknown
UNREADABLE = InvalidResponse  # an answer came, but not one the client can read

EXPECTED: dict[str, type[AfostoError]] = {
    # the request never left (or was refused before the server could run it)
    "ConnectError": NOTHING_SENT,
    "ConnectTimeout": NOTHING_SENT,
    "PoolTimeout": NOTHING_SENT,
    "ProxyError": NOTHING_SENT,
    "UnsupportedProtocol": NOTHING_SENT,
    "LocalProtocolError": NOTHING_SENT,
    "InvalidURL": NOTHING_SENT,
    "CookieConflict": NOTHING_SENT,
    "StreamConsumed": NOTHING_SENT,
    "RequestNotRead": NOTHING_SENT,
    # it may have reached the server and run there
    "HTTPError": MAY_HAVE_RUN,
    "RequestError": MAY_HAVE_RUN,
    "TransportError": MAY_HAVE_RUN,
    "TimeoutException": MAY_HAVE_RUN,
    "ReadTimeout": MAY_HAVE_RUN,
    "WriteTimeout": MAY_HAVE_RUN,
    "NetworkError": MAY_HAVE_RUN,
    "ReadError": MAY_HAVE_RUN,
    "WriteError": MAY_HAVE_RUN,
    "CloseError": MAY_HAVE_RUN,
    "ProtocolError": MAY_HAVE_RUN,
    "RemoteProtocolError": MAY_HAVE_RUN,
    "StreamError": MAY_HAVE_RUN,
    "StreamClosed": MAY_HAVE_RUN,
    "ResponseNotRead": MAY_HAVE_RUN,
    # an answer came back that cannot be read: it may have run
    "DecodingError": UNREADABLE,
    "TooManyRedirects": UNREADABLE,
    "HTTPStatusError": UNREADABLE,
}


def httpx_exceptions() -> list[type[BaseException]]:
    """Every exception class httpx exports, and every subclass of them httpx defines."""
    found: set[type[BaseException]] = set()

    def walk(cls: type[BaseException]) -> None:
        if cls.__module__.split(".")[0] == "httpx" and cls not in found:
            found.add(cls)
        for sub in cls.__subclasses__():
            walk(sub)

    for name in dir(httpx):
        value = getattr(httpx, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            walk(value)
    return sorted(found, key=lambda cls: cls.__name__)


def make(cls: type[BaseException], request: httpx.Request) -> BaseException:
    """An instance of ``cls``, built as httpx builds it."""
    if issubclass(cls, httpx.HTTPStatusError):
        return cls("status", request=request, response=httpx.Response(503, request=request))
    if issubclass(cls, httpx.RequestError):
        return cls("simulated", request=request)
    try:
        return cls("simulated")
    except TypeError:  # the StreamError family takes no message
        return cls()


def test_every_httpx_exception_is_classified() -> None:
    names = {cls.__name__ for cls in httpx_exceptions()}
    assert names == set(EXPECTED), "classify the new httpx exceptions in HTTPX_ERRORS"
    assert {cls.__name__ for cls in HTTPX_ERRORS} == names


@pytest.mark.parametrize("cls", httpx_exceptions(), ids=lambda cls: cls.__name__)
async def test_each_httpx_exception_comes_out_typed(cls: type[BaseException]) -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise make(cls, request)

    transport = httpx.MockTransport(explode)
    async with AfostoClient("http://afosto.test", SecretStr("t"), transport=transport) as client:
        for call in (client.get_payment("pay_1"), client.create_order(DEMO_CHANNEL_ID)):
            with pytest.raises(AfostoError) as caught:
                await call
            expected = EXPECTED[cls.__name__]
            assert isinstance(caught.value, expected), type(caught.value)
            if expected is NOTHING_SENT:
                assert not isinstance(caught.value, OutcomeUnknown)
            assert isinstance(caught.value.__cause__, cls)
            assert str(caught.value).split(":")[0] in ("getPayment", "CreateOrder")


async def test_an_unexpected_exception_from_below_is_an_unknown_outcome() -> None:
    def explode(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("a bug somewhere under httpx")

    transport = httpx.MockTransport(explode)
    async with AfostoClient("http://afosto.test", SecretStr("t"), transport=transport) as client:
        with pytest.raises(OutcomeUnknown):
            await client.get_payment("pay_1")


async def test_a_body_in_an_unknown_charset_is_invalid() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json; charset=no-such-charset"}
        return httpx.Response(200, headers=headers, content=b'{"data": \xff}')

    transport = httpx.MockTransport(answer)
    async with AfostoClient("http://afosto.test", SecretStr("t"), transport=transport) as client:
        with pytest.raises(InvalidResponse):
            await client.get_payment("pay_1")


# --- over a real socket ---------------------------------------------------------------


async def pin_payment(client: AfostoClient) -> Payment:
    order = await client.create_order(DEMO_CHANNEL_ID)
    order = await client.add_items(order.id, {SKU: 1})
    full = await client.get_order(order.id, with_options=True)
    assert full.options is not None
    pin = next(m for m in full.options.payment.methods if m.code == "PIN")
    terminal = next(t for t in pin.terminals if t.is_online)
    await client.add_payment_method(order.id, pin.id, terminal_id=terminal.id)
    return await client.create_payment(order.id, order.total)


async def cash_payment(client: AfostoClient) -> Payment:
    order = await client.create_order(DEMO_CHANNEL_ID)
    order = await client.add_items(order.id, {SKU: 1})
    full = await client.get_order(order.id, with_options=True)
    assert full.options is not None
    cash = next(m for m in full.options.payment.methods if m.code == "CASH")
    await client.add_payment_method(order.id, cash.id, drawer_id=cash.drawers[0].id)
    return await client.create_payment(order.id, order.total)


async def test_a_gzip_label_over_a_plain_body_on_the_terminal_is_an_unknown_outcome(
    client: AfostoClient, sim: Simulator
) -> None:
    payment = await pin_payment(client)
    sim.inject("startPayment", Fault("bad_gzip"))
    with pytest.raises(InvalidResponse):
        await asyncio.wait_for(client.start_terminal(payment), 10)
    assert client.reachable  # it answered, just not readably
    assert (await client.get_payment(payment.id)).is_paid  # the card was paid: read back


async def test_a_gzip_label_over_a_plain_body_on_the_cash_put_is_an_unknown_outcome(
    client: AfostoClient, sim: Simulator
) -> None:
    payment = await cash_payment(client)
    sim.inject("payPayment", Fault("bad_gzip"))
    with pytest.raises(InvalidResponse):
        await asyncio.wait_for(client.pay_cash(payment.id, payment.amount), 10)
    assert (await client.get_payment(payment.id)).is_paid


@pytest.fixture
async def quick(sim_url: str) -> AsyncIterator[AfostoClient]:
    """A client whose normal requests have 0.5 s and whose terminal call has 1 s."""
    async with AfostoClient(
        sim_url, SecretStr(DEMO_TOKEN), timeout=0.5, terminal_timeout=1.0
    ) as afosto:
        yield afosto


async def test_a_dripping_answer_ends_at_the_request_deadline(
    quick: AfostoClient, sim: Simulator
) -> None:
    order = await quick.create_order(DEMO_CHANNEL_ID)
    sim.inject("addItemsToOrder", Fault("drip", seconds=0.1))  # each read well in time
    started = time.monotonic()
    with pytest.raises(OutcomeUnknown):
        await asyncio.wait_for(quick.add_items(order.id, {SKU: 1}), 10)
    assert time.monotonic() - started < 2.0  # the deadline, not the drip (minutes)
    assert len((await quick.get_order(order.id)).unit_ids) == 1  # it ran: read it back


async def test_the_terminal_long_poll_has_its_own_deadline(
    quick: AfostoClient, sim: Simulator
) -> None:
    payment = await pin_payment(quick)
    sim.terminal_delay = 0.7  # longer than a normal request may take, within the terminal's
    assert (await quick.start_terminal(payment)).is_paid
    payment = await pin_payment(quick)
    sim.inject("startPayment", Fault("drip", seconds=0.1))
    started = time.monotonic()
    with pytest.raises(OutcomeUnknown):
        await asyncio.wait_for(quick.start_terminal(payment), 10)
    assert 1.0 <= time.monotonic() - started < 3.0


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A loopback port whose listener never accepts and whose backlog is full: a
    connection attempt to it hangs in the handshake."""
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        filler.connect(("127.0.0.1", port))
        extra = []
        try:
            for _ in range(4):  # fill whatever the kernel allows beyond backlog 0
                probe = socket.socket()
                probe.setblocking(False)
                extra.append(probe)
                with contextlib.suppress(BlockingIOError):
                    probe.connect(("127.0.0.1", port))
            yield port
        finally:
            for probe in extra:
                probe.close()


async def test_a_connect_that_hangs_until_the_deadline_is_unavailable(
    unanswered_port: int,
) -> None:
    url = f"http://127.0.0.1:{unanswered_port}"
    async with AfostoClient(url, SecretStr("t"), timeout=0.3, terminal_timeout=0.3) as client:
        started = time.monotonic()
        with pytest.raises(Unavailable) as caught:
            await asyncio.wait_for(client.get_payment("pay_1"), 10)
        assert not isinstance(caught.value, OutcomeUnknown)
        assert time.monotonic() - started < 2.0
        assert "cannot reach the API" in caught.value.message


@pytest.mark.parametrize("status", [200, 503])
async def test_json_nested_too_deep_to_decode_is_invalid(status: int) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json"}
        return httpx.Response(status, headers=headers, content=b"[" * 100_000)

    transport = httpx.MockTransport(answer)
    async with AfostoClient("http://afosto.test", SecretStr("t"), transport=transport) as client:
        with pytest.raises(InvalidResponse if status == 200 else Unavailable):
            await client.get_payment("pay_1")


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e999"])
def test_a_retry_after_that_is_no_number_of_seconds_is_ignored(value: str) -> None:
    assert parse_retry_after(value) is None


async def test_the_deadline_holds_over_another_transport_too(sim: Simulator) -> None:
    """The in-process transport tells nothing of when the request went: an expired
    deadline there is an unknown outcome (the safe side), and it did run."""
    transport = SimTransport(sim)
    async with AfostoClient(
        "http://afosto.test", SecretStr(DEMO_TOKEN), transport=transport, timeout=0.3
    ) as client:
        order = await client.create_order(DEMO_CHANNEL_ID)
        sim.inject("addItemsToOrder", Fault("drip", seconds=0.05))
        with pytest.raises(OutcomeUnknown) as caught:
            await asyncio.wait_for(client.add_items(order.id, {SKU: 1}), 10)
        assert not isinstance(caught.value, InvalidResponse)
        assert len((await client.get_order(order.id)).unit_ids) == 1


class WithoutOptions(httpx.AsyncBaseTransport):
    """The simulator, but an order comes back without the options that were asked for."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = json.loads(await response.aread())
        order = (body.get("data") or {}).get("order")
        if isinstance(order, dict):
            order["options"] = None
        return httpx.Response(response.status_code, json=body)


async def test_an_order_without_the_options_asked_for_is_unreadable() -> None:
    transport = WithoutOptions(SimTransport(Simulator(admin=False)))
    async with AfostoClient("http://sim", SecretStr(DEMO_TOKEN), transport=transport) as client:
        order = await client.create_order(DEMO_CHANNEL_ID)
        assert (await client.get_order(order.id)).options is None  # not asked for: fine
        with pytest.raises(InvalidResponse, match=r"GetOrder: .* order\.options: missing"):
            await client.get_order(order.id, with_options=True)
