"""The sale engine and its crash-safe journal. Drives the Afosto client; no Textual here.

Each name is loaded on first use: the sale's view, the journal and the settings come
without the API client (httpx, the pydantic models), so a screen can show an empty sale
before the engine is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui_pos.checkout.customer import CustomerSearch
    from tui_pos.checkout.day import DayBook
    from tui_pos.checkout.errors import NotAllowed
    from tui_pos.checkout.journal import Journal, JournalError, SaleStatus
    from tui_pos.checkout.sale import Sale
    from tui_pos.checkout.settings import EngineSettings
    from tui_pos.checkout.till import Till
    from tui_pos.checkout.view import (
        Customer,
        Line,
        PageMethod,
        PageState,
        PageView,
        PaymentLine,
        Phase,
        SaleView,
        TerminalState,
    )

_MODULES = {
    "Customer": "view",
    "CustomerSearch": "customer",
    "DayBook": "day",
    "EngineSettings": "settings",
    "Journal": "journal",
    "JournalError": "journal",
    "Line": "view",
    "NotAllowed": "errors",
    "PageMethod": "view",
    "PageState": "view",
    "PageView": "view",
    "PaymentLine": "view",
    "Phase": "view",
    "Sale": "sale",
    "SaleStatus": "journal",
    "SaleView": "view",
    "TerminalState": "view",
    "Till": "till",
}

__all__ = [
    "Customer",
    "CustomerSearch",
    "DayBook",
    "EngineSettings",
    "Journal",
    "JournalError",
    "Line",
    "NotAllowed",
    "PageMethod",
    "PageState",
    "PageView",
    "PaymentLine",
    "Phase",
    "Sale",
    "SaleStatus",
    "SaleView",
    "TerminalState",
    "Till",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
