"""Updating text without repainting what did not change; counts in words."""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Static

from tui_pos.system.redact import redact


def count_of(count: int, noun: str) -> str:
    """``1 item``, ``3 items``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def set_text(widget: Static, text: str, *, layout: bool = True) -> None:
    """Show ``text`` in ``widget``, unless it shows it already.

    Every ``Static.update`` repaints the widget, and by default lays the whole screen out
    again; a sale publishes a view many times while its texts rarely change. ``layout``
    may be ``False`` for a widget whose size does not depend on its text. Whatever it
    shows passes the log's redactor (no token on any screen) and is shown as plain
    text: a ``[`` in a code or in Afosto's text is no markup, and cannot break the
    screen."""
    text = escape(redact(text))
    if widget.content != text:
        widget.update(text, layout=layout)
