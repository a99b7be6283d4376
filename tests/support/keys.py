"""Keystrokes as a USB keyboard (or a keyboard-wedge scanner) sends them, as evdev events."""

from __future__ import annotations

import itertools
import string

from evdev import InputEvent, ecodes

PRINTABLE = string.printable[:95]  # printable ASCII, space included

# The test's own account of the US layout (not the one under test): char -> key name.
_PUNCTUATION = {
    "-": "MINUS",
    "=": "EQUAL",
    "[": "LEFTBRACE",
    "]": "RIGHTBRACE",
    "\\": "BACKSLASH",
    ";": "SEMICOLON",
    "'": "APOSTROPHE",
    "`": "GRAVE",
    ",": "COMMA",
    ".": "DOT",
    "/": "SLASH",
    " ": "SPACE",
}
_SHIFTED = dict(zip(")!@#$%^&*(", string.digits, strict=True)) | {
    "_": "MINUS",
    "+": "EQUAL",
    "{": "LEFTBRACE",
    "}": "RIGHTBRACE",
    "|": "BACKSLASH",
    ":": "SEMICOLON",
    '"': "APOSTROPHE",
    "~": "GRAVE",
    "<": "COMMA",
    ">": "DOT",
    "?": "SLASH",
}

_clock = itertools.count()


def key_of(char: str) -> tuple[str, bool]:
    """The key name and whether Shift is needed to type ``char`` on a US keyboard."""
    if char in string.digits or char in string.ascii_lowercase:
        return f"KEY_{char.upper()}", False
    if char in string.ascii_uppercase:
        return f"KEY_{char}", True
    if char in _PUNCTUATION:
        return f"KEY_{_PUNCTUATION[char]}", False
    return f"KEY_{_SHIFTED[char]}", True


def event(etype: int, code: int, value: int) -> InputEvent:
    tick = next(_clock)
    return InputEvent(1_700_000_000 + tick // 1000, tick % 1000 * 1000, etype, code, value)


def key(name: str, value: int) -> list[InputEvent]:
    """One key event as a USB keyboard reports it: MSC_SCAN, the key, SYN_REPORT."""
    return [
        event(ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000),
        event(ecodes.EV_KEY, ecodes.ecodes[name], value),
        event(ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
    ]


def tap(name: str) -> list[InputEvent]:
    return key(name, 1) + key(name, 0)


def keystrokes(
    text: str, terminator: str | None = "KEY_ENTER", shift: str = "KEY_LEFTSHIFT"
) -> list[InputEvent]:
    """The events of typing ``text`` and then ``terminator`` (if any), Shift per character."""
    events: list[InputEvent] = []
    for char in text:
        name, shifted = key_of(char)
        events += key(shift, 1) + tap(name) + key(shift, 0) if shifted else tap(name)
    return events + (tap(terminator) if terminator else [])


def dropped() -> InputEvent:
    return event(ecodes.EV_SYN, ecodes.SYN_DROPPED, 0)
