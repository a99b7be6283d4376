"""A cashier's number and PIN: to sign in on a locked till, and for a manager's
approval on the spot. The screen asks; the app checks (on a thread: the PIN's hash is
slow by design) and answers with :meth:`Credentials.refuse` or dismisses it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui_pos.app.messages import CredentialsGiven
from tui_pos.app.screens.base import TillModal
from tui_pos.app.textual_fixes import Field

DIGITS = r"[0-9]*"
"""Only ASCII digits go in (a Belgian keyboard's ``²`` is no digit of a PIN)."""
NUMBER_DIGITS = 4
PIN_DIGITS = 8


class Credentials(TillModal[object]):
    """Number, Enter, PIN, Enter. ``cancel``: Esc goes back (an approval); a locked
    till's sign-in has no way around it. Dismissed by the app with what it decided."""

    TITLE = "Sign in"
    TYPED = (
        ("number + Enter", "the cashier's number"),
        ("PIN + Enter", "the PIN (not shown)"),
    )

    def __init__(self, title: str, text: str, *, cancel: bool, purpose: object = None) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.cancel = cancel
        self.purpose = purpose
        """What the app asked for (it reads it back with the answer)."""
        self.checking = False

    BINDINGS = [Binding("escape", "back", "Back", tooltip="go back without approving")]

    def body(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="title", markup=False)
            yield Static(self.text, id="text", markup=False)
            yield Field(
                placeholder="Number", id="number", restrict=DIGITS, max_length=NUMBER_DIGITS
            )
            yield Field(
                placeholder="PIN", id="pin", password=True, restrict=DIGITS, max_length=PIN_DIGITS
            )
            keys = "Enter: next   Esc: back" if self.cancel else "Enter: next"
            yield Static(keys, id="message", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#number", Input))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back" or self.cancel

    def action_back(self) -> None:
        self.dismiss(None)

    def tap(self, key: str) -> bool:
        """Enter in the number field moves to the PIN at once."""
        super().tap(key)
        number = self.query_one("#number", Input)
        if key == "enter" and self.focused is number:
            self.set_focus(self.query_one("#pin", Input))
            return True
        return False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        number, pin = self.query_one("#number", Input), self.query_one("#pin", Input)
        if event.input is number:
            pin.focus()
        elif not number.value.strip():
            self.set_focus(number)
            self.say("Your number first, then Enter.", error=True)
        elif not self.checking:
            self.checking = True
            self.say("Checking...")
            self.post_message(CredentialsGiven(self, number.value.strip(), pin.value))

    def refuse(self, words: str) -> None:
        """The app's answer to a wrong number or PIN: say why, and ask again."""
        self.checking = False
        number, pin = self.query_one("#number", Input), self.query_one("#pin", Input)
        number.value = pin.value = ""
        number.focus()
        self.say(words, error=True)

    def set_text(self, text: str) -> None:
        """What the prompt is about, as it changes (the sale in progress under a lock)."""
        self.text = text
        self.query_one("#text", Static).update(text)
