"""What every till screen shares: the sale's view, the till's facts, the message line,
money display, and the notice shown instead of a screen that does not fit.

Screens know the app only as a source of two reactive values (``view`` and ``facts``,
watched by name): they read state, post what the cashier wants (:mod:`messages`) and
never call the engine.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from tui_pos.app.facts import TillFacts
from tui_pos.app.messages import NoSale, PrintReceipt
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import SaleView
from tui_pos.money import Locale, format_money

T = TypeVar("T")

MIN_SIZE = (72, 22)
"""The smallest terminal (columns, rows) every screen fits without cutting anything."""


def size_notice() -> Static:
    """What a screen shows instead of itself when the terminal is below :data:`MIN_SIZE`
    (the app says when: the class ``-too-small``)."""
    width, height = MIN_SIZE
    words = (
        f"This window is too small for the till: it needs {width} columns and "
        f"{height} rows. Make it larger, or choose a smaller font."
    )
    return Static(words, id="too-small")


class TillScreen(Screen[None]):
    """A full-screen panel that redraws from the sale's view and the till's facts."""

    TYPED: ClassVar[tuple[tuple[str, str], ...]] = ()
    """What the help lists besides the screen's keys: (what to type, what it does)."""

    def __init__(self) -> None:
        super().__init__()
        self.view = SaleView()
        self.facts = TillFacts()

    def compose(self) -> ComposeResult:
        yield from self.body()
        yield size_notice()

    def body(self) -> ComposeResult:
        """The screen's widgets; screens define it."""
        yield from ()

    @property
    def locale(self) -> Locale:
        return self.facts.locale

    def money(self, cents: int) -> str:
        return format_money(cents, self.locale)

    def on_mount(self) -> None:
        self.watch(self.app, "facts", self._facts_changed, init=True)
        self.watch(self.app, "view", self._view_changed, init=True)

    def on_screen_resume(self) -> None:
        """Back on top: the field takes the keys again, should it have lost the focus
        (hidden while the window was too small)."""
        if self.focused is None:
            self.focus_next()

    def _facts_changed(self, facts: TillFacts) -> None:
        self.facts = facts
        if self.is_mounted:
            self.show(self.view)

    def _view_changed(self, view: SaleView) -> None:
        self.view = view
        self.show(view)

    def show(self, view: SaleView) -> None:
        """Redraw from ``view`` (and :attr:`facts`); screens extend this."""
        self.show_message(view)

    def show_message(self, view: SaleView) -> None:
        """What went wrong, else what the till just did (the app's note)."""
        if view.error:
            self.say(view.error, error=True)
        else:
            self.say(self.facts.note)

    def action_print_receipt(self) -> None:
        self.post_message(PrintReceipt())

    def action_no_sale(self) -> None:
        self.post_message(NoSale())

    def say(self, text: str | None, *, error: bool = False) -> None:
        """The message line: what went wrong, or what just happened."""
        for message in self.query("#message").results(Static):
            set_text(message, text or "")
            message.set_class(error, "-error")


class TillModal(ModalScreen[T]):
    """A question over the current screen (or a page over it: the sale screen below it
    stays the app's screen of the sale, whatever the sale does meanwhile).

    Screens take the focus in ``on_mount`` with ``set_focus`` (at once), never with a
    widget's ``focus()``: that one is deferred, and would take the focus back from the
    field an Enter typed right behind the key that opened the dialog moved it to."""

    TYPED: ClassVar[tuple[tuple[str, str], ...]] = ()

    def compose(self) -> ComposeResult:
        yield from self.body()
        yield size_notice()

    def body(self) -> ComposeResult:
        """The dialog's widgets; dialogs define it."""
        yield from ()

    def tap(self, key: str) -> bool:
        """Each key as it arrives, before it goes to a field (the app calls it). A key
        typed as the dialog comes up, before it focused a field, goes into its first
        field; a dialog that moves the focus on Enter does it here, at once, so that the
        keys typed right after go to the next field. ``True``: the key is taken."""
        if self.focused is None:
            first = next(iter(self.query(Input).results(Input)), None)
            if first is not None:
                self.set_focus(first)
        return False

    def say(self, text: str | None, *, error: bool = False) -> None:
        """The dialog's message line."""
        for message in self.query("#message").results(Static):
            set_text(message, text or "")
            message.set_class(error, "-error")
