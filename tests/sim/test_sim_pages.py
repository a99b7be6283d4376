"""Payment pages of FOLLOW payments (iDEAL, Payconiq) over the socket: the page a phone
opens, paying and cancelling it, expiry at ``expires_at``, the knob that scripts pages,
and faults on the page calls."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.simkit import MILK, PAYMENTS, Api
from tests.support.waiting import polled
from tui_pos.sim import Fault, SimServer, Simulator


async def page_payment(api: Api, method_id: str = "pm_ideal") -> dict[str, Any]:
    order = await api.create_order()
    await api.add_items(order["id"], (MILK, 1))
    attached = await api.attach(order["id"], method_id)
    assert "errors" not in attached, attached
    response = await api.create_payment(order["id"], 119)
    assert response.status_code == 201, response.text
    payment: dict[str, Any] = response.json()["data"]
    return payment


async def status(api: Api, payment: dict[str, Any]) -> str:
    read = await api.client.get(f"{PAYMENTS}/{payment['id']}")
    value: str = read.json()["data"]["status"]
    return value


def anonymous(server: SimServer) -> httpx.AsyncClient:
    """The customer's phone: no token."""
    return httpx.AsyncClient(base_url=server.base_url, timeout=5)


@pytest.mark.parametrize(
    ("method_id", "code"), [("pm_ideal", "IDEAL"), ("pm_payconiq", "PAYCONIQ")]
)
async def test_a_follow_payment_points_at_its_page_on_this_server(
    api: Api, server: SimServer, method_id: str, code: str
) -> None:
    payment = await page_payment(api, method_id)
    assert payment["method"]["code"] == code
    assert payment["action"] == {"type": "FOLLOW", "url": f"{server.base_url}/pay/{payment['id']}"}
    assert payment["expires_at"] - payment["created_at"] == 600_000
    assert payment["status"] == "PENDING"


async def test_the_page_shows_the_payment_and_pays_it_without_a_token(
    api: Api, server: SimServer
) -> None:
    payment = await page_payment(api)
    async with anonymous(server) as phone:
        page = await phone.get(payment["action"]["url"])
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "EUR 1,19" in page.text and "iDEAL" in page.text and "Demo shop" in page.text
        assert page.text.count("<form method='post'") == 2
        paid = await phone.post(f"/pay/{payment['id']}/pay")
        assert paid.status_code == 200 and "PAID" in paid.text
        again = await phone.post(f"/pay/{payment['id']}/cancel")
        assert again.status_code == 409 and "paid" in again.text
    assert await status(api, payment) == "PAID"
    opened = await api.open_order(payment["order_id"])
    assert opened["status"] == "OPEN"


async def test_a_cancelled_page_cannot_be_paid(api: Api, server: SimServer) -> None:
    payment = await page_payment(api, "pm_payconiq")
    async with anonymous(server) as phone:
        assert (await phone.post(f"/pay/{payment['id']}/cancel")).status_code == 200
        assert (await phone.post(f"/pay/{payment['id']}/pay")).status_code == 409
        shown = await phone.get(f"/pay/{payment['id']}")
        assert "CANCELLED" in shown.text and "<form" not in shown.text
    assert await status(api, payment) == "CANCELLED"


async def test_pages_that_are_not_there(api: Api, server: SimServer) -> None:
    order = await api.pin_order((MILK, 1))
    pin = (await api.create_payment(order["id"], 119)).json()["data"]
    async with anonymous(server) as phone:
        assert (await phone.get("/pay/pay_nothing")).status_code == 404
        assert (await phone.get(f"/pay/{pin['id']}")).status_code == 404
        assert (await phone.post(f"/pay/{pin['id']}/pay")).status_code == 404
        assert (await phone.get("/pay/pay_x/pay")).status_code == 405
        assert (await phone.post("/pay/pay_x/refund")).status_code == 404


async def test_a_page_expires_at_expires_at(api: Api, server: SimServer) -> None:
    settings = await api.client.post("/_sim/settings", json={"page_lifetime": 0.05})
    assert settings.json()["data"]["page_lifetime"] == 0.05
    payment = await page_payment(api)
    assert payment["expires_at"] - payment["created_at"] == 50
    await polled(lambda: status(api, payment), lambda s: s == "EXPIRED", "the page expired")
    async with anonymous(server) as phone:
        assert (await phone.post(f"/pay/{payment['id']}/pay")).status_code == 409


async def test_the_knob_scripts_the_next_pages_then_the_default(api: Api) -> None:
    knob = {
        "page_outcomes": [
            {"status": "CANCELLED", "after": 0.02},
            {"status": "EXPIRED", "after": 0.02},
        ],
        "page_default": {"status": "PAID", "after": 0.02},
    }
    answer = await api.client.post("/_sim/settings", json=knob)
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["page_outcomes"] == knob["page_outcomes"]
    for expected in ("CANCELLED", "EXPIRED", "PAID", "PAID"):
        payment = await page_payment(api)
        await polled(lambda p=payment: status(api, p), lambda s, e=expected: s == e, expected)
    off = await api.client.post("/_sim/settings", json={"page_default": None})
    assert off.json()["data"]["page_default"] is None
    payment = await page_payment(api)
    assert await status(api, payment) == "PENDING"


@pytest.mark.parametrize(
    "bad",
    [
        {"page_outcomes": [{"status": "PENDING", "after": 1}]},
        {"page_outcomes": [{"status": "PAID", "after": -1}]},
        {"page_default": {"status": "PAID"}},
        {"page_lifetime": 0},
    ],
)
async def test_the_knob_refuses_what_no_page_does(api: Api, bad: dict[str, Any]) -> None:
    assert (await api.client.post("/_sim/settings", json=bad)).status_code == 422


async def test_faults_work_on_the_page_calls(api: Api, server: SimServer, sim: Simulator) -> None:
    payment = await page_payment(api)
    sim.inject("viewPage", Fault("status", status=503))
    sim.inject("payPage", Fault("drop_after"))
    async with anonymous(server) as phone:
        assert (await phone.get(f"/pay/{payment['id']}")).status_code == 503
        with pytest.raises(httpx.RemoteProtocolError):
            await phone.post(f"/pay/{payment['id']}/pay")
    assert await status(api, payment) == "PAID"  # paid, the answer lost
    assert sim.requests["viewPage"] == 1 and sim.requests["payPage"] == 1
