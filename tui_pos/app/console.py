"""Key names the Linux console font can draw: plain letters, no arrows-and-symbols keys."""

from __future__ import annotations

KEY_NAMES = {"enter": "Enter", "escape": "Esc", "delete": "Del", "up": "Up", "down": "Down"}


def key_name(key: str) -> str:
    """``ctrl+s`` as ``Ctrl+S``, ``f9`` as ``F9``, ``enter`` as ``Enter``; of ``n,N`` the
    first."""
    first = key.split(",")[0]
    *modifiers, name = first.split("+")
    shown = KEY_NAMES.get(name, name.upper() if len(name) <= 3 else name.capitalize())
    return "+".join([*(m.capitalize() for m in modifiers), shown])


def either_case(key: str) -> str:
    """A letter key's binding for both cases (``n`` as ``n,N``): Shift+N is N too."""
    return f"{key},{key.upper()}" if len(key) == 1 and key.isalpha() else key
