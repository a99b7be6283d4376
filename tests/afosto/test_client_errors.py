"""Every failure surfaces as the right error, and the token never leaks."""

from __future__ import annotations

import logging
import socket

import pytest
from pydantic import SecretStr

from tui_pos.afosto import (
    AfostoClient,
    AfostoError,
    Forbidden,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from tui_pos.afosto.client import error_for_status, parse_retry_after
from tui_pos.afosto.models import Payment
from tui_pos.sim import DEMO_CHANNEL_ID, Fault, Simulator
from tui_pos.sim.catalog import CATALOG

SKU = next(iter(CATALOG))


async def units_on(client: AfostoClient, order_id: str) -> int:
    return len((await client.get_order(order_id)).unit_ids)


async def test_a_wrong_token_is_unauthorized_on_graphql_and_rest(sim_url: str) -> None:
    async with AfostoClient(sim_url, SecretStr("not-the-token")) as client:
        with pytest.raises(Unauthorized):
            await client.create_order(DEMO_CHANNEL_ID)
        with pytest.raises(Unauthorized):
            await client.get_payment("pay_x")


async def test_a_token_that_expires_mid_sale_and_comes_back(
    client: AfostoClient, sim: Simulator
) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    sim.tokens.clear()
    with pytest.raises(Unauthorized):
        await client.add_items(order.id, {SKU: 1})
    sim.tokens.add("rotated")
    client.set_token(SecretStr("rotated"))
    assert (await client.add_items(order.id, {SKU: 1})).unit_ids


async def test_unknown_order_and_payment_are_not_found(client: AfostoClient) -> None:
    with pytest.raises(NotFound):
        await client.get_order("no-such-order")
    with pytest.raises(NotFound):
        await client.get_payment("pay_missing")


async def test_validation_errors_carry_the_servers_message(client: AfostoClient) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    with pytest.raises(ValidationFailed) as caught:
        await client.add_items(order.id, {"0000000000000": 1})
    assert "0000000000000" in caught.value.message
    with pytest.raises(ValidationFailed):
        await client.open_order(order.id)


async def test_rate_limited_once_is_retried_after_backing_off(
    client: AfostoClient, sim: Simulator
) -> None:
    sim.inject("createOrder", Fault("graphql_error", code="RATE_LIMITED", times=2))
    assert (await client.create_order(DEMO_CHANNEL_ID)).id


async def test_rate_limited_throughout_gives_up_after_the_backoff(
    client: AfostoClient, sim: Simulator
) -> None:
    sim.inject("createOrder", Fault("graphql_error", code="RATE_LIMITED", times=None))
    with pytest.raises(RateLimited):
        await client.create_order(DEMO_CHANNEL_ID)


async def test_a_long_retry_after_is_handed_to_the_caller(
    client: AfostoClient, sim: Simulator
) -> None:
    sim.inject("createPayment", Fault("status", status=429, retry_after=30))
    with pytest.raises(RateLimited) as caught:
        await client.create_payment("order", 100)
    assert caught.value.retry_after == 30


async def test_nothing_is_sent_before_a_retry_after_has_passed(
    client: AfostoClient, sim: Simulator
) -> None:
    sim.inject("createPayment", Fault("status", status=429, retry_after=30))
    with pytest.raises(RateLimited):
        await client.create_payment("order", 100)
    sent = dict(sim.requests)
    with pytest.raises(RateLimited) as caught:
        await client.get_order("any")  # another request, 30 s too early
    assert dict(sim.requests) == sent, "a request went out before Retry-After"
    assert caught.value.retry_after is not None and 29 < caught.value.retry_after <= 30


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_unavailable(
    client: AfostoClient, sim: Simulator, status: int
) -> None:
    sim.inject("order", Fault("status", status=status))
    with pytest.raises(Unavailable):
        await client.get_order("x")


async def test_a_graphql_internal_error_is_unavailable(
    client: AfostoClient, sim: Simulator
) -> None:
    sim.inject("createOrder", Fault("graphql_error", code="INTERNAL_SERVER_ERROR"))
    with pytest.raises(Unavailable):
        await client.create_order(DEMO_CHANNEL_ID)


async def test_forbidden(client: AfostoClient, sim: Simulator) -> None:
    sim.inject("createOrder", Fault("graphql_error", code="FORBIDDEN"))
    with pytest.raises(Forbidden):
        await client.create_order(DEMO_CHANNEL_ID)


async def test_a_refused_connection_is_unavailable() -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with AfostoClient(f"http://127.0.0.1:{port}", SecretStr("t")) as client:
        with pytest.raises(Unavailable) as caught:
            await client.create_order(DEMO_CHANNEL_ID)
    assert not isinstance(caught.value, OutcomeUnknown)


async def test_an_answer_dropped_after_processing_is_outcome_unknown(
    client: AfostoClient, sim: Simulator
) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    sim.inject("addItemsToOrder", Fault("drop_after"))
    with pytest.raises(OutcomeUnknown):
        await client.add_items(order.id, {SKU: 2})
    assert await units_on(client, order.id) == 2  # it ran: reading back tells


async def test_a_connection_dropped_before_processing_is_outcome_unknown_too(
    client: AfostoClient, sim: Simulator
) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    sim.inject("addItemsToOrder", Fault("drop_before"))
    with pytest.raises(OutcomeUnknown):
        await client.add_items(order.id, {SKU: 2})
    assert await units_on(client, order.id) == 0


async def test_a_read_timeout_is_outcome_unknown(client: AfostoClient, sim: Simulator) -> None:
    order = await client.create_order(DEMO_CHANNEL_ID)
    sim.inject("addItemsToOrder", Fault("delay", seconds=3.0))  # the client waits 2 s
    with pytest.raises(OutcomeUnknown):
        await client.add_items(order.id, {SKU: 1})


@pytest.mark.parametrize("kind", ["not_json", "wrong_shape"])
async def test_answers_off_the_contract_are_invalid_responses(
    client: AfostoClient, sim: Simulator, kind: str
) -> None:
    sim.inject("createOrder", Fault(kind))
    with pytest.raises(InvalidResponse):
        await client.create_order(DEMO_CHANNEL_ID)
    sim.inject("getPayment", Fault(kind))
    with pytest.raises(InvalidResponse):
        await client.get_payment("pay_x")


async def test_the_token_is_never_sent_to_another_host(client: AfostoClient) -> None:
    foreign = Payment.model_validate(
        {
            "id": "pay_1",
            "order_id": "o",
            "amount": 100,
            "currency": "EUR",
            "status": "PENDING",
            "is_paid": False,
            "method": {"id": "pm", "code": "PIN"},
            "action": {"type": "START", "url": "http://attacker.invalid/start"},
        }
    )
    with pytest.raises(InvalidResponse):
        await client.start_terminal(foreign)


async def test_money_must_be_integer_cents(client: AfostoClient) -> None:
    with pytest.raises(TypeError):
        await client.create_payment("order", 10.5)  # type: ignore[arg-type]


async def test_the_token_appears_in_no_repr_error_or_log(
    sim_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-token-value"
    caplog.set_level(logging.DEBUG)
    client = AfostoClient(sim_url, SecretStr(secret))
    texts = [repr(client), str(vars(client))]
    try:
        await client.create_order(DEMO_CHANNEL_ID)
    except AfostoError as exc:
        texts += [str(exc), repr(exc), repr(exc.__cause__)]
    finally:
        await client.aclose()
    texts.append(caplog.text)
    assert all(secret not in text for text in texts)


def test_status_mapping() -> None:
    assert isinstance(error_for_status(504, "gateway"), OutcomeUnknown)
    assert isinstance(error_for_status(503, "down"), Unavailable)
    assert isinstance(error_for_status(400, "bad"), ValidationFailed)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_a_retry_after_of_a_day_or_a_far_date_is_kept_to_a_minute() -> None:
    """A till without a clock after boot, or a server asking for a day, must not stop."""
    assert parse_retry_after("86400") == 60.0
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT") == 60.0
