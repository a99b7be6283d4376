"""What a new cashier found wrong on the screens, each as it was seen (issue 15)."""

from __future__ import annotations

from textual.widgets import Input

from tests.support.appkit import (
    CODES,
    UNKNOWN_EAN,
    fast_simulator,
    make_app,
    scan,
    screen_text,
    wait_for_card,
)
from tests.support.waiting import wait_for
from tui_pos.app.screens.info import InfoScreen
from tui_pos.app.screens.prompts import YesNoPrompt
from tui_pos.app.screens.result import ResultScreen
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.screens.terminal import TerminalScreen
from tui_pos.checkout import Phase, TerminalState


async def test_typing_replaces_the_part_payment_offered() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0], CODES[1])
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and app.focused.value)
        await pilot.press("1")
        assert app.screen.query_one(Input).value == "1"
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.paid == 100)  # one euro, not 3,881


async def test_one_item_is_one_item_not_one_items() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        assert "1 item " in screen_text(app) and "1 items" not in screen_text(app)
        await pilot.press("f10", "enter")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        await pilot.pause()
        assert "1 item," in screen_text(app) and "1 items" not in screen_text(app)


async def test_voiding_a_line_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0], CODES[1])
        label = app.view.lines[1].label
        await pilot.press("f4")
        await wait_for(pilot, lambda: len(app.view.lines) == 1)
        await pilot.pause()
        assert f"Voided: {label}" in screen_text(app)
        await pilot.press(*CODES[2], "enter")  # the next thing the cashier does
        await wait_for(pilot, lambda: len(app.view.lines) == 2)
        assert "Voided" not in screen_text(app)


async def test_f4_on_an_empty_sale_says_why_nothing_happens() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.till is not None)
        await pilot.press("f4")
        await wait_for(pilot, lambda: "No line to act on" in screen_text(app))


async def test_quitting_mid_payment_asks_first() -> None:
    app = make_app(fast_simulator(terminal_delay=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_card(pilot, app)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, YesNoPrompt))
        assert "Quit in the middle of a payment?" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TerminalScreen))
        assert app.is_running and app.view.terminal is TerminalState.WAITING
        await pilot.press("ctrl+q", "Y")  # either case
        await wait_for(pilot, lambda: not app.is_running)


async def test_quitting_between_sales_does_not_ask() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


async def test_a_refused_first_code_leaves_a_new_sale() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*UNKNOWN_EAN, "enter")
        await wait_for(pilot, lambda: "does not sell" in (app.view.error or ""))
        await pilot.pause()
        title = screen_text(app).splitlines()[0]
        assert "New sale" in title and "Sale 1" not in title


async def test_only_a_star_multiplies() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*f"2X{CODES[0]}", "enter")
        await wait_for(pilot, lambda: app.view.error is not None or bool(app.view.lines))
        assert not any(line.sku == CODES[0] for line in app.view.lines)


async def test_the_result_screen_is_the_clear_end_of_a_sale() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0], CODES[1])
        await pilot.press("f10", "2", "0", "enter")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE and app.view.invoice_number)
        await pilot.pause()
        text = screen_text(app)
        assert isinstance(app.screen, ResultScreen)
        assert "PAID" in text and f"Invoice {app.view.invoice_number}" in text
        assert "Total" in text and "Change" in text
        # the total and the change in large digits: three rows of box-drawing glyphs
        assert sum("╺" in row or "┏" in row or "╭" in row for row in text.splitlines()) >= 2


async def test_invoicing_the_held_back_lines_confirms_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0], CODES[1])
        label = app.view.lines[1].label
        await pilot.press("f3")
        await wait_for(pilot, lambda: bool(app.view.held))
        assert f"{label}: invoiced later" in screen_text(app)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE and app.view.invoice_number)
        await pilot.press("I")  # either case
        await wait_for(pilot, lambda: not app.view.held)
        await wait_for(pilot, lambda: f"Invoiced now: {label}" in screen_text(app))


async def test_the_demo_help_says_what_quitting_does_in_training() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        text = screen_text(app)
        assert "resumes" not in text and "fresh training till" in text


async def test_the_status_line_says_what_is_known_before_the_first_scan() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.till is not None)
        await pilot.pause()
        text = screen_text(app)
        assert "Afosto -" not in text and "Terminal -" not in text
        assert "Afosto: not asked yet" in text and "Terminal: not known yet" in text
        await scan(pilot, app, CODES[0])
        await wait_for(pilot, lambda: "Afosto ok" in screen_text(app))


async def test_a_payment_not_confirmed_names_the_key_that_checks_it() -> None:
    app = make_app(fast_simulator(terminal_delay=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_card(pilot, app)
        await pilot.press("escape")  # stop waiting: not confirmed
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)
        await wait_for(pilot, lambda: "check again. F5: check it now." in screen_text(app))
        await pilot.press("escape")  # back to the sale
        await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))
        await wait_for(pilot, lambda: "F9: check it now." in screen_text(app))


async def test_a_scanner_burst_never_answers_yes() -> None:
    """A wedge scanner's code with a Y in it, typed into the question: no answer."""
    app = make_app(fast_simulator(terminal_delay=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_card(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.view.card_unconfirmed)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, YesNoPrompt))
        await pilot.press(*"ABCy123", "enter")  # one burst, as fast as a scanner
        await pilot.press(*"4000y", "enter")  # a Y last
        await pilot.pause(0.2)  # past the answer's wait: nothing may have been answered
        assert isinstance(app.screen, YesNoPrompt) and app.view.card_unconfirmed
        await pilot.press("y")  # a person's Y
        await wait_for(pilot, lambda: not app.view.card_unconfirmed)


async def test_shift_n_starts_a_new_payment_like_n() -> None:
    from tests.support.appkit import DECLINED

    sim = fast_simulator()
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, DECLINED)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.DECLINED)
        sim.terminal_delay = 30  # the new payment waits for the card
        await pilot.press("N")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.WAITING)
