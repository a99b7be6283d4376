"""Money for people: integer cents shown per locale, and amounts typed the way cashiers say them."""

from __future__ import annotations

import re
from typing import Literal

Locale = Literal["nl", "en"]
DEFAULT_LOCALE: Locale = "nl"

_TYPED = re.compile(r"(?P<units>[0-9]{1,6})(?:[.,](?P<cents>[0-9]{1,2}))?")


def format_money(cents: int, locale: Locale = "nl") -> str:
    """``14994`` as ``€ 149,94`` (nl) or ``€149.94`` (en), with thousands grouped."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}"
    if locale == "nl":
        return f"€ {sign}{grouped.replace(',', '.')},{rest:02d}"
    return f"{sign}€{grouped}.{rest:02d}"


def typed_amount(cents: int, locale: Locale = "nl") -> str:
    """``14994`` as a cashier types it: ``149,94`` (nl) or ``149.94`` (en)."""
    separator = "," if locale == "nl" else "."
    return f"{cents // 100}{separator}{cents % 100:02d}"


def parse_amount(text: str) -> int | None:
    """Cents from what a cashier types: ``50`` is € 50,00; ``50,25`` and ``50.25`` both work.

    Returns ``None`` for anything else (two separators, three decimals, letters)."""
    match = _TYPED.fullmatch(text.strip())
    if match is None:
        return None
    cents = match["cents"] or "0"
    return int(match["units"]) * 100 + int(cents.ljust(2, "0"))
