"""Blanking the API token out of text: the log's lines and everything on the screen.

No pydantic here: the screens import it before their first paint."""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"
BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")

_USED: set[str] = set()
"""Every token this process has read (its first, and each one read again after a 401)."""


def remember_secret(secret: str) -> None:
    """Blank this one everywhere from now on: in the log and on every screen."""
    if secret:
        _USED.add(secret)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each secret (and each token the process has used), and whatever
    follows ``Bearer``, replaced."""
    for secret in sorted({*filter(None, secrets), *_USED}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return BEARER.sub(r"\1" + REDACTED, text)
