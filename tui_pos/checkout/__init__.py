"""The sale engine and its crash-safe journal. Drives the Afosto client; no Textual here."""

from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import Journal, JournalError, SaleStatus
from tui_pos.checkout.sale import Sale
from tui_pos.checkout.settings import EngineSettings
from tui_pos.checkout.till import Till
from tui_pos.checkout.view import Line, PaymentLine, Phase, SaleView, TerminalState

__all__ = [
    "EngineSettings",
    "Journal",
    "JournalError",
    "Line",
    "NotAllowed",
    "PaymentLine",
    "Phase",
    "Sale",
    "SaleStatus",
    "SaleView",
    "TerminalState",
    "Till",
]
