"""GS1 check digits: EAN-8, UPC-E, UPC-A, EAN-13 and GTIN-14.

Every format ends in a mod-10 check digit over weights 3, 1, 3, ... counted from the
digit left of it. An 8-digit code is EAN-8 or UPC-E; UPC-E is checked by expanding it
to the UPC-A code it abbreviates.
"""

from __future__ import annotations

from enum import Enum

GTIN_LENGTHS = frozenset({8, 12, 13, 14})


class Verdict(Enum):
    """What a scanned code is, as far as check digits go."""

    VALID = "a GTIN with a valid check digit"
    BAD_CHECK_DIGIT = "a GTIN-length number with a wrong check digit"
    OTHER = "not a GTIN (e.g. a Code 128 SKU)"


def check_digit(body: str) -> str:
    """The GS1 check digit for ``body`` (the code without its last digit)."""
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(body)))
    return str(-total % 10)


def _has_check_digit(code: str) -> bool:
    return check_digit(code[:-1]) == code[-1]


def upce_to_upca(code: str) -> str:
    """The 12-digit UPC-A code that the 8-digit UPC-E ``code`` abbreviates.

    Raises ``ValueError`` unless ``code`` is 8 digits with number system 0 or 1.
    """
    if not (len(code) == 8 and code.isdigit() and code[0] in "01"):
        raise ValueError(f"not a UPC-E code: {code!r}")
    system, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        middle = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        middle = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        middle = d[0:4] + "00000" + d[4]
    else:
        middle = d[0:5] + "0000" + last
    return system + middle + check


def _gtin_shaped(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) in GTIN_LENGTHS


def is_valid_gtin(code: str) -> bool:
    """Whether ``code`` is an EAN-8, UPC-E, UPC-A, EAN-13 or GTIN-14 with a valid check digit."""
    if not _gtin_shaped(code):
        return False
    if _has_check_digit(code):
        return True
    return len(code) == 8 and code[0] in "01" and _has_check_digit(upce_to_upca(code))


def classify(code: str) -> Verdict:
    """Whether a scanned code may be used: all-digit codes of GTIN length must check out."""
    if not _gtin_shaped(code):
        return Verdict.OTHER
    return Verdict.VALID if is_valid_gtin(code) else Verdict.BAD_CHECK_DIGIT
