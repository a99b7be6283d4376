"""What the screens show besides the sale: the till's connections and settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_pos.money import DEFAULT_LOCALE, Locale

if TYPE_CHECKING:
    from tui_pos.printer.render import Printed


@dataclass(frozen=True)
class TillFacts:
    """The status line's facts and how money is shown; the app publishes a new one
    whenever one of them changes."""

    locale: Locale = DEFAULT_LOCALE
    api: bool | None = None
    """Afosto answered the last request (``None``: not asked yet)."""
    scanner: str = "No USB scanner"
    terminal: str | None = None
    """The terminal the next card payment goes to, and whether it is online (``None``:
    not known until the sale's first answer from Afosto)."""
    demo: bool = False
    note: str | None = None
    """What the till just did at the cashier's word ("Voided: ..."), until the next."""
    printing: bool = False
    """A receipt printer is set up (the print keys work)."""
    printer: str | None = None
    """What is wrong with the printer ("Printer: out of paper"); ``None``: nothing."""
    receipt_ask: bool = False
    """Receipts print only when the cashier asks (``printer.receipt = ask``)."""
    paper: tuple[Printed, ...] = ()
    """What the training till's printer printed for this sale, to show on screen."""
    paper_columns: int = 42
    cashier: str | None = None
    """Who is signed in ("Anna (12)"); ``None``: nobody, or a till without cashiers."""
