"""The US keyboard layout a barcode scanner types in: key code -> (plain, shifted) character.

Covers printable ASCII (Code 128's printable characters) and the keypad, whose keys give the same
character with or without Shift. Built from ``evdev.ecodes`` names, not raw numbers.
"""

from __future__ import annotations

import string

from evdev import ecodes

_NAMED = {
    "KEY_1": "1!",
    "KEY_2": "2@",
    "KEY_3": "3#",
    "KEY_4": "4$",
    "KEY_5": "5%",
    "KEY_6": "6^",
    "KEY_7": "7&",
    "KEY_8": "8*",
    "KEY_9": "9(",
    "KEY_0": "0)",
    "KEY_MINUS": "-_",
    "KEY_EQUAL": "=+",
    "KEY_LEFTBRACE": "[{",
    "KEY_RIGHTBRACE": "]}",
    "KEY_BACKSLASH": "\\|",
    "KEY_SEMICOLON": ";:",
    "KEY_APOSTROPHE": "'\"",
    "KEY_GRAVE": "`~",
    "KEY_COMMA": ",<",
    "KEY_DOT": ".>",
    "KEY_SLASH": "/?",
    "KEY_SPACE": "  ",
    **{f"KEY_{letter.upper()}": letter + letter.upper() for letter in string.ascii_lowercase},
    **{f"KEY_KP{digit}": digit * 2 for digit in string.digits},
    "KEY_KPMINUS": "--",
    "KEY_KPPLUS": "++",
    "KEY_KPASTERISK": "**",
    "KEY_KPSLASH": "//",
    "KEY_KPDOT": "..",
}

US_LAYOUT: dict[int, tuple[str, str]] = {
    ecodes.ecodes[name]: (chars[0], chars[1]) for name, chars in _NAMED.items()
}

SHIFT_KEYS = frozenset({ecodes.KEY_LEFTSHIFT, ecodes.KEY_RIGHTSHIFT})
