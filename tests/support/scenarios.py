"""Every screen of the till in every state worth seeing, for snapshots and the glyph test.

Each scenario builds its app and drives it, with the keys, to the state to look at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.appkit import (
    ABORTED,
    CODES,
    DECLINED,
    UNKNOWN_EAN,
    fast_simulator,
    make_app,
    network_printer,
    scan,
    screen_text,
    type_code,
)
from tests.support.netprinter import NetPrinter, PrinterState
from tests.support.simkit import MILK
from tests.support.waiting import wait_for
from tui_pos.app import TillApp
from tui_pos.app.screens.base import MIN_SIZE
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.customer import CustomerDialog
from tui_pos.app.screens.info import InfoScreen
from tui_pos.app.screens.page import PageScreen
from tui_pos.app.screens.prompts import QuantityPrompt, YesNoPrompt
from tui_pos.app.screens.sale import EntryField, SaleScreen
from tui_pos.app.screens.signin import Credentials
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.checkout import PageState, Phase, TerminalState
from tui_pos.config import PrinterSettings
from tui_pos.sim import Fault, Simulator, state

Drive = Callable[[Pilot[None], TillApp, Simulator], Awaitable[None]]

SIZES = [(120, 40), MIN_SIZE, (MIN_SIZE[0] - 12, MIN_SIZE[1] - 2)]
"""Sizes besides 80x24: a large window, the smallest supported, and one below it."""


async def settle(pilot: Pilot[None], app: TillApp, condition: Callable[[], bool]) -> None:
    await wait_for(pilot, condition)
    await pilot.pause()
    await pilot.pause()


@dataclass
class Scenario:
    name: str
    drive: Drive
    sim: Callable[[Simulator], None] = lambda sim: None
    settings: dict[str, Any] = field(default_factory=dict)
    sized: bool = False
    """Also shown at each of :data:`SIZES`."""
    cashiers: bool = False
    """With staffkit's cashier file: the till starts locked."""
    printer: Callable[[], NetPrinter] | None = None
    """A network printer on 127.0.0.1 for the till instead of the training till's
    screen; it is switched off once the state is reached (the picture is taken after)."""

    def build(self) -> tuple[TillApp, Callable[[Pilot[None]], Awaitable[None]]]:
        """The app, and what brings it to the state to look at."""
        sim = fast_simulator()
        self.sim(sim)
        printer = self.printer() if self.printer is not None else None
        if printer is None:
            app = make_app(sim, cashiers=self.cashiers, **self.settings)
        else:
            printer.__enter__()
            port = printer.port
            app = make_app(
                sim, use_printer=network_printer(port), cashiers=self.cashiers, **self.settings
            )

        async def run_before(pilot: Pilot[None]) -> None:
            try:
                await self.drive(pilot, app, sim)
            finally:
                if printer is not None:
                    printer.__exit__(None, None, None)

        return app, run_before


async def empty(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await pilot.pause()


async def cart(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0], CODES[1], CODES[0], "3*" + CODES[2])
    await pilot.press("up")


async def long_cart(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """More lines than fit: the cart shows the newest and says how many are above."""
    await wait_for(pilot, lambda: bool(app.screen.query(EntryField)))
    app.screen.query_one(EntryField).post_message(events.Paste("\n".join(CODES[:20])))
    await settle(pilot, app, lambda: len(app.view.lines) == 20 and app.view.synced)


async def unknown_code(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0], UNKNOWN_EAN)


async def api_down(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0])
    sim.inject("*", Fault("status", status=503, times=None))
    await pilot.press(*CODES[1], "enter")
    await settle(pilot, app, lambda: "problem on its side" in (app.view.error or ""))


async def quantity(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0])
    await pilot.press("f2")
    await settle(pilot, app, lambda: isinstance(app.screen, QuantityPrompt))


