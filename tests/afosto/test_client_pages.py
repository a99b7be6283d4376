"""The client reads FOLLOW payments (payment pages) with their url and ``expires_at``."""

from __future__ import annotations

import httpx

from tests.afosto.test_client_flows import method, order_with
from tests.support.simkit import MILK
from tui_pos.afosto import AfostoClient
from tui_pos.afosto.assumed import FOLLOW_ACTION, PAGE_METHOD_CODES
from tui_pos.afosto.base import PaymentStatus


async def test_a_page_payment_is_read_with_its_url_and_expiry(
    client: AfostoClient, sim_url: str
) -> None:
    order = await order_with(client, {MILK: 2})
    for code in PAGE_METHOD_CODES:
        ideal = await method(client, order, code)
        await client.add_payment_method(order.id, ideal.id)  # no issuer at a counter
    payment = await client.create_payment(order.id, 119)
    assert payment.method.code == PAGE_METHOD_CODES[-1]
    assert payment.action is not None and payment.action.type == FOLLOW_ACTION
    assert payment.action.url == f"{sim_url}/pay/{payment.id}"
    assert payment.created_at is not None and payment.expires_at is not None
    assert payment.expires_at - payment.created_at == 600_000
    async with httpx.AsyncClient() as phone:
        assert (await phone.post(f"{payment.action.url}/pay")).status_code == 200
    read = await client.get_payment(payment.id)
    assert read.status is PaymentStatus.PAID and read.is_paid
    assert read.expires_at == payment.expires_at
    assert (await client.get_order(order.id)).due == 119
