"""The status line: who is signed in, is Afosto reachable, the scanner, the terminal,
the printer."""

from __future__ import annotations

from textual import events
from textual.widgets import Static

from tui_pos.app.facts import TillFacts
from tui_pos.app.widgets.text import set_text

API = {True: "Afosto ok", False: "Afosto: NO CONNECTION", None: "Afosto: not asked yet"}
NO_TERMINAL_YET = "Terminal: not known yet"
SEPARATOR = " | "


class StatusLine(Static):
    """One line of facts a cashier or support engineer glances at (the order number is
    in the title); what is not known yet says so. Facts that do not fit on one line
    (a printer's problem besides a long terminal name) go on the next whole, never
    broken in the middle ("Printer:" at the end of one line, "out of paper" below)."""

    _parts: tuple[str, ...] = ()

    def show(self, facts: TillFacts) -> None:
        parts = [API[facts.api], facts.scanner, facts.terminal or NO_TERMINAL_YET]
        if facts.printer is not None:
            parts.append(facts.printer)
        if facts.cashier is not None:
            parts.insert(0, facts.cashier)
        if facts.demo:
            parts.insert(0, "TRAINING")
        self._parts = tuple(parts)
        self._lay_out()
        self.set_class(facts.api is False, "-offline")

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.content_size.width
        if width <= 0:  # not laid out yet: one line, laid out again once it is
            set_text(self, SEPARATOR.join(self._parts))
            return
        lines: list[str] = []
        for part in self._parts:
            joined = f"{lines[-1]}{SEPARATOR}{part}" if lines else part
            if lines and len(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(part)
        set_text(self, "\n".join(lines))
