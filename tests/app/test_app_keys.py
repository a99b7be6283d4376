"""The sale screen's keys: select, quantity, void, stop waiting, help, support, locale."""

from __future__ import annotations

from tests.support.appkit import CODES, fast_simulator, make_app, scan, screen_text, wait_for_card
from tests.support.waiting import wait_for
from tui_pos.app.screens.info import InfoScreen
from tui_pos.checkout import TerminalState


async def test_select_set_quantity_and_void() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for code in CODES[:3]:
            await pilot.press(*code, "enter")
        await wait_for(pilot, lambda: app.view.synced and len(app.view.lines) == 3)
        await pilot.press("up", "f2")  # the second line
        await pilot.press("backspace", "4", "enter")
        await wait_for(pilot, lambda: app.view.synced and app.view.lines[1].quantity == 4)
        await pilot.press("down", "delete")  # empty entry: Delete voids the third line
        await wait_for(pilot, lambda: app.view.synced and len(app.view.lines) == 2)
        await pilot.press("up", "up", "f4")
        await wait_for(
            pilot, lambda: app.view.synced and [line.sku for line in app.view.lines] == [CODES[1]]
        )
        await pilot.press("1", "delete")  # with text in the entry, Delete edits it
        assert len(app.view.lines) == 1


async def test_esc_stops_waiting_and_the_payment_is_checked() -> None:
    sim = fast_simulator(terminal_delay=1.0)
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_card(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)
        assert "Not confirmed" in screen_text(app)


async def test_help_and_support_show_and_the_token_never_does() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, InfoScreen) and "3*code + Enter" in screen_text(app)
        await pilot.press("escape", "ctrl+s")
        text = screen_text(app)
        assert "set, inline (prefer a token file)" in text and "demo-token" not in text


async def test_money_follows_the_locale() -> None:
    app = make_app(locale="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.pause()
        assert "€1.19" in screen_text(app)
