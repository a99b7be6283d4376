"""Small questions asked over the current screen: a line's quantity, and a yes or no."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from tui_pos.app.entry import parse_count
from tui_pos.app.screens.base import TillModal
from tui_pos.app.textual_fixes import Field, KeyTapApp
from tui_pos.app.wedge import MAX_GAP
from tui_pos.checkout.codes import MAX_QUANTITY
from tui_pos.system.redact import redact


class QuantityPrompt(TillModal[int | None]):
    """How many of a line; 0 voids it."""

    TITLE = "Quantity"

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", tooltip="keep the quantity")]
    TYPED = (("number + Enter", f"the new quantity, 0 to {MAX_QUANTITY} (0 voids the line)"),)

    def __init__(self, label: str, quantity: int) -> None:
        super().__init__()
        self.label = label
        self.quantity = quantity

    def body(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # A label or a typed code is text: no markup, no token.
            yield Static(f"Quantity for {redact(self.label)}:", markup=False)
            yield Field(str(self.quantity), id="quantity")
            yield Static("Enter: set  0: void  Esc: back", id="message")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        self.set_focus(field)
        field.select_all()  # the first key typed replaces the quantity

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        quantity = parse_count(event.value, MAX_QUANTITY)
        if quantity is None:
            message = self.query_one("#message", Static)
            message.update(f"Type a number from 0 to {MAX_QUANTITY}, in digits.")
            message.add_class("-error")
        else:
            self.dismiss(quantity)


class YesNoPrompt(TillModal[bool]):
    """Y (either case): yes; Esc: no.

    A Y that is part of a scanner's burst is no answer: it counts once no other key has
    come within a burst's gap after it (a wedge scanner types codes with letters in them
    into whatever has the focus, and a scan must never answer a question). The Y is
    read here as the key arrives, not through a binding: a binding runs after the keys
    queued behind it, so it could not tell."""

    TITLE = "Question"
    BINDINGS = [Binding("escape", "dismiss(False)", "No", tooltip="no, go back")]
    TYPED = (("Y", "yes"),)

    def __init__(self, title: str, text: str, keys: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.keys = keys
        self._yes: Timer | None = None
        self._yes_at = float("-inf")

    def body(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="title", markup=False)
            yield Static(self.text, markup=False)
            yield Static(self.keys, id="message", markup=False)

    def on_key(self, event: events.Key) -> None:
        pending = self._yes is not None
        if pending:  # any key right after a Y, a second Y too: a burst, not a person
            assert self._yes is not None
            self._yes.stop()
            self._yes = None
        elif event.key in ("y", "Y"):
            self._yes_at = event.time
            self._yes = self.set_timer(MAX_GAP * 3, self._answer_yes)

    def _answer_yes(self) -> None:
        """Yes, unless a key was made after the Y (one the app took too, like a burst's
        Enter or F1) or another screen is on top by now."""
        self._yes = None
        app = self.app
        later = app.last_key > self._yes_at if isinstance(app, KeyTapApp) else False
        if self.is_current and not later:
            self.dismiss(True)
