"""Help (the key map) and Support (the doctor's report, :mod:`tui_pos.doctor`), over the
current screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = """\
Sale
  code + Enter      add one (a scan does the same)
  3*code + Enter    add three
  Up / Down         select a line
  F2                set the selected line's quantity
  Delete or F4      void the selected line
  F9                pay all that is due by PIN
  F10               pay all that is due in cash
  F8                pay a part: the amount, then F9 PIN or F10 cash
Card terminal
  Enter             try the same payment again
  N                 start a new payment
  F10               pay in cash instead
  Esc               back to the sale (while waiting: stop waiting)
  F5                check a payment that is not confirmed with Afosto
  F6                the terminal shows it failed (asks first; recorded)
Cash
  amount + Enter    what the customer handed over (50 or 50,25)
  Enter alone       the exact amount
  F5 F6 F7 F8       10, 20, 50 or 100 handed over
After the sale
  Enter             next sale (scanning starts one too)
Anywhere
  F1                this help        Ctrl+S  support information
  Ctrl+Q            quit (the sale is kept and resumes on start)"""


class InfoScreen(ModalScreen[None]):
    """A scrollable page of text; Esc closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(self.title_text, id="title")
            yield Static(self.text, id="text", markup=False)
            yield Static("Esc: close", id="message")


def help_screen() -> InfoScreen:
    return InfoScreen("Keys", KEYS)