async def tender(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f8")
    await settle(pilot, app, lambda: isinstance(app.screen, TenderScreen))


PAGE_BASE = "http://127.0.0.1:8080"
"""Where the payment pages of the page scenarios are (the demo's port is random)."""


async def page_open(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """Milk, F8, F5: the iDEAL page panel, its url fixed (the page's host and id)."""
    await scan(pilot, app, MILK)
    await wait_for(pilot, lambda: bool(app.view.page_methods))
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, TenderScreen))
    sim.page_base_url = PAGE_BASE
    new_id = state.new_id
    with mock.patch.object(
        state, "new_id", lambda prefix: f"pay_{1:016d}" if prefix == "pay_" else new_id(prefix)
    ):
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.view.page is not None)
    await settle(pilot, app, lambda: isinstance(app.screen, PageScreen))


async def page_stopped(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The page panel after Esc: not watched, the QR code (or its url) still up."""
    await page_open(pilot, app, sim)
    await pilot.press("escape")
    await settle(
        pilot, app, lambda: app.view.page is not None and app.view.page.state is PageState.UNKNOWN
    )


async def cash(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
    await pilot.press("2", "0")


async def stopped_waiting(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """Esc while the terminal waits: the card payment is not confirmed."""
    await waiting(pilot, app, sim)
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)


async def card_unconfirmed(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """Back to the sale with a card payment not confirmed, then F10: refused, and why."""
    await stopped_waiting(pilot, app, sim)
    await pilot.press("escape", "f10")
    await settle(pilot, app, lambda: "No new payment" in (app.view.error or ""))


async def confirm_failed(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await stopped_waiting(pilot, app, sim)
    await pilot.press("f6")
    await settle(pilot, app, lambda: isinstance(app.screen, YesNoPrompt))


async def order_gone(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The card paid part of the sale; then the order is gone from Afosto."""
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, TenderScreen))
    app.screen.query_one(Input).value = "1"
    await pilot.press("f9")
    await wait_for(pilot, lambda: app.view.paid > 0 and app.view.phase is Phase.TENDER)
    number = app.view.order_number
    sim.store.delete_order(next(o.id for o in sim.store.orders.values() if o.number == number))
    await pilot.press(*CODES[2], "enter")
    await settle(pilot, app, lambda: "Ctrl+X" in (app.view.error or ""))


async def waiting(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0])
    await pilot.press("f9")
    await settle(pilot, app, lambda: app.view.terminal is TerminalState.WAITING)


def terminal_result(code: str, state: TerminalState) -> Drive:
    async def drive(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
        await scan(pilot, app, code)
        await pilot.press("f9")
        await settle(pilot, app, lambda: app.view.terminal is state)

    return drive


def receipt_shown(app: TillApp) -> bool:
    """The training till's printer has printed the sale's receipt (it ends in a cut)."""
    return app.view.phase is Phase.DONE and any(paper.cuts for paper in app.facts.paper)


async def paid(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0], CODES[1], CODES[2])
    await pilot.press("f10")
    await pilot.press("5", "0", "enter")
    await settle(pilot, app, lambda: receipt_shown(app))


async def held(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f3", "f9")
    await settle(pilot, app, lambda: receipt_shown(app))


async def pending(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0])
    await pilot.press("f9")
    await settle(pilot, app, lambda: app.view.invoice_pending and receipt_shown(app))


def paper_out() -> NetPrinter:
    return NetPrinter(state=PrinterState(paper_out=True))


