"""Blanking the API token out of text: the log's lines and everything on the screen.

No pydantic here: the screens import it before their first paint."""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"
BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")

MIN_SECRET = 8
"""Shorter strings are no API tokens, and blanking them would blank words."""

_USED: set[str] = set()
"""Every token this process has read (its first, and each one read again after a 401)."""


def remember_secret(secret: str) -> None:
    """Blank this one everywhere from now on: in the log and on every screen."""
    if len(secret) >= MIN_SECRET:
        _USED.add(secret)


def forget_secrets() -> None:
    """Start again with none remembered (for tests, which read many tokens)."""
    _USED.clear()


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each secret (and each token the process has used), and whatever
    follows ``Bearer``, replaced."""
    known = sorted({*filter(None, secrets), *_USED}, key=len, reverse=True)
    if known:  # in one pass: a secret inside "[redacted]" cannot garble it
        text = re.sub("|".join(map(re.escape, known)), REDACTED, text)
    return BEARER.sub(r"\1" + REDACTED, text)
