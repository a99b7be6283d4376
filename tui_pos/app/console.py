"""Fitting the Linux text console: its font has ~500 glyphs and no eighth blocks."""

from __future__ import annotations

import codecs
import functools
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


def _lenient_decoder(encoding: str) -> functools.partial[codecs.IncrementalDecoder]:
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")


def tolerate_stray_bytes() -> None:
    """Decode what the terminal sends with replacement characters instead of strictly.

    Textual's input thread decodes the keyboard's bytes as strict UTF-8, so one byte that
    is not UTF-8 (line noise, a wedge scanner in another code page, a remote session in
    Latin-1) kills the thread and the till with it (Textualize/textual#6456). A U+FFFD
    typed into the entry field is refused like any character no barcode has."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # no termios: not a Linux console
        return
    linux_driver.getincrementaldecoder = _lenient_decoder  # type: ignore[assignment,attr-defined]
