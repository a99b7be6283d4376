"""What every till screen shares: the sale's view, the message line and money display."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Static

from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import SaleView
from tui_pos.money import Locale, format_money

if TYPE_CHECKING:
    from tui_pos.app.app import TillApp


class TillScreen(Screen[None]):
    """A full-screen panel that redraws from the sale's view whenever it changes."""

    @property
    def till_app(self) -> TillApp:
        from tui_pos.app.app import TillApp

        assert isinstance(self.app, TillApp)
        return self.app

    @property
    def locale(self) -> Locale:
        return self.till_app.locale

    def money(self, cents: int) -> str:
        return format_money(cents, self.locale)

    def on_mount(self) -> None:
        self.watch(self.app, "view", self.show, init=True)

    def show(self, view: SaleView) -> None:
        """Redraw from ``view``; screens extend this."""
        self.say(view.error, error=view.error is not None)

    def say(self, text: str | None, *, error: bool = False) -> None:
        """The message line: what went wrong, or what just happened."""
        for message in self.query("#message").results(Static):
            set_text(message, text or "")
            message.set_class(error, "-error")
