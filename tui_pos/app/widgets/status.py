"""The status line: is Afosto reachable, the scanner, the terminal, the printer."""

from __future__ import annotations

from textual.widgets import Static

from tui_pos.app.facts import TillFacts
from tui_pos.app.widgets.text import set_text

API = {True: "Afosto ok", False: "Afosto: NO CONNECTION", None: "Afosto: not asked yet"}
NO_TERMINAL_YET = "Terminal: not known yet"


class StatusLine(Static):
    """One line of facts a cashier or support engineer glances at (the order number is
    in the title); what is not known yet says so."""

    def show(self, facts: TillFacts) -> None:
        parts = [API[facts.api], facts.scanner, facts.terminal or NO_TERMINAL_YET]
        if facts.printer is not None:
            parts.append(facts.printer)
        if facts.demo:
            parts.insert(0, "TRAINING")
        set_text(self, " | ".join(parts))
        self.set_class(facts.api is False, "-offline")
