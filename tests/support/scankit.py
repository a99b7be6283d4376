"""Helpers of the scanner tests: fake input devices and a recorder of the reader's callbacks."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import evdev
from evdev import InputEvent, ecodes

from tui_pos.scanner import ScannerState, ScanProblem

T = TypeVar("T")


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
