"""Small questions asked over the current screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_pos.app.entry import parse_count
from tui_pos.app.widgets.field import Field
from tui_pos.checkout.codes import MAX_QUANTITY
from tui_pos.system.redact import redact


class QuantityPrompt(ModalScreen[int | None]):
    """How many of a line; 0 voids it."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, label: str, quantity: int) -> None:
        super().__init__()
        self.label = label
        self.quantity = quantity

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # A label or a typed code is text: no markup, no token.
            yield Static(f"Quantity for {redact(self.label)}:", markup=False)
            yield Field(str(self.quantity), id="quantity")
            yield Static("Enter: set  0: void  Esc: back", id="message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        quantity = parse_count(event.value, MAX_QUANTITY)
        if quantity is None:
            message = self.query_one("#message", Static)
            message.update(f"Type a number from 0 to {MAX_QUANTITY}, in digits.")
            message.add_class("-error")
        else:
            self.dismiss(quantity)
