"""Small questions asked over the current screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_pos.app.widgets.field import Field
from tui_pos.checkout.items import MAX_QUANTITY


class QuantityPrompt(ModalScreen[int | None]):
    """How many of a line; 0 voids it."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, label: str, quantity: int) -> None:
        super().__init__()
        self.label = label
        self.quantity = quantity

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Quantity for {self.label}:")
            yield Field(str(self.quantity), id="quantity")
            yield Static("Enter: set  0: void  Esc: back", id="message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text.isdigit() and int(text) <= MAX_QUANTITY:
            self.dismiss(int(text))
        else:
            self.query_one("#message", Static).update(f"A number from 0 to {MAX_QUANTITY}.")
