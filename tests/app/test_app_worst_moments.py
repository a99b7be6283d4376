"""Keys at the worst moment: scanner bursts into a question, a window resized below the
smallest size and back, a question asked while a pay screen opens."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.support.appkit import CODES, fast_simulator, make_app, scan, screen_text, wait_for_card
from tests.support.waiting import wait_for
from tui_pos.app import TillApp
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.info import InfoScreen
from tui_pos.app.screens.prompts import YesNoPrompt
from tui_pos.app.screens.sale import SaleScreen


def burst(app: TillApp, text: str) -> None:
    """Keys as a wedge scanner's one read delivers them: back to back, then Enter."""
    for char in text:
        app.post_message(events.Key(char, char))
    app.post_message(events.Key("enter", None))


async def asking_to_quit(pilot, app: TillApp) -> None:  # type: ignore[no-untyped-def]
    await wait_for_card(pilot, app)
    await pilot.press("ctrl+q")
    await wait_for(pilot, lambda: isinstance(app.screen, YesNoPrompt))


async def test_a_burst_with_a_y_never_quits_mid_payment() -> None:
    for code in ("87Y45", "ABC12Y", "yY123"):
        app = make_app(fast_simulator(terminal_delay=30))
        async with app.run_test(size=(80, 24)) as pilot:
            await asking_to_quit(pilot, app)
            burst(app, code)
            await pilot.pause(0.3)  # past the answer's wait: nothing may have answered
            assert app.is_running, code


async def test_y_then_f1_is_no_answer() -> None:
    app = make_app(fast_simulator(terminal_delay=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await asking_to_quit(pilot, app)
        await pilot.press("y", "f1")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        await pilot.pause(0.3)
        assert app.is_running
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, YesNoPrompt))
        await pilot.press("y")  # a person's Y, on its own
        await wait_for(pilot, lambda: not app.is_running)


async def test_the_size_notice_follows_each_resize_and_the_entry_takes_keys_after() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: "too small" in screen_text(app))
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: "too small" not in screen_text(app))
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*CODES[1], "enter")
        await wait_for(pilot, lambda: len(app.view.lines) == 2)


async def test_a_pay_screen_below_the_size_takes_its_keys_once_it_is_back() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: "too small" in screen_text(app))
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("5", "enter")
        await wait_for(pilot, lambda: app.view.paid > 0)


async def test_a_question_asked_while_the_pay_screen_opens_is_not_left_under_it() -> None:
    sim = fast_simulator()
    sim.latency = 0.3  # the cart settles slowly: F10 waits for it
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*CODES[0], "enter")
        await pilot.press("f10", "f1")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen), seconds=10)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))
        assert len(app.screen_stack) == 1
