"""The training till's receipt printer: what it printed, on the screen, as rendered
from the very ESC/POS bytes a shop's printer would get."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_pos.system.redact import redact

if TYPE_CHECKING:
    from tui_pos.printer.render import Printed


class Paper(VerticalScroll):
    """The printouts of the sale on screen, newest at the bottom, shown from its top
    line; the result screen scrolls it with PgUp and PgDn (there is no mouse)."""

    can_focus = False
    BORDER_TITLE = "Printer (training)"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Printed, ...] = ()

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="paper-text")

    def show(self, printouts: tuple[Printed, ...], columns: int) -> None:
        """The printouts, scrolled to the newest one's first line (or the drawer kick's
        just before it) when it is new."""
        if printouts == self._shown:
            return  # the cashier may have scrolled: leave it where it is
        self._shown = printouts
        text, lines, newest = Text(), 0, 0
        for index, printed in enumerate(printouts):
            if index == 0 or not _kick_only(printouts[index - 1]):
                newest = lines  # a drawer kick is shown with the receipt after it
            lines += len(printed.lines)
            for line, plain in zip(printed.lines, printed.plain(columns), strict=True):
                style = ("bold " if line.bold or line.double_width else "") + (
                    "underline" if line.underline else ""
                )
                if line.kind != "text":
                    style = "italic"
                text.append(redact(plain), style=style.strip() or None)
                text.append("\n")
        self.query_one("#paper-text", Static).update(text)
        self.call_after_refresh(self.scroll_to, y=newest, animate=False)


def _kick_only(printed: Printed) -> bool:
    return bool(printed.drawer_kicks) and not printed.cuts
