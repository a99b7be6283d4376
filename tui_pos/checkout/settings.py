"""The engine's own knobs, separate from how the app reads its configuration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_pos.money import DEFAULT_LOCALE, Locale

if TYPE_CHECKING:
    from pydantic import SecretStr


@dataclass(frozen=True)
class EngineSettings:
    """What the checkout engine needs to know about its shop and its patience."""

    channel_id: str
    currency: str = "EUR"
    terminal_id: str | None = None
    drawer_id: str | None = None
    locale: Locale = DEFAULT_LOCALE
    invoice_poll: float = 0.25
    """Seconds between reads of the order while waiting for the invoice action."""
    invoice_timeout: float = 15.0
    """After this, the sale ends as "paid, invoice pending" and the outbox takes over."""
    batch_quiet: float = 0.3
    """Scans are sent to Afosto once none has come for this long (a burst of scans goes
    in one call; each line shows at once all the same). 0 sends every scan at once."""
    batch_max: float = 2.0
    """…but no scan waits longer than this to be sent, however fast the scans come."""
    page_poll: float = 1.5
    """Seconds between reads of a page payment while the customer pays on the page."""
    retry_interval: float = 1.0
    """First wait before trying an unreachable API again (doubles up to 8x)."""
    read_attempts: int = 5
    """Reads of the order or payment before an unknown outcome is left for later."""
    outbox_interval: float = 5.0
    token_source: Callable[[], SecretStr] | None = None
    """Reads the token again after a 401 (a rotated ``api_token_file``)."""
    customer_card_pattern: str | None = None
    """A regular expression a whole customer card's code matches, checked before a scan
    is taken for a product (``None``: no customer cards)."""
