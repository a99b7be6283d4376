"""What the cashier types: a code, or ``3*CODE`` for three of it, and whole numbers.

Numbers are ASCII digits only (``str.isdigit`` also takes ``²`` and ``٣``, which ``int``
refuses) and bounded in length before ``int`` sees them (it refuses 4,300 digits and
more)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Any count is taken as one, so that ``1000*code`` and ``0*code`` are refused by the
# engine as counts (it allows 1 to 999), not sent to Afosto as the code "1000*code".
_ENTRY = re.compile(r"(?:(?P<quantity>[0-9]+)\s*\*\s*)?(?P<code>\S+)")
_COUNT_ONLY = re.compile(r"[0-9]+\s*\*")


MAX_DIGITS = 6
"""The longest number a cashier types: a count far beyond any shop's, for the engine
to refuse in words. A longer count (past its leading zeros) is taken as
``10**MAX_DIGITS``, beyond any the engine takes."""


def parse_count(text: str, maximum: int) -> int | None:
    """A whole number from 0 to ``maximum`` as typed; ``None`` for anything else."""
    text = text.strip()
    if not 0 < len(text) <= MAX_DIGITS or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= maximum else None


@dataclass(frozen=True)
class Entry:
    code: str
    quantity: int = 1


def parse_entry(text: str) -> Entry | None:
    """``"3*8710398503962"`` as three of that code; ``None`` for an empty or odd entry.

    The code and the count are checked by the engine (printable, check digit; 1 to 999),
    which says what is wrong with them."""
    match = _ENTRY.fullmatch(text.strip())
    if match is None or _COUNT_ONLY.fullmatch(text.strip()):  # "3*": the code is missing
        return None
    digits = match["quantity"]
    if digits is None:
        return Entry(match["code"])
    digits = digits.lstrip("0") or "0"
    quantity = int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS
    return Entry(match["code"], quantity)
