"""An adversary's pass over issue 18 (customers, payment pages): the answers and races
an outside tester tries, each one a defect found and fixed."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support.enginekit import MakeTill, assert_sale_completed, order_id, scan_all, snapshot
from tests.support.simkit import MILK
from tests.support.waiting import until
from tui_pos.checkout import Customer, PageState, Phase, Sale, Till
from tui_pos.sim import Simulator


@pytest.fixture
async def till(make_till: MakeTill) -> Till:
    return await make_till(page_poll=0.02)


async def on_the_page(sale: Sale) -> str:
    """Wait for the page panel, watched; the page's url."""
    await until(
        lambda: (
            sale.view.phase is Phase.PAGE
            and sale.view.page is not None
            and sale.view.page.state is PageState.WAITING
        ),
        "the page watched",
    )
    assert sale.view.page is not None
    return sale.view.page.url


async def customer_pays(url: str) -> None:
    async with httpx.AsyncClient() as phone:
        answer = await phone.post(f"{url}/pay")
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("fraction", [0.0, 0.5])
async def test_a_garbled_expires_at_never_keeps_a_paid_page_from_finishing(
    sale: Sale, sim: Simulator, fraction: float
) -> None:
    """``expires_at`` is [assumed] and only shown (the time left): an answer that has it
    in another shape must not make the payment unreadable, or the till never sees it paid."""
    await scan_all(sale, MILK)
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    (payment,) = sim.store.payments.values()
    assert payment.expires_at is not None
    # Afosto answers it as a number that is no integer (1.7e12, 1733251200000.5)
    payment.expires_at = payment.expires_at + fraction  # type: ignore[assignment]
    if not fraction:
        payment.expires_at = float(payment.expires_at)  # type: ignore[assignment]
    await customer_pays(url)
    await asyncio.wait_for(paying, 5)
    assert sale.view.phase is Phase.DONE and sale.view.invoice_number
    assert_sale_completed(sim, order_id(sim, sale), {MILK: 1})


async def test_a_customer_picked_as_the_payment_starts_never_changes_the_order_being_paid(
    sale: Sale, sim: Simulator
) -> None:
    """The pick waited for the sale's turn while the page payment was being made: by
    then the sale is being paid, and its customer no longer changes."""
    await scan_all(sale, MILK)
    found = await sale.search_customers("Zwaan")
    assert found.matches, found.words
    picked: Customer = found.matches[0]
    paying = asyncio.create_task(sale.pay_page("IDEAL"))  # runs first: takes the sale's turn
    attaching = asyncio.create_task(sale.attach_customer(picked))
    await on_the_page(sale)
    await asyncio.wait_for(attaching, 5)
    oid = order_id(sim, sale)
    order = next(o for o in snapshot(sim) if o["id"] == oid)
    assert order["customer"] is None
    assert sale.view.customer is None
    assert "being paid" in (sale.view.error or "")
    sale.stop_watching_page()
    await paying


async def test_a_second_pay_key_while_the_page_is_watched_watches_it_once(
    sale: Sale, sim: Simulator
) -> None:
    """F9 (or F8, F10) while the page is watched shows that page: the one watch goes
    on, no second one starts beside it, and the sale is finished once."""
    await scan_all(sale, MILK)
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    reads = sim.requests["getPayment"]
    again = asyncio.create_task(sale.pay_pin())
    await until(lambda: sim.requests["getPayment"] > reads + 3, "the page read on")
    sale.stop_watching_page()  # Esc: nothing watches it any more
    await asyncio.wait_for(asyncio.gather(paying, again), 5)
    assert sale.view.page is not None and sale.view.page.state is PageState.UNKNOWN
    stopped = sim.requests["getPayment"]
    await customer_pays(url)
    assert sim.requests["getPayment"] == stopped  # nobody reads it: it was stopped
    await sale.watch_page()  # F5
    assert sale.view.phase is Phase.DONE
    assert sim.requests["openOrder"] == 1
    assert_sale_completed(sim, order_id(sim, sale), {MILK: 1})
