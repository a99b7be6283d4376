"""The card terminal: waiting for the customer, then the result and what to do next."""

from __future__ import annotations

from time import monotonic

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui_pos.app.console import either_case
from tui_pos.app.messages import (
    BackToSale,
    CardFailed,
    CheckCard,
    PayByCard,
    PayInCash,
    RetryCard,
    StopWaiting,
)
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.text import set_text
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
    TerminalState.CHECKING: "",
    TerminalState.WAITING: "Esc: stop waiting (the payment is then checked)",
}
RESULT_NEXT = "Enter: try again  N: new payment  F10: cash  Esc: back to the sale"
UNCONFIRMED_NEXT = "F5: check  Enter: retry this payment  F6: terminal says failed  Esc: back"
"""While the payment may still go through: no new payment, card or cash."""
UNCONFIRMED_ONLY = ("check", "confirm_failed")


class TerminalScreen(TillScreen):
    TITLE = "Card payment"
    BINDINGS = [
        Binding("enter", "retry", "Retry", tooltip="try the same payment again"),
        # Shown in the hint line when they apply; pressed when they do not, they say why.
        Binding(
            either_case("n"),
            "new_payment",
            "New payment",
            show=False,
            tooltip="start a new card payment",
        ),
        Binding("f10", "cash", "Cash", show=False, tooltip="pay in cash instead"),
        Binding("f5", "check", "Check", tooltip="check a payment that is not confirmed"),
        Binding(
            "f6",
            "confirm_failed",
            "Failed",
            tooltip="the terminal shows it failed (asks first; recorded)",
        ),
        Binding("escape", "back", "Back", tooltip="back to the sale (while waiting: stop waiting)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._started = monotonic()
        self._ticker: Timer | None = None

    def body(self) -> ComposeResult:
        yield Static("Card payment", id="title")
        yield BigAmount("Amount", self.locale, id="amount")
        yield Static(id="terminal-name")
        yield Static(id="prompt")
        yield Static(id="waited")
        yield Static(id="next")
        yield Static(id="message")
        yield Footer(compact=True)

    def show(self, view: SaleView) -> None:
        super().show(view)
        if view.card_unconfirmed and view.error:  # which key checks it
            self.say(f"{view.error} F5: check it now.", error=True)
        state = view.terminal
        amount = self.query_one(BigAmount)
        amount.locale = self.locale
        amount.show(view.attempt_amount or 0)
        set_text(
            self.query_one("#terminal-name", Static), f"Terminal: {view.terminal_label or '-'}"
        )
        prompt = self.query_one("#prompt", Static)
        set_text(prompt, PROMPTS[state])
        prompt.set_classes(f"-{state.value}")
        hint = NEXT.get(state, UNCONFIRMED_NEXT if view.card_unconfirmed else RESULT_NEXT)
        set_text(self.query_one("#next", Static), hint)
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
        set_text(self.query_one("#waited", Static), text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action in ("new_payment", "cash"):
            return True  # no new payment while one may run: the engine says so, in words
        if view.terminal in (TerminalState.WAITING, TerminalState.CHECKING):
            return action == "back"
        if action in UNCONFIRMED_ONLY:
            return view.card_unconfirmed
        return True

    def action_retry(self) -> None:
        self.post_message(RetryCard())

    def action_check(self) -> None:
        self.post_message(CheckCard())

    def action_confirm_failed(self) -> None:
        self.post_message(CardFailed())

    def action_cash(self) -> None:
        self.post_message(PayInCash())

    def action_new_payment(self) -> None:
        self.post_message(PayByCard())

    def action_back(self) -> None:
        waiting = self.view.terminal is TerminalState.WAITING
        self.post_message(StopWaiting() if waiting else BackToSale())
