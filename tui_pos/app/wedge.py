"""Telling a keyboard-wedge scanner from a person typing, by the time between keys.

A scanner that types into the terminal (over SSH, or without evdev access) sends a
code as a fast burst ending in Enter; people type far slower than a key per 30 ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_GAP = 0.03
"""Seconds between two keys of one burst."""

MIN_LENGTH = 6
"""Shorter bursts are typing (a fast "50" + Enter must stay an amount)."""


@dataclass
class BurstDetector:
    """Feed it every key with its time; it returns the code when Enter ends a burst."""

    max_gap: float = MAX_GAP
    min_length: int = MIN_LENGTH
    _chars: list[str] = field(default_factory=list)
    _last: float = float("-inf")

    def feed(self, character: str | None, key: str, when: float) -> str | None:
        fast = when - self._last <= self.max_gap
        self._last = when
        if key == "enter":
            code = "".join(self._chars) if fast else ""
            self._chars.clear()
            return code if len(code) >= self.min_length else None
        if character is None or not character.isprintable() or len(character) != 1:
            self._chars.clear()
            return None
        if not fast:
            self._chars.clear()
        self._chars.append(character)
        return None
