"""Payment pages (iDEAL, Payconiq): paid, cancelled, expired, stopped watching then
paid late (never a second payment while the page may still be paid), split with PIN and
cash, and a restart while the page is watched."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support.enginekit import (
    SKUS,
    Crash,
    MakeTill,
    assert_money_invariants,
    assert_sale_completed,
    crash_at,
    order_id,
    scan_all,
    snapshot,
)
from tests.support.simkit import BREAD, MILK
from tests.support.waiting import until
from tui_pos.checkout import PageMethod, PageState, Phase, Sale, Till
from tui_pos.sim import Fault, Simulator
from tui_pos.sim.state import PageOutcome, PaymentStatus


@pytest.fixture
async def till(make_till: MakeTill) -> Till:
    return await make_till(page_poll=0.02)


async def on_the_page(sale: Sale, state: PageState = PageState.WAITING) -> str:
    """Wait for the page panel; the page's url."""
    await until(
        lambda: (
            sale.view.phase is Phase.PAGE
            and sale.view.page is not None
            and sale.view.page.state is state
        ),
        f"the page {state}",
    )
    assert sale.view.page is not None
    return sale.view.page.url


async def customer(url: str, action: str) -> None:
    """The customer's phone pays or cancels on the page (no token)."""
    async with httpx.AsyncClient() as phone:
        answer = await phone.post(f"{url}/{action}")
        assert answer.status_code == 200, answer.text


def payments(sim: Simulator) -> list[tuple[str, str, int]]:
    return [
        (p["method"]["code"], p["status"], p["amount"])
        for order in snapshot(sim)
        for p in order["payments"]
    ]


async def test_a_page_paid_by_the_customer_finishes_the_sale(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, MILK)
    await until(lambda: sale.view.page_methods, "the page methods read while scanning")
    assert sale.view.page_methods == (
        PageMethod("IDEAL", "iDEAL"),
        PageMethod("PAYCONIQ", "Payconiq"),
    )
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    page = sale.view.page
    assert page is not None and page.amount == 119 and page.method.name == "iDEAL"
    assert page.deadline is not None  # ten minutes on the monotonic clock
    scan = sale.view.lines
    sale.scan(BREAD)  # the cart is frozen while the page is up
    assert sale.view.lines == scan and "being paid" in (sale.view.error or "")
    await customer(url, "pay")
    await asyncio.wait_for(paying, 5)
    assert sale.view.phase is Phase.DONE and sale.view.invoice_number
    assert sale.view.page is not None and sale.view.page.state is PageState.PAID
    assert_sale_completed(sim, order_id(sim, sale), {MILK: 1})
    assert payments(sim) == [("IDEAL", "PAID", 119)]
    attached = snapshot(sim)[0]["payment_method"]
    assert attached["code"] == "IDEAL" and attached["issuer_id"] is None


@pytest.mark.parametrize("ending", ["cancelled", "expired"])
async def test_a_cancelled_or_expired_page_then_again_and_another_method(
    sale: Sale, sim: Simulator, ending: str
) -> None:
    status = PaymentStatus.CANCELLED if ending == "cancelled" else PaymentStatus.EXPIRED
    sim.store.page_outcomes.append(PageOutcome(status, 0.05))
    await scan_all(sale, MILK)
    await sale.pay_page("PAYCONIQ")
    assert sale.view.phase is Phase.PAGE
    assert sale.view.page is not None and sale.view.page.state is PageState(ending)
    assert sale.view.card_unconfirmed is False
    again = asyncio.create_task(sale.pay_page("PAYCONIQ"))  # Enter: again, a new payment
    url = await on_the_page(sale)
    assert sim.requests["createPayment"] == 2
    sale.stop_watching_page()
    await again
    await customer(url, "cancel")
    await sale.pay_cash(tendered=200)  # another method: the gate reads the page first
    assert sale.view.phase is Phase.DONE and sale.view.change == 81
    assert payments(sim) == [
        ("PAYCONIQ", status.value, 119),
        ("PAYCONIQ", "CANCELLED", 119),
        ("CASH", "PAID", 119),
    ]
    assert_sale_completed(sim, order_id(sim, sale), {MILK: 1})


async def test_a_page_expires_only_when_afosto_says_so(sale: Sale, sim: Simulator) -> None:
    sim.store.page_lifetime = 0.3
    await scan_all(sale, MILK)
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    await on_the_page(sale)
    page = sale.view.page
    assert page is not None and page.deadline is not None
    await asyncio.wait_for(paying, 5)
    assert sale.view.page is not None and sale.view.page.state is PageState.EXPIRED
    assert payments(sim) == [("IDEAL", "EXPIRED", 119)]


