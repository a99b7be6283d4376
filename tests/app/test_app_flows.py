"""The till driven by its keys, as a cashier would, on the in-process simulator."""

from __future__ import annotations

from tests.support.appkit import (
    ABORTED,
    CODES,
    DECLINED,
    UNKNOWN_EAN,
    fast_simulator,
    make_app,
    scan,
    screen_text,
    type_code,
    wait_for_card,
)
from tests.support.scenarios import order_gone
from tests.support.waiting import wait_for
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.result import ResultScreen
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.app.screens.terminal import TerminalScreen
from tui_pos.checkout import Phase, TerminalState
from tui_pos.sim import Fault


async def test_three_codes_then_f9_shows_the_approval_and_the_invoice() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, *CODES[:3])
        assert "Melk halfvol" in screen_text(app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        assert "Invoice F2026-000001" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen) and app.view.lines == ()


async def test_declined_then_retried() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, DECLINED)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.DECLINED)
        assert isinstance(app.screen, TerminalScreen) and "Declined" in screen_text(app)
        sim.terminal_outcomes.append("PAID")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)


async def test_aborted_then_cash_with_change() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_code(pilot, ABORTED)  # EUR 12,14
        await wait_for(pilot, lambda: app.view.synced and bool(app.view.lines))
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.ABORTED)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, CashScreen)
        await pilot.press("2", "0", "enter")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        await pilot.pause()
        assert app.view.change == 786 and isinstance(app.screen, ResultScreen)


async def test_split_part_by_card_then_the_rest_in_cash() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, *CODES[:2])
        total = app.view.total
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, TenderScreen)
        field = app.screen.query_one("#part")
        field.value = ""  # type: ignore[attr-defined]
        await pilot.press("1", "f9")
        await wait_for(pilot, lambda: app.view.paid == 100 and not app.view.busy)
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen) and app.view.due == total - 100
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")  # exact amount
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        assert [p.method for p in app.view.payments] == ["PIN", "CASH"]


async def test_partial_invoicing_from_the_keys() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, *CODES[:2])
        await pilot.press("f3")  # the last line is selected: invoice it later
        await wait_for(pilot, lambda: app.view.held == (CODES[1],))
        assert "(invoice later)" in screen_text(app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        order = sim.store.snapshot()["orders"][0]
        assert len(order["invoiceable_ids"]) == 1
        await pilot.pause()
        assert "Left for a later invoice" in screen_text(app)
        await pilot.press("i")
        await wait_for(pilot, lambda: not app.view.held)
        order = sim.store.snapshot()["orders"][0]
        assert order["invoiceable_ids"] == [] and len(order["invoices"]) == 1


async def test_an_unknown_code_is_said_and_the_sale_stays() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_code(pilot, CODES[0])
        await type_code(pilot, UNKNOWN_EAN)
        await wait_for(pilot, lambda: bool(app.view.error))
        assert f"Afosto does not sell {UNKNOWN_EAN}" in " ".join(screen_text(app).split())
        assert [line.sku for line in app.view.lines] == [CODES[0]]
        await type_code(pilot, "8712345678900")  # a misread check digit
        await pilot.pause()
        assert "check digit" in screen_text(app)


async def test_api_down_then_back() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        sim.inject("*", Fault("status", status=503, times=None))
        await type_code(pilot, CODES[1])
        await wait_for(pilot, lambda: "problem on its side" in (app.view.error or ""))
        assert "problem on its side (error 503)" in screen_text(app)
        assert [line.sku for line in app.view.lines] == CODES[:2]  # kept, shown as pending
        sim.clear_faults()
        await wait_for(pilot, lambda: app.view.synced and app.view.error is None, seconds=10)
        assert len(app.view.lines) == 2


async def test_a_pay_key_pressed_twice_starts_one_payment() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f9", "f9")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        assert sim.requests["createPayment"] == 1


async def test_a_pay_key_while_a_payment_runs_says_so() -> None:
    sim = fast_simulator(terminal_delay=30)
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_card(pilot, app)
        app.pay_card()  # F9 again, or the pay key of a screen shown meanwhile
        await pilot.pause()
        assert "A payment is still running" in screen_text(app)
        assert sim.requests["createPayment"] == 1


async def test_a_sale_that_cannot_be_set_aside_says_why_in_the_cashiers_words() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await order_gone(pilot, app, sim)
        assert app.till is not None
        app.till.journal._db.execute("PRAGMA query_only = ON")  # SQLite refuses every write
        await pilot.press("ctrl+x")
        said = "The till cannot save its records: its disk is read-only."
        await wait_for(pilot, lambda: (app.view.error or "").startswith(said))
        assert str(app.till.journal.path) not in app.view.error and app.view.order_gone