async def printer_paper_out(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """A PIN sale on a network printer that is out of paper: said in the message line."""
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f9")
    await settle(pilot, app, lambda: app.view.phase is Phase.DONE and app.facts.printer)
    await settle(pilot, app, lambda: "out of paper" in (app.facts.note or ""))


async def printer_problem_next_sale(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The next sale after the printer ran out of paper: the status line says it."""
    await printer_paper_out(pilot, app, sim)
    await pilot.press("enter")
    await settle(pilot, app, lambda: isinstance(app.screen, SaleScreen))
    await scan(pilot, app, CODES[2])


async def receipt_ask(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """A PIN sale where the shop prints a receipt only when asked: P prints it."""
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f9")
    await settle(pilot, app, lambda: app.view.phase is Phase.DONE and app.view.invoice_number)


async def help_keys(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await pilot.press("f1")
    await settle(pilot, app, lambda: isinstance(app.screen, InfoScreen))


async def support(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot, app, lambda: isinstance(app.screen, InfoScreen))


# --- the cashiers and the day (staffkit's cashier file: manager 12 Anna, cashier 3 Bob) ---


def screen_words(app: TillApp) -> str:
    return " ".join(screen_text(app).split())


async def signed_in(pilot: Pilot[None], app: TillApp) -> None:
    """Bob signed in, the day opened with a float of € 150."""
    from tui_pos.app.screens.day import CountScreen

    await settle(pilot, app, lambda: isinstance(app.screen, Credentials))
    await pilot.press("3", "enter", *"90210", "enter")
    await settle(pilot, app, lambda: isinstance(app.screen, CountScreen))
    app.screen.query_one("#total", Input).value = "150"
    await pilot.press("f10")
    await settle(pilot, app, lambda: isinstance(app.screen, SaleScreen))


async def locked(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """A till locked mid-sale: the sign-in says who started the sale."""
    await signed_in(pilot, app)
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f11")
    await settle(pilot, app, lambda: isinstance(app.screen, Credentials))
    await pilot.press("3")


async def float_count(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """After sign-in on a day not opened yet: the float, counted per note and coin."""
    from tui_pos.app.screens.day import CountScreen

    await settle(pilot, app, lambda: isinstance(app.screen, Credentials))
    await pilot.press("3", "enter", *"90210", "enter")
    await settle(pilot, app, lambda: isinstance(app.screen, CountScreen))
    await pilot.press("2", "enter", "enter", "1", "enter")


async def x_report(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The X report after a cash sale and € 20 taken out."""
    from tui_pos.app.screens.day import DayScreen

    await signed_in(pilot, app)
    await scan(pilot, app, CODES[0], CODES[1])
    await pilot.press("f10")
    await settle(pilot, app, lambda: isinstance(app.screen, CashScreen))
    await pilot.press("2", "0", "enter")
    await settle(pilot, app, lambda: app.view.phase is Phase.DONE)
    await pilot.press("enter", "f12")
    await settle(pilot, app, lambda: isinstance(app.screen, DayScreen))


async def approval(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """Cash out asks a manager's number and PIN."""
    await x_report(pilot, app, sim)
    await pilot.press("o", "2", "0", "enter", *"safe", "enter")
    await settle(pilot, app, lambda: isinstance(app.screen, Credentials))


async def closing_note(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The Z's count differs from what the till expected: a note is asked."""
    from tui_pos.app.screens.day import CountScreen, NotePrompt

    await x_report(pilot, app, sim)
    await pilot.press("z", "1", "2", "enter", *"4711", "enter")
    await settle(pilot, app, lambda: isinstance(app.screen, CountScreen))
    app.screen.query_one("#total", Input).value = "150"
    await pilot.press("f10")
    await settle(pilot, app, lambda: isinstance(app.screen, NotePrompt))


async def z_report(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The day closed: its Z report (the next day's float asked after it, put away)."""
    from tui_pos.app.screens.day import DayScreen

    await closing_note(pilot, app, sim)
    app.screen.query_one(Input).value = "change given wrong"
    await pilot.press("enter")
    await settle(pilot, app, lambda: "The float for day 2" in screen_words(app))
    await pilot.press("escape")
    await settle(pilot, app, lambda: isinstance(app.screen, DayScreen))
    await pilot.press("pagedown")


def slow_terminal(sim: Simulator) -> None:
    sim.terminal_delay = 30


def lost_terminal_answer(sim: Simulator) -> None:
    sim.terminal_delay = 30
    sim.inject("startPayment", Fault("drop_before"))


def slow_invoicing(sim: Simulator) -> None:
    sim.invoice_delay = 30


SCENARIOS = [
    Scenario("sale-empty", empty),
    Scenario("sale-cart", cart, sized=True),
    Scenario("sale-long-cart", long_cart),
    Scenario("sale-unknown-code", unknown_code),
    Scenario("sale-api-down", api_down, settings={"request_timeout": 1}),
    Scenario("quantity", quantity),
    Scenario("tender", tender),
    Scenario("page-stopped", page_stopped),
    Scenario("cash", cash),
    Scenario("terminal-waiting", waiting, slow_terminal, sized=True),
    Scenario("terminal-declined", terminal_result(DECLINED, TerminalState.DECLINED)),
    Scenario("terminal-aborted", terminal_result(ABORTED, TerminalState.ABORTED)),
    Scenario(
        "terminal-unknown", terminal_result(CODES[3], TerminalState.UNKNOWN), lost_terminal_answer
    ),
    Scenario("result-paid", paid),
    Scenario("result-held", held),
    Scenario("result-invoice-pending", pending, slow_invoicing, {"invoice_timeout": 0.2}),
    Scenario("sale-card-unconfirmed", card_unconfirmed, slow_terminal),
    Scenario("confirm-failed", confirm_failed, slow_terminal),
    Scenario("sale-order-gone", order_gone),
    Scenario("result-printer-paper-out", printer_paper_out, printer=paper_out),
    Scenario("sale-printer-problem", printer_problem_next_sale, printer=paper_out, sized=True),
    Scenario(
        "result-receipt-ask", receipt_ask, settings={"printer": PrinterSettings(receipt="ask")}
    ),
    Scenario("help", help_keys),
    Scenario("support", support),
    Scenario("signin-locked", locked, cashiers=True, sized=True),
    Scenario("day-float", float_count, cashiers=True),
    Scenario("day-x-report", x_report, cashiers=True, sized=True),
    Scenario("day-approval", approval, cashiers=True),
    Scenario("day-closing-note", closing_note, cashiers=True),
    Scenario("day-z-report", z_report, cashiers=True),
]


# --- the sale's customer (F5) ---


async def customer_dialog(pilot: Pilot[None], app: TillApp, query: str) -> CustomerDialog:
    """F5 on the sale screen, ``query`` typed, until its answer shows."""
    await pilot.press("f5")
    await settle(pilot, app, lambda: isinstance(app.screen, CustomerDialog))
    dialog = app.screen
    assert isinstance(dialog, CustomerDialog)
    await pilot.press(*query)
    await settle(pilot, app, lambda: dialog.asked is None and dialog.shown == query)
    return dialog


async def customer_results(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0])
    await customer_dialog(pilot, app, "janss")
    await pilot.press("down")


async def customer_no_match(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await customer_dialog(pilot, app, "nobody")


async def customer_error(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    await scan(pilot, app, CODES[0])
    sim.inject("searchCustomers", Fault("status", status=503))
    await customer_dialog(pilot, app, "zoë")


async def customer_on_sale(pilot: Pilot[None], app: TillApp, sim: Simulator) -> None:
    """The header names the customer: a long organisation's name, cut to fit."""
    await scan(pilot, app, CODES[0], CODES[1])
    await type_code(pilot, "K200001")
    await settle(pilot, app, lambda: app.view.customer is not None)


CUSTOMER_SCENARIOS = [
    Scenario("customer-results", customer_results),
    Scenario("customer-no-match", customer_no_match),
    Scenario("customer-error", customer_error),
    Scenario("sale-with-customer", customer_on_sale, sized=True),
]
"""The customer dialog and the sale screen with a customer (their own snapshots)."""
