"""The scanner's reader thread: reads key events promptly and hands codes to callbacks."""

from __future__ import annotations

import contextlib
import logging
import select
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from tui_pos.config import ScannerSettings
from tui_pos.scanner.decoder import Decoder, Scan, ScanError, ScanProblem
from tui_pos.scanner.devices import InputDeviceLike, Opener, find_device, open_device

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.1  # how long select() waits, so stop() is prompt
RETRY_SECONDS = 1.0  # how often to look for a missing scanner

T = TypeVar("T")


class ScannerState(StrEnum):
    """Whether the scanner can be used; the value is the text for the cashier."""

    CONNECTED = "Scanner ready"
    DISCONNECTED = "Scanner disconnected, plug it in again"
    NOT_FOUND = "Scanner not found, check the cable"
    NO_PERMISSION = "No permission to use the scanner, call support"
    BUSY = "Scanner in use by another program, call support"
    DISABLED = "Scanner switched off in the settings"


class ScannerReader:
    """Reads the scanner on a daemon thread, as Textualize/toolong's watcher reads files.

    The device is grabbed (EVIOCGRAB) so its keys do not also reach the console. The
    kernel keeps only 64 events per reader and one scan is about 80, so the thread reads
    continuously: the callbacks run on it and must return at once (in the app,
    ``post_message``; ``call_from_thread`` would wait for the UI). A scanner that goes away
    is looked for again every ``retry`` seconds; a code it was typing is dropped.
    """

    def __init__(
        self,
        settings: ScannerSettings,
        *,
        on_scan: Callable[[str], None],
        on_error: Callable[[ScanProblem], None],
        on_state: Callable[[ScannerState], None],
        opener: Opener = open_device,
        retry: float = RETRY_SECONDS,
    ) -> None:
        self._settings = settings
        self._decoder = Decoder(settings)
        self._on_scan = on_scan
        self._on_error = on_error
        self._on_state = on_state
        self._opener = opener
        self._retry = retry
        self._state: ScannerState | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tui-pos-scanner", daemon=True)

    def start(self) -> None:
        """Start the thread; a disabled scanner only reports ``DISABLED``, on this thread."""
        if not self._settings.enabled:
            self._report(ScannerState.DISABLED)
            return
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Release the grab, close the device and wait (up to ``timeout``) for the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            device = self._connect()
            if device is not None:
                self._serve(device)
            self._stop.wait(self._retry)

    def _connect(self) -> InputDeviceLike | None:
        try:
            device = self._opener(find_device(self._settings, opener=self._opener))
        except PermissionError as exc:
            self._report(ScannerState.NO_PERMISSION, exc)
            return None
        except OSError as exc:
            # Until it is back, a scanner that was unplugged stays "disconnected".
            if self._state is not ScannerState.DISCONNECTED:
                self._report(ScannerState.NOT_FOUND, exc)
            return None
        try:
            device.grab()
        except OSError as exc:
            device.close()
            self._report(ScannerState.BUSY, exc)
            return None
        self._decoder.reset()
        self._report(ScannerState.CONNECTED, device.name)
        return device

    def _serve(self, device: InputDeviceLike) -> None:
        """Read until stop() or until the device fails; then ungrab and close it."""
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([device], [], [], POLL_SECONDS)
                if ready:
                    self._read(device)
        except OSError as exc:
            self._decoder.reset()  # never half a code
            self._report(ScannerState.DISCONNECTED, exc)
        finally:
            with contextlib.suppress(OSError):  # gone already, or never grabbed
                device.ungrab()
            device.close()  # a dead device left open makes select() return at once, forever

    def _read(self, device: InputDeviceLike) -> None:
        try:
            events = list(device.read())
        except BlockingIOError:
            return
        for event in events:
            result = self._decoder.feed(event)
            if isinstance(result, Scan):
                self._call(self._on_scan, result.code)
            elif isinstance(result, ScanError):
                self._call(self._on_error, result.problem)

    def _report(self, state: ScannerState, detail: object = "") -> None:
        if state is self._state:
            return
        self._state = state
        logger.info("scanner: %s %s", state.name, detail)
        self._call(self._on_state, state)

    @staticmethod
    def _call(callback: Callable[[T], None], value: T) -> None:
        try:
            callback(value)
        except Exception:
            logger.exception("scanner callback %r failed on %r", callback, value)
