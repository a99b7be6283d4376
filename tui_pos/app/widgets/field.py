"""A text field that does not blink, and repaints only its text as it is typed in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.geometry import Region
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input


class Field(Input):
    """No timer wakes the till while it waits (no blinking cursor)."""

    cursor_blink = reactive(False, init=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._text_only = False  # before Input's __init__, which refreshes
        self._text_changed = False
        self._held: Timer | None = None
        super().__init__(*args, **kwargs)

    @contextmanager
    def text_only(self, hold: float = 0.0) -> Iterator[None]:
        """Changes of the value, the cursor or the selection in here repaint the line of
        text only. An Input repaints itself whole (its border too) on every change, and
        lays the screen out again: it sets its virtual size, a layout property, to its
        content width on every change of the value (its height is fixed, its width too:
        no layout is needed for a new value).

        With a ``hold``, the text is painted once no change has come for that many
        seconds, or with the next change made without one. A wedge scanner's burst is
        then painted once, with its line. Painted as it came, the burst's first keys
        would start Textual's frame timer, and the line would wait a frame or two for
        its next beat: the reader thread hands the keys over a few at a time."""
        self._text_only = True
        try:
            yield
        finally:
            self._text_only = False
        if self._held is not None:
            self._held.stop()
            self._held = None
        if self._text_changed and hold:
            self._held = self.set_timer(hold, self._paint_held)
        elif self._text_changed:
            self._paint_text()

    def _paint_held(self) -> None:
        self._held = None
        self._paint_text()

    def _paint_text(self) -> None:
        self._text_changed = False
        self.refresh(Region(0, 0, *self.content_size))

    def refresh(self, *regions: Any, **kwargs: Any) -> Any:
        if self._text_only and not regions and not kwargs.get("recompose"):
            self._text_changed = True
            return self
        return super().refresh(*regions, **kwargs)
