"""Messages the till's parts send the app."""

from __future__ import annotations

from textual.message import Message

from tui_pos.checkout import SaleView


class BarcodeScanned(Message):
    """A code from the scanner (posted from its reader thread) or a wedge burst."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class ScannerChanged(Message):
    """The scanner's state in cashier words (connected, unplugged, no permission)."""

    def __init__(self, state: str | None, problem: str | None = None) -> None:
        super().__init__()
        self.state = state
        self.problem = problem


class SaleChanged(Message):
    """The sale published a new view."""

    def __init__(self, view: SaleView) -> None:
        super().__init__()
        self.view = view
