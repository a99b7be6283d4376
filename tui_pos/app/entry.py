"""What the cashier types in the entry field: a code, or ``3*CODE`` for three of it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Any count is taken as one, so that ``1000*code`` is refused as a count (the engine allows
# 1 to 999), not sent to Afosto as the code "1000*code".
_ENTRY = re.compile(r"(?:(?P<quantity>[0-9]+)\s*[*xX]\s*)?(?P<code>\S+)")
_COUNT_ONLY = re.compile(r"[0-9]+\s*\*")


@dataclass(frozen=True)
class Entry:
    code: str
    quantity: int = 1


def parse_entry(text: str) -> Entry | None:
    """``"3*8710398503962"`` as three of that code; ``None`` for an empty or odd entry.

    The code itself is checked by the engine (printable, check digit)."""
    match = _ENTRY.fullmatch(text.strip())
    if match is None or _COUNT_ONLY.fullmatch(text.strip()):  # "3*": the code is missing
        return None
    quantity = int(match["quantity"]) if match["quantity"] else 1
    return Entry(match["code"], quantity) if quantity else None
