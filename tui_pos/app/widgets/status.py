"""The status line: is Afosto reachable, the scanner, the terminal, the order."""

from __future__ import annotations

from textual.widgets import Static


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
        self.update(" | ".join(parts))
        self.set_class(api is False, "-offline")
