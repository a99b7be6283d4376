"""The only way past a card payment that is not confirmed without Afosto's word: the
cashier confirms, knowing the risk, that the terminal's own display shows it failed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_pos.money import Locale, format_money


class ConfirmFailedPrompt(ModalScreen[bool]):
    """Y: the terminal shows the payment failed; Esc: go back and check again."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes, it failed"),
        Binding("escape", "dismiss(False)", "Back"),
    ]

    def __init__(self, amount: int, locale: Locale) -> None:
        super().__init__()
        self.amount = amount
        self.locale = locale

    def compose(self) -> ComposeResult:
        amount = format_money(self.amount, self.locale)
        with Vertical(id="dialog"):
            yield Static(f"Card payment of {amount} not confirmed by Afosto.", id="title")
            yield Static(
                "Only if the terminal's own screen shows this payment FAILED or CANCELLED. "
                "If the card was charged after all, the customer pays twice. "
                "Your answer is recorded with the time."
            )
            yield Static("Y: yes, the terminal shows it failed   Esc: no, go back", id="message")
