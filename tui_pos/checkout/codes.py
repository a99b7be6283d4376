"""Which typed or scanned codes, and how many of one, may be sent to Afosto."""

from __future__ import annotations

import re

from tui_pos.checkout.errors import NotAllowed
from tui_pos.gtin import Verdict, classify

MAX_CODE_LENGTH = 64
MAX_QUANTITY = 999
"""The most of one code on a sale: a count scanned with a code (``3*code``) is 1 to
this, a quantity set on a line 0 (which voids it) to this."""
_PRINTABLE = re.compile(r"[!-~]+")


def check_code(code: str) -> None:
    """Refuse a code that cannot be a SKU: empty, too long, not printable ASCII, or a
    GTIN with a wrong check digit (a misread; never sent to the API)."""
    if not code:
        raise NotAllowed("Empty code. Scan again.")
    if len(code) > MAX_CODE_LENGTH:
        raise NotAllowed(f"That code is too long (over {MAX_CODE_LENGTH} characters).")
    if not _PRINTABLE.fullmatch(code):
        raise NotAllowed("That code has characters no barcode has. Scan or type it again.")
    if classify(code) is Verdict.BAD_CHECK_DIGIT:
        raise NotAllowed(f"{code} has a wrong check digit: it was misread. Scan again.")


def check_count(code: str, count: int, have: int) -> None:
    """Refuse a count scanned with ``code`` outside 1 to :data:`MAX_QUANTITY`, or one
    that would take its line (``have`` now) beyond it."""
    if not 1 <= count <= MAX_QUANTITY:
        raise NotAllowed(f"Not added: a count is from 1 to {MAX_QUANTITY}, like 3*{code}.")
    if have + count > MAX_QUANTITY:
        raise NotAllowed(
            f"Not added: at most {MAX_QUANTITY} of {code} on one sale, and it has {have}."
        )


def check_quantity(quantity: int) -> None:
    """Refuse a quantity set on a line outside 0 (which voids it) to :data:`MAX_QUANTITY`."""
    if not 0 <= quantity <= MAX_QUANTITY:
        raise NotAllowed(f"Not changed: a quantity is from 0 to {MAX_QUANTITY}; 0 voids the line.")