async def test_stopped_watching_then_paid_late_never_a_second_payment(
    sale: Sale, sim: Simulator
) -> None:
    await scan_all(sale, MILK)
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    sale.stop_watching_page()  # Esc
    await paying
    assert sale.view.page is not None and sale.view.page.state is PageState.UNKNOWN
    assert "may still pay" in (sale.view.error or "")
    sale.back_to_sale()
    assert sale.view.phase is Phase.SCANNING
    await sale.pay_cash(tendered=500)
    assert "not confirmed" in (sale.view.error or "")
    for pay in (sale.pay_pin, sale.due_now):  # F9, F8 or F10: the page shows again
        again = asyncio.create_task(pay())
        await on_the_page(sale)
        sale.stop_watching_page()
        assert await again is None
        sale.back_to_sale()
    assert sim.requests["createPayment"] == 1
    await customer(url, "pay")  # the customer paid after all
    await sale.pay_cash(tendered=500)  # the gate reads the page: paid, the sale finishes
    assert sale.view.phase is Phase.DONE and sale.view.change is None
    assert payments(sim) == [("IDEAL", "PAID", 119)]
    assert_sale_completed(sim, order_id(sim, sale), {MILK: 1})


async def test_watching_again_after_esc_sees_it_paid(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, MILK)
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    sale.stop_watching_page()
    await paying
    assert not sale.check_page()  # nobody watches it: F5 watches it again
    watching = asyncio.create_task(sale.watch_page())
    await on_the_page(sale)
    assert sale.check_page()
    await customer(url, "pay")
    await asyncio.wait_for(watching, 5)
    assert sale.view.phase is Phase.DONE
    assert sim.requests["createPayment"] == 1


async def test_split_over_pin_a_page_and_cash(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, BREAD, MILK)  # 388
    await sale.pay_pin(100)
    assert sale.view.paid == 100 and sale.view.phase is Phase.TENDER
    sim.store.page_outcomes.append(PageOutcome(PaymentStatus.PAID, 0.05))
    await sale.pay_page("IDEAL", 150)
    assert sale.view.paid == 250 and sale.view.phase is Phase.TENDER
    await sale.pay_cash(tendered=200)
    assert sale.view.phase is Phase.DONE and sale.view.change == 62
    assert payments(sim) == [("PIN", "PAID", 100), ("IDEAL", "PAID", 150), ("CASH", "PAID", 138)]
    assert_sale_completed(sim, order_id(sim, sale), {BREAD: 1, MILK: 1})


async def test_errors_while_watching_back_off_and_never_end_it(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, MILK)
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    sim.inject("getPayment", Fault("status", status=503, times=3))
    await until(lambda: sale.view.error, "the error shown")
    assert sale.view.page is not None and sale.view.page.state is PageState.WAITING
    await until(lambda: not sim.faults.describe(), "the faults used up")
    await customer(url, "pay")
    await asyncio.wait_for(paying, 5)
    assert sale.view.phase is Phase.DONE and sale.view.error is None
    assert sim.requests["createPayment"] == 1


async def test_a_restart_while_watching_finishes_a_page_paid_meanwhile_once(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till(page_poll=0.02)
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    paying = asyncio.create_task(sale.pay_page("IDEAL"))
    url = await on_the_page(sale)
    crash_at(till.client, "get_payment", after=False)  # the power goes off while it waits
    with pytest.raises(Crash):
        await paying
    await customer(url, "pay")
    again = await make_till(page_poll=0.02)
    sale = await again.start()
    assert sale.view.phase is Phase.DONE
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[1]: 1})
    order = snapshot(sim)[0]
    assert len(order["invoices"]) == 1 and len(order["payments"]) == 1


async def test_a_restart_while_watching_shows_the_unpaid_page_again(
    make_till: MakeTill, sim: Simulator
) -> None:
    till = await make_till(page_poll=0.02)
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    paying = asyncio.create_task(sale.pay_page("PAYCONIQ"))
    url = await on_the_page(sale)
    crash_at(till.client, "get_payment", after=False)
    with pytest.raises(Crash):
        await paying
    again = await make_till(page_poll=0.02)
    sale = await again.start(recover=False)
    recovering = asyncio.create_task(sale.recover())
    assert await on_the_page(sale) == url
    page = sale.view.page
    assert page is not None and page.deadline is None and page.method.name == "Payconiq"
    await sale.pay_cash(tendered=10_000)  # refused while it is watched: one payment at a time
    assert sim.requests["createPayment"] == 1
    await customer(url, "pay")
    await asyncio.wait_for(recovering, 5)
    assert sale.view.phase is Phase.DONE
    assert_money_invariants(sim)
    assert payments(sim) == [("PAYCONIQ", "PAID", snapshot(sim)[0]["total"])]
