"""Turns a keyboard-wedge scanner's key events into scanned codes.

A scanner types a code and presses a terminator key. The :class:`Decoder` collects the
characters (US layout) and gives a :class:`Scan` when the terminator arrives, or a
:class:`ScanError` as soon as the code cannot be trusted; it then ignores the rest of that
code up to its terminator, so a fragment is never taken for a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from evdev import InputEvent, KeyEvent, ecodes

from tui_pos.config import ConfigError, ScannerSettings
from tui_pos.gtin import Verdict, classify
from tui_pos.scanner.keymap import SHIFT_KEYS, US_LAYOUT


class ScanProblem(StrEnum):
    """Why a scan was refused; the value is the text for the cashier."""

    INTERRUPTED = "Scan interrupted, please scan again"
    UNKNOWN_KEY = "Scanner sent an unexpected key, please scan again"
    TOO_LONG = "Code too long, please scan again"
    BAD_CHECK_DIGIT = "Bad check digit, please scan again"


@dataclass(frozen=True)
class Scan:
    """A complete code, prefix and suffix removed; GTINs have a valid check digit."""

    code: str


@dataclass(frozen=True)
class ScanError:
    """A scan that was discarded."""

    problem: ScanProblem


ScanResult: TypeAlias = Scan | ScanError


def key_codes(names: list[str]) -> frozenset[int]:
    """The evdev key codes for names like ``KEY_ENTER``; ``ConfigError`` names a wrong one."""
    codes = set()
    for name in names:
        if not name.startswith("KEY_") or name not in ecodes.ecodes:
            raise ConfigError(f"scanner.terminators: {name!r} is not an evdev key name")
        codes.add(ecodes.ecodes[name])
    return frozenset(codes)


class Decoder:
    """Collects one scanner's key presses into codes; pure, fed one event at a time."""

    def __init__(self, settings: ScannerSettings) -> None:
        self._terminators = key_codes(settings.terminators)
        self._prefix = settings.prefix
        self._suffix = settings.suffix
        self._limit = settings.max_length + len(settings.prefix) + len(settings.suffix)
        self._chars: list[str] = []
        self._shift: set[int] = set()
        self._discarding = False

    def reset(self) -> None:
        """Forget a partly typed code and the Shift state, e.g. when the device went away."""
        self._chars.clear()
        self._shift.clear()
        self._discarding = False

    def feed(self, event: InputEvent) -> ScanResult | None:
        """Take one event; a result when a code is complete or has to be discarded."""
        if event.type == ecodes.EV_SYN and event.code == ecodes.SYN_DROPPED:
            self._shift.clear()  # the kernel lost events, Shift releases among them perhaps
            return self._fail(ScanProblem.INTERRUPTED)
        if event.type != ecodes.EV_KEY or event.value == KeyEvent.key_hold:
            return None
        if event.code in SHIFT_KEYS:
            if event.value == KeyEvent.key_down:
                self._shift.add(event.code)
            else:
                self._shift.discard(event.code)
            return None
        if event.value != KeyEvent.key_down:
            return None
        if event.code in self._terminators:
            return self._finish()
        if self._discarding:
            return None
        chars = US_LAYOUT.get(event.code)
        if chars is None:
            return self._fail(ScanProblem.UNKNOWN_KEY)
        if len(self._chars) == self._limit:
            return self._fail(ScanProblem.TOO_LONG)
        self._chars.append(chars[1] if self._shift else chars[0])
        return None

    def _fail(self, problem: ScanProblem) -> ScanError | None:
        """Discard the code up to its terminator; report only its first problem."""
        self._chars.clear()
        if self._discarding:
            return None
        self._discarding = True
        return ScanError(problem)

    def _finish(self) -> ScanResult | None:
        typed = "".join(self._chars)
        discarded = self._discarding
        self._chars.clear()
        self._discarding = False
        code = typed.removeprefix(self._prefix).removesuffix(self._suffix)
        if discarded or not code:
            return None
        if classify(code) is Verdict.BAD_CHECK_DIGIT:
            return ScanError(ScanProblem.BAD_CHECK_DIGIT)
        return Scan(code)
