"""Fitting the Linux text console: its font has ~500 glyphs and no eighth blocks."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBarRender

KEY_NAMES = {"enter": "Enter", "escape": "Esc", "delete": "Del", "up": "Up", "down": "Down"}


class BlockScrollBarRender(ScrollBarRender):
    """A scrollbar drawn with spaces only; Textual's default uses eighth blocks."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def key_name(key: str) -> str:
    """``ctrl+s`` as ``Ctrl+S``, ``f9`` as ``F9``, ``enter`` as ``Enter``."""
    first = key.split(",")[0]
    *modifiers, name = first.split("+")
    shown = KEY_NAMES.get(name, name.upper() if len(name) <= 3 else name.capitalize())
    return "+".join([*(m.capitalize() for m in modifiers), shown])
