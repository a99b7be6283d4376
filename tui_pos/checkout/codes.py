"""Which typed or scanned codes, and how many of one, may be sent to Afosto."""

from __future__ import annotations

import re

from tui_pos.checkout.errors import NotAllowed
from tui_pos.gtin import Verdict, classify

MAX_CODE_LENGTH = 64
MAX_QUANTITY = 999
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
