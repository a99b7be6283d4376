"""The card terminal: waiting for the customer, then the result and what to do next."""

from __future__ import annotations

from time import monotonic

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.checkout import SaleView, TerminalState

PROMPTS = {
    TerminalState.WAITING: "Ask the customer to tap, insert or swipe the card.",
    TerminalState.CHECKING: "Checking the payment with Afosto...",
    TerminalState.APPROVED: "Approved.",
    TerminalState.DECLINED: "Declined: the card was refused.",
    TerminalState.ABORTED: "Stopped: the customer cancelled on the terminal.",
    TerminalState.EXPIRED: "Timed out: the terminal got no card in time.",
    TerminalState.BUSY: "Busy: the terminal is still working on a payment.",
    TerminalState.UNKNOWN: "Not confirmed: the terminal may still be working.",
    TerminalState.FAILED: "The payment could not start.",
    TerminalState.IDLE: "",
}

NEXT = {
    TerminalState.UNKNOWN: "Look at the terminal. Enter: check and retry  Esc: back to the sale",
    TerminalState.CHECKING: "",
    TerminalState.WAITING: "Esc: stop waiting (the payment is then checked)",
}
RESULT_NEXT = "Enter: try again  N: new payment  F10: cash  Esc: back to the sale"


class TerminalScreen(TillScreen):
    BINDINGS = [
        Binding("enter", "retry", "Retry"),
        Binding("n", "new_payment", "New payment"),
        Binding("f10", "cash", "Cash"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._started = monotonic()
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Card payment", id="title")
        yield BigAmount("Amount", self.locale, id="amount")
        yield Static(id="terminal-name")
        yield Static(id="prompt")
        yield Static(id="waited")
        yield Static(id="next")
        yield Static(id="message")
        yield Footer()

    def show(self, view: SaleView) -> None:
        super().show(view)
        state = view.terminal
        self.query_one(BigAmount).show(view.attempt_amount or 0)
        self.query_one("#terminal-name", Static).update(f"Terminal: {view.terminal_label or '-'}")
        prompt = self.query_one("#prompt", Static)
        prompt.update(PROMPTS[state])
        prompt.set_classes(f"-{state.value}")
        self.query_one("#next", Static).update(NEXT.get(state, RESULT_NEXT))
        waiting = state is TerminalState.WAITING
        if waiting and self._ticker is None:
            self._started = monotonic()
            self._ticker = self.set_interval(1, self._tick)
        elif not waiting and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self._tick()
        self.refresh_bindings()

    def _tick(self) -> None:
        waited = int(monotonic() - self._started)
        text = f"Waiting {waited} s" if self._ticker is not None else ""
        self.query_one("#waited", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        state = self.till_app.view.terminal
        if state in (TerminalState.WAITING, TerminalState.CHECKING):
            return action in ("back", "help")
        if action == "new_payment":
            return state is not TerminalState.UNKNOWN
        return True

    def action_retry(self) -> None:
        self.till_app.run_payment(self.till_app.sale.retry_terminal())

    def action_cash(self) -> None:
        self.till_app.action_pay_cash()

    def action_new_payment(self) -> None:
        self.till_app.action_pay_pin()

    def action_back(self) -> None:
        sale = self.till_app.sale
        if self.till_app.view.terminal is TerminalState.WAITING:
            sale.stop_waiting()
        else:
            sale.back_to_sale()
