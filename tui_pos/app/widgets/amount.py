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

    def compose(self) -> ComposeResult:
        yield Label(self.caption, classes="caption")
        yield Digits(format_money(0, self.locale))

    def show(self, cents: int, caption: str | None = None) -> None:
        if caption is not None:
            set_text(self.query_one(Label), caption)
        digits = self.query_one(Digits)
        amount = format_money(cents, self.locale)
        if digits.value != amount:  # an update repaints, even to the same value
            digits.update(amount)
