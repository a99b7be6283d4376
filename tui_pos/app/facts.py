"""What the screens show besides the sale: the till's connections and settings."""

from __future__ import annotations

from dataclasses import dataclass

from tui_pos.money import DEFAULT_LOCALE, Locale


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
