"""Shared helpers of the scanner tests: keystrokes as a keyboard sends them, fake devices."""

from __future__ import annotations

import errno
import itertools
import os
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import evdev
from evdev import InputEvent, ecodes

from tui_pos.scanner import ScannerState, ScanProblem

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
T = TypeVar("T")


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


def eventually(condition: Callable[[], bool], timeout: float = 2.0) -> bool:
    """Whether ``condition`` holds within ``timeout`` seconds (polled)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def dropped() -> InputEvent:
    return event(ecodes.EV_SYN, ecodes.SYN_DROPPED, 0)


class FakeDevice:
    """An open input device: events are queued by the test and read through a real pipe,
    so select() works; after :meth:`unplug` it is readable forever and reading fails."""

    def __init__(
        self,
        name: str = "Fake Scanner",
        *,
        usb_id: tuple[int, int] = (0x05E0, 0x1200),
        keys: Iterable[int] | None = None,
    ) -> None:
        self.name = name
        self.phys = "usb-0000:00:14.0-2/input0"
        self.info = evdev.DeviceInfo(bustype=3, vendor=usb_id[0], product=usb_id[1], version=1)
        self.keys = list(ecodes.KEY) if keys is None else list(keys)
        self.grabbed = False
        self.closed = False
        self.reads_after_unplug = 0
        self._events: list[InputEvent] = []
        self._error: OSError | None = None
        self._lock = threading.Lock()
        self._rfd, self._wfd = os.pipe()
        os.set_blocking(self._rfd, False)

    def capabilities(self) -> dict[int, list[int]]:
        return {ecodes.EV_SYN: [0], ecodes.EV_KEY: self.keys}

    def fileno(self) -> int:
        return self._rfd

    def read(self) -> Iterator[InputEvent]:
        with self._lock:
            events, self._events = self._events, []
            if self._error is not None:
                self.reads_after_unplug += 1
                raise self._error
            if not events:
                raise BlockingIOError(errno.EAGAIN, "no events")
            os.read(self._rfd, 4096)
        return iter(events)

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        if self._error is not None:
            raise self._error
        self.grabbed = False

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._rfd)
            os.close(self._wfd)

    def send(self, events: list[InputEvent]) -> None:
        with self._lock:
            self._events += events
            os.write(self._wfd, b".")

    def unplug(self) -> None:
        with self._lock:
            self._events.clear()  # the kernel discards what was not read
            self._error = OSError(errno.ENODEV, "No such device")
            os.write(self._wfd, b".")

    def drained(self) -> bool:
        """Whether everything sent has been read."""
        with self._lock:
            return not self._events


class FakeBus:
    """An opener over fake devices by path: plug, unplug, deny; counts the opens."""

    def __init__(self) -> None:
        self.devices: dict[str, FakeDevice] = {}
        self.denied: set[str] = set()
        self.opens = 0

    def __call__(self, path: str) -> FakeDevice:
        self.opens += 1
        if path in self.denied:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        if path not in self.devices:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)
        return self.devices[path]

    def plug(self, path: str, device: FakeDevice | None = None) -> FakeDevice:
        self.devices[path] = device or FakeDevice()
        return self.devices[path]

    def unplug(self, path: str) -> FakeDevice:
        device = self.devices.pop(path)
        device.unplug()
        return device


class Recorder:
    """The reader's three callbacks, recorded; :meth:`wait` blocks until a condition holds."""

    def __init__(self) -> None:
        self.scans: list[str] = []
        self.errors: list[ScanProblem] = []
        self.states: list[ScannerState] = []
        self._changed = threading.Condition()

    def on_scan(self, code: str) -> None:
        self._record(self.scans, code)

    def on_error(self, problem: ScanProblem) -> None:
        self._record(self.errors, problem)

    def on_state(self, state: ScannerState) -> None:
        self._record(self.states, state)

    def _record(self, into: list[T], value: T) -> None:
        with self._changed:
            into.append(value)
            self._changed.notify_all()

    def wait(self, condition: Callable[[], bool], timeout: float = 2.0) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def wait_state(self, state: ScannerState, timeout: float = 2.0) -> bool:
        return self.wait(lambda: self.states[-1:] == [state], timeout)
