"""Every place the till changes Textual's own behaviour, and why; nowhere else does.

Each fix names what it fixes and what showed the need. ``tests/app/test_textual_fixes.py``
checks each one against the installed Textual: it fails when an upgrade makes a fix
wrong (what it hooks moved) or needless (Textual does it by itself). Textual is pinned
below its next major version in ``pyproject.toml``; the README says how to move the pin.
"""

from __future__ import annotations

import codecs
import functools
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.timer import Timer
from textual.widgets import Input

# --- 1. the keyboard's bytes ---


def _lenient_decoder(encoding: str) -> functools.partial[codecs.IncrementalDecoder]:
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")


def tolerate_stray_bytes() -> None:
    """Decode what the terminal sends with replacement characters instead of strictly.

    Textual's Linux driver decodes the keyboard's bytes as strict UTF-8 on its input
    thread, so one byte that is not UTF-8 (line noise, a wedge scanner in another code
    page, a remote session in Latin-1) killed the thread and the till with it: found by
    the chaos tests' garbage input (Textualize/textual#6456). A U+FFFD typed into the
    entry field is refused like any character no barcode has."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # no termios: not a Linux console
        return
    linux_driver.getincrementaldecoder = _lenient_decoder  # type: ignore[assignment,attr-defined]


# --- 2. scrollbars the console font can draw ---


class BlockScrollBarRender(ScrollBarRender):
    """A scrollbar drawn with spaces only: Textual's default draws eighth blocks, which
    the Linux console font lacks (the glyph test found them on the support screen)."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def use_block_scrollbars() -> None:
    """Every scrollbar of the process (Textual offers no per-app renderer)."""
    ScrollBar.renderer = BlockScrollBarRender


# --- 3. an input field that repaints its text only ---


class Field(Input):
    """An ``Input`` that does not blink (no timer wakes the till while it waits) and,
    inside :meth:`text_only`, repaints its line of text instead of itself whole.

    An Input refreshes itself whole (its border too) on every change, and lays the screen
    out again: it sets its virtual size, a layout property, on every change of the value.
    The bench measured that layout on every key of a scan (several ms each, tens on a
    till). Its height is fixed and its width too, so no layout is needed for a value."""

    cursor_blink = reactive(False, init=False)

    class TakeBack(Message):
        """The field's last keys were a scanner's burst, taken as a scan: remove them."""

        def __init__(self, code: str) -> None:
            super().__init__()
            self.code = code

    def on_field_take_back(self, message: TakeBack) -> None:
        """Remove the burst's keys: the end of the value that the code starts with (all
        of the code, or what of it went in before a ``max_length`` stopped the rest)."""
        value, code = self.value, message.code
        for start in range(max(len(value) - len(code), 0), len(value)):
            if code.startswith(value[start:]):
                self.value = value[:start]
                return

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._text_only = False  # before Input's __init__, which refreshes
        self._text_changed = False
        self._held: Timer | None = None
        super().__init__(*args, **kwargs)

    @contextmanager
    def text_only(self, hold: float = 0.0) -> Iterator[None]:
        """Changes of the value, the cursor or the selection in here repaint the text.

        With a ``hold``, the text is painted once no change has come for that many
        seconds, or with the next change made without one. A wedge scanner's burst is
        then painted once, with its line: painted as it came, the burst's first keys
        would start Textual's frame timer, and the line would wait a frame or two for
        its next beat (the reader thread hands the keys over a few at a time)."""
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


# --- 4. Enter and pasted lines in order with the keys before them ---


class LineField(Field):
    """A field that hands each line over as it is completed, in order with the keys.

    Input submits on Enter through a key binding, and Textual runs bindings after the
    keys already queued: a scanner typing two codes in one burst had them run together
    (the wedge tests). Input's paste takes the first line of a paste and drops the rest;
    here each pasted line is handed over as if it ended with Enter. Typed text is painted
    once the keys pause for ``hold`` seconds (see :meth:`Field.text_only`)."""

    hold: ClassVar[float] = 0.0

    def line_entered(self, text: str) -> None:
        """A completed line (the field is empty again); subclasses take it."""

    def enter_line(self, text: str) -> None:
        """Clear the field and hand ``text`` over at once (not through a message), so
        that the cleared field and what the line does are painted in one frame."""
        with self.text_only():
            self.value = ""
        self.line_entered(text)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.enter_line(self.value)
            return
        with self.text_only(hold=self.hold):
            await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # else Input's own handler inserts the first line again
        lines = event.text.splitlines()
        if not lines or lines == [event.text]:  # no line break: it goes into the field
            self.insert_text_at_cursor(event.text)
            return
        self.enter_line(self.value + lines[0])
        for line in lines[1:]:
            self.enter_line(line)


