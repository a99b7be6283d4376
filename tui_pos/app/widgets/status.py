"""The status line: is Afosto reachable, the scanner, the terminal, the order."""

from __future__ import annotations

from textual.widgets import Static

from tui_pos.app.widgets.text import set_text


class StatusLine(Static):
    """One line of facts a cashier or support engineer glances at (the order number is
    in the title)."""

    def show(
        self,
        *,
        api: bool | None,
        scanner: str,
        terminal: str,
        demo: bool,
    ) -> None:
        api_text = {True: "Afosto ok", False: "Afosto: NO CONNECTION", None: "Afosto -"}[api]
        parts = [api_text, scanner, terminal]
        if demo:
            parts.insert(0, "TRAINING")
        set_text(self, " | ".join(parts), layout=False)  # one line, whatever it says
        self.set_class(api is False, "-offline")
