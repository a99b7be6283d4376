"""A text field that does not blink: no timer wakes the till while it waits."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class Field(Input):
    cursor_blink = reactive(False, init=False)
