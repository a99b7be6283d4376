"""A money amount in large type, with what it is for above it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label

from tui_pos.app.widgets.text import set_text
from tui_pos.money import Locale, format_money


class BigAmount(Vertical):
    """``To pay`` over ``€ 12,34`` in three-row digits."""

    def __init__(self, caption: str, locale: Locale, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = caption
        self.locale = locale
        self._cents = 0

    def compose(self) -> ComposeResult:
        yield Label(self.caption, classes="caption")
        yield Digits(format_money(self._cents, self.locale))

    def on_mount(self) -> None:
        self.show(self._cents)  # what was shown while its parts were still being made

    def show(self, cents: int, caption: str | None = None) -> None:
        """Show ``cents`` (and a new caption); before the parts exist, they take it."""
        self._cents = cents
        if caption is not None:
            self.caption = caption
            for label in self.query(Label).results(Label):
                set_text(label, caption)
        amount = format_money(cents, self.locale)
        for digits in self.query(Digits).results(Digits):
            if digits.value != amount:  # an update repaints, even to the same value
                digits.update(amount)
