"""The pay keys against what Afosto has confirmed: never a stale amount, never a cash
screen while a card payment may still pay, never a key dropped without a word."""

from __future__ import annotations

import pytest

from tests.support.appkit import CODES, fast_simulator, make_app, scan, screen_text, type_code
from tests.support.waiting import wait_for
from tui_pos.app.messages import BarcodeScanned
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.prompts import YesNoPrompt
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.screens.terminal import TerminalScreen
from tui_pos.checkout import Phase, TerminalState
from tui_pos.sim.catalog import CATALOG


def price(*codes: str) -> int:
    return sum(CATALOG[code].price for code in codes)


def cash_payments(app: object) -> list[int]:
    return [p.amount for p in app.view.payments if p.method == "CASH"]  # type: ignore[attr-defined]


async def test_f10_right_after_a_scan_asks_for_the_settled_amount() -> None:
    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        sim.latency = 0.4  # Afosto is slow to confirm the next scan
        await type_code(pilot, CODES[1])
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
        screen = app.screen
        assert isinstance(screen, CashScreen)
        assert screen.amount == price(CODES[0], CODES[1]) == app.view.due
        await pilot.press("enter")  # exact
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        assert cash_payments(app) == [price(CODES[0], CODES[1])]


async def test_f10_on_the_first_scan_is_not_dropped() -> None:
    sim = fast_simulator()
    sim.latency = 0.4
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_code(pilot, CODES[0])
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
        assert app.screen.amount == price(CODES[0])  # type: ignore[attr-defined]


async def test_a_scan_on_the_cash_screen_goes_back_to_the_sale_and_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
        app.post_message(BarcodeScanned(CODES[1]))
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))
        await wait_for(pilot, lambda: app.view.synced and not app.view.busy)
        assert [line.sku for line in app.view.lines] == [CODES[0], CODES[1]]
        assert "Item added while paying" in screen_text(app)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
        assert app.screen.amount == price(CODES[0], CODES[1])  # type: ignore[attr-defined]


async def stop_waiting(pilot: object, app: object) -> None:
    await pilot.press("f9")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: app.view.terminal is TerminalState.WAITING)  # type: ignore
    await pilot.press("escape")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)  # type: ignore


async def test_no_cash_screen_while_the_card_is_not_confirmed() -> None:
    sim = fast_simulator(terminal_delay=30)
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await stop_waiting(pilot, app)
        assert isinstance(app.screen, TerminalScreen)
        text = screen_text(app)
        assert "Not confirmed" in text and "F5: check" in text and "F6" in text
        await pilot.press("f10")  # from the terminal screen
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen) and not app.view.busy)
        await pilot.press("f10")  # and again from the sale screen
        await wait_for(pilot, lambda: not app.view.busy)
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        text = " ".join(screen_text(app).split())
        assert "not confirmed" in text and "F9: check it" in text
        await pilot.press("f9")  # checks the card payment, no new one
        await wait_for(pilot, lambda: isinstance(app.screen, TerminalScreen))
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)
        assert sim.requests["createPayment"] == 1


async def test_the_cashier_confirms_the_terminal_shows_failed(tmp_path: object) -> None:
    sim = fast_simulator(terminal_delay=30)
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await stop_waiting(pilot, app)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, YesNoPrompt))
        assert "pays twice" in " ".join(screen_text(app).split())
        await pilot.press("escape")  # not sure after all
        await wait_for(pilot, lambda: isinstance(app.screen, TerminalScreen))
        assert app.view.card_unconfirmed
        await pilot.press("f6", "y")
        await wait_for(pilot, lambda: not app.view.card_unconfirmed)
        assert app.till is not None
        note = app.till.journal.sale(app.sale.id).note
        assert [e.payment_id for e in note.confirmed_failed] == [app.view.payments[0].id]
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))


async def test_a_step_that_dies_unexpectedly_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])

        async def broken(*args: object) -> None:
            raise ZeroDivisionError

        monkeypatch.setattr(app.till.client, "create_payment", broken)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.error is not None and not app.view.busy)
        assert "Unexpected problem" in (app.view.error or "")
        assert app.view.phase is Phase.SCANNING


async def test_two_terminals_online_and_none_configured_are_said_before_f9() -> None:
    sim = fast_simulator()
    sim.set_terminal_online("term_back", True)
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await wait_for(pilot, lambda: "2 terminals online" in screen_text(app))
        await pilot.press("f9")  # the engine's rule, the one the status line shows
        await wait_for(pilot, lambda: "More than one terminal is online" in screen_text(app))
        assert sim.requests["createPayment"] == 0