# --- 5. every key, before the focused widget sees it ---


HOLD_KEYS = 64
"""Keys held for a screen that is not up yet; more than that are dropped (a stuck key)."""

HOLD_TIME = 1.0
"""Seconds at most that keys wait for a screen to come up (one popped before it ever
did): then they go to the screen on top."""


class KeyTapApp(App[None]):
    """An app that sees every key first (:meth:`tap_key`), before the focused widget.

    A keyboard-wedge scanner types into whatever has the focus; only the timing of the
    keys tells a burst from a person, and by the Enter that ends it the keys are in a
    field (the wedge tests). Textual has no public hook ahead of the focused widget:
    ``App.on_event`` is where its own key handling starts. A key still on its way while
    the app closes has no screen to go to: dropped (a crash at exit in the chaos tests).

    Keys typed fast go to the screen on top when each is taken, not when it is made.
    Textual hands a key to the focused widget at once and runs a screen's bindings when
    the key comes back up: the keys behind ``o`` on the day's page were already on the
    page when its binding pushed the cash-out dialog, and were lost (the tmux day test
    under load). A key that comes back from a screen no longer on top goes to the one
    that is (:meth:`pass_on`); a key for a screen still being built is held, in order,
    until it is up. Their own times still tell a burst."""

    last_key: float = float("-inf")
    """When the newest key was made (its event's ``time``), whoever took it: a question
    asked on screen tells a person's answer from a key of a burst by it."""

    _held: list[tuple[events.Key, bool]] | None = None
    """Keys waiting for the screen on top to come up, each with whether it is passed on."""
    _holds = 0
    """Which hold is on; a timer of an earlier one does not release a later one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sent: deque[tuple[events.Key, Screen[Any]]] = deque(maxlen=HOLD_KEYS)
        """The latest keys and the screen on top when each was taken."""

    def tap_key(self, event: events.Key) -> bool:
        """A key as it comes; ``True`` when it was taken and goes no further."""
        return False

    def pass_on(self, event: events.Key) -> bool:
        """A key passed on to a new screen on top (:meth:`tap_key` saw it already)."""
        return False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not self.screen_stack:
                return
            if event.is_forwarded:  # back from the screen: its bindings run now
                passed = self._passed_on(event)
                if passed is None:
                    await super().on_event(event)
                else:
                    await self._take_or_hold(passed, passed_on=True)
                return
            await self._take_or_hold(event, passed_on=False)
            return
        await super().on_event(event)

    def _passed_on(self, event: events.Key) -> events.Key | None:
        """The same key, new, when it comes back from a screen no longer on top."""
        sent = next((screen for key, screen in self._sent if key is event), None)
        if sent is None or sent is self.screen:
            return None
        fresh = events.Key(event.key, event.character)
        fresh.time = event.time
        return fresh

    async def _take_or_hold(self, event: events.Key, *, passed_on: bool) -> None:
        if self._held is not None or not self.screen.is_mounted:
            self._hold(event, passed_on)
            return
        await self._take_key(event, passed_on)

    async def _take_key(self, event: events.Key, passed_on: bool) -> None:
        self.last_key = max(self.last_key, event.time)
        if (self.pass_on if passed_on else self.tap_key)(event):
            return
        self._sent.append((event, self.screen))
        await super().on_event(event)

    def _hold(self, event: events.Key, passed_on: bool) -> None:
        if self._held is None:
            self._held = []
            self._holds += 1
            self.set_timer(HOLD_TIME, functools.partial(self._release_held, self._holds))
            self._release_when_up()
        if len(self._held) < HOLD_KEYS:
            self._held.append((event, passed_on))

    def _release_when_up(self) -> None:
        """Posted to the screen before it is up: it runs once the screen has mounted
        (and its field took the focus), and hands the keys back to the app's own queue,
        behind whatever came meanwhile (held too)."""
        self.screen.call_later(self.call_later, functools.partial(self._release_held, self._holds))

    async def _release_held(self, hold: int) -> None:
        if hold != self._holds or self._held is None:
            return
        while self._held:  # keys that come while these are taken are held behind them
            if not self.screen.is_mounted:  # a held key pushed a screen: wait for it too
                self._release_when_up()
                return
            await self._take_key(*self._held.pop(0))
        self._held = None
