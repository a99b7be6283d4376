"""The payment page panel in the app: chosen on the tender screen (F8, then F5 or F6),
the QR code of the page beside the amount, the state as it changes, Esc, again."""

from __future__ import annotations

import httpx
import pytest
from textual.pilot import Pilot

from tests.support.appkit import fast_simulator, make_app, scan
from tests.support.simkit import MILK
from tests.support.waiting import wait_for
from tui_pos.app import TillApp, create_app
from tui_pos.app.qr import Glyphs
from tui_pos.app.runtime import DEMO_PAGE_PAID_AFTER, Runtime
from tui_pos.app.screens.page import PageScreen
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.checkout import PageState, Phase
from tui_pos.config import Settings
from tui_pos.sim.state import PageOutcome, PaymentStatus


@pytest.fixture(autouse=True)
def half_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")  # a terminal over SSH: half blocks


async def customer(app: TillApp, action: str) -> None:
    """The customer's phone, on the page the demo serves on loopback."""
    page = app.view.page
    assert page is not None
    async with httpx.AsyncClient() as phone:
        assert (await phone.post(f"{page.url}/{action}")).status_code == 200


async def open_page(pilot: Pilot[None], app: TillApp, key: str = "f5") -> PageScreen:
    """Scan milk, F8, then the page method's key: the panel with the QR code."""
    await scan(pilot, app, MILK)
    await wait_for(pilot, lambda: app.view.page_methods, what="the page methods")
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, TenderScreen), what="the tender screen")
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, PageScreen), what="the page panel")
    await wait_for(pilot, lambda: app.view.page is not None, what="the page")
    screen = app.screen
    assert isinstance(screen, PageScreen)
    return screen


def words(screen: PageScreen) -> str:
    return " ".join(str(s.render()) for s in screen.query("#page-side Static").results())


async def test_the_panel_shows_the_qr_and_the_sale_ends_when_the_page_is_paid() -> None:
    app = make_app(fast_simulator())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_page(pilot, app)
        page = app.view.page
        assert page is not None and page.method.name == "iDEAL" and page.amount == 119
        assert page.url.startswith("http://127.0.0.1:")
        assert screen.drawing is not None and screen.drawing.glyphs is Glyphs.HALF
        assert screen.drawing.width <= 80 - 40 and screen.drawing.height <= 22
        assert "Time left: 10:00" in words(screen) or "Time left: 9:5" in words(screen)
        await customer(app, "pay")
        await pilot.press("f5")  # check now
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="the sale done")
        assert app.view.invoice_number


async def test_esc_stops_watching_and_no_new_payment_until_it_is_checked() -> None:
    app = make_app(fast_simulator())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_page(pilot, app, "f6")
        assert app.view.page is not None and app.view.page.method.name == "Payconiq"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.view.page.state is PageState.UNKNOWN)  # type: ignore[union-attr]
        assert "may still pay" in words(screen)
        assert screen.drawing is not None  # the customer may still scan it
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen), what="the sale")
        sale_screen = app.screen
        assert "F9: show the page and check it" in str(sale_screen.query_one("#message").render())
        await pilot.press("f10")  # no cash while the page may be paid: the page shows again
        await wait_for(pilot, lambda: isinstance(app.screen, PageScreen), what="the page again")
        await wait_for(pilot, lambda: app.view.page.state is PageState.WAITING)  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.view.page.state is PageState.UNKNOWN)  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen), what="the sale")
        await customer(app, "pay")  # paid late
        await pilot.press("f9")  # the page shows, is read: paid, the sale ends, no new payment
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="the sale done")
        assert [p.method for p in app.view.payments] == ["PAYCONIQ"]


async def test_cancelled_then_enter_pays_a_new_page() -> None:
    sim = fast_simulator()
    sim.store.page_outcomes.append(PageOutcome(PaymentStatus.CANCELLED, 0))
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_page(pilot, app)
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.view.page.state is PageState.CANCELLED)  # type: ignore[union-attr]
        assert "Cancelled" in words(screen) and "Enter: again" in words(screen)
        assert not screen.query_one("#qr").display
        first = app.view.page.payment_id  # type: ignore[union-attr]
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: (
                app.view.page is not None
                and app.view.page.payment_id != first
                and app.view.page.state is PageState.WAITING
            ),
            what="a new page",
        )
        await customer(app, "pay")
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="the sale done")
        assert [p.status for p in app.view.payments] == ["CANCELLED", "PAID"]


async def test_the_demo_serves_its_pages_on_loopback_and_pays_an_unpaid_one() -> None:
    runtime = Runtime.demo_mode(Settings())
    sim = runtime.simulator
    assert sim is not None
    assert sim.store.page_default == PageOutcome(PaymentStatus.PAID, DEMO_PAGE_PAID_AFTER)
    sim.store.page_default = PageOutcome(PaymentStatus.PAID, 0.1)  # a trainee's 20 s, shorter
    app = create_app(runtime)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_page(pilot, app)
        page = app.view.page
        assert page is not None and page.url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient() as browser:  # a browser on the till
            shown = await browser.get(page.url)
        assert shown.status_code == 200 and "iDEAL" in shown.text and "1,19" in shown.text
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="paid by itself")
    assert sim.page_base_url is not None and sim.page_base_url in page.url
