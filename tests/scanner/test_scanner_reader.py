"""The reader thread against fake devices: scans, hot-plug, permissions, a clean stop."""

from __future__ import annotations

import errno
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.keys import keystrokes
from tests.support.scankit import FakeBus, Recorder
from tests.support.waiting import eventually
from tui_pos.config import ScannerSettings
from tui_pos.scanner import ScannerReader, ScannerState, ScanProblem

PATH = "/dev/input/by-id/usb-Fake_Scanner-event-kbd"
SETTINGS = ScannerSettings(device=Path(PATH))
RETRY = 0.05

Start = Callable[..., ScannerReader]


def reader_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "tui-pos-scanner"]


@pytest.fixture
def bus() -> FakeBus:
    return FakeBus()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def start(bus: FakeBus, recorder: Recorder) -> Iterator[Start]:
    """Starts readers on ``bus`` that report to ``recorder``; stops them after the test."""
    readers: list[ScannerReader] = []

    def start(
        settings: ScannerSettings = SETTINGS, on_scan: Callable[[str], None] = recorder.on_scan
    ) -> ScannerReader:
        reader = ScannerReader(
            settings,
            on_scan=on_scan,
            on_error=recorder.on_error,
            on_state=recorder.on_state,
            opener=bus,
            retry=RETRY,
        )
        readers.append(reader)
        reader.start()
        return reader

    yield start
    for reader in readers:
        reader.stop()
    assert reader_threads() == []


def test_a_scan_arrives_through_the_callback(
    bus: FakeBus, recorder: Recorder, start: Start
) -> None:
    device = bus.plug(PATH)
    start()
    assert recorder.wait_state(ScannerState.CONNECTED)
    assert device.grabbed
    device.send(keystrokes("4006381333931") + keystrokes("BAG-PAPER", "KEY_TAB"))
    device.send(keystrokes("4006381333932"))
    assert recorder.wait(lambda: len(recorder.scans) + len(recorder.errors) == 3)
    assert recorder.scans == ["4006381333931", "BAG-PAPER"]
    assert recorder.errors == [ScanProblem.BAD_CHECK_DIGIT]


def test_unplugged_mid_scan_reconnects_and_drops_the_half_code(
    bus: FakeBus, recorder: Recorder, start: Start
) -> None:
    first = bus.plug(PATH)
    start()
    assert recorder.wait_state(ScannerState.CONNECTED)
    first.send(keystrokes("40063", terminator=None))
    eventually(first.drained, "the unplugged device drained", seconds=2)
    bus.unplug(PATH)
    assert recorder.wait_state(ScannerState.DISCONNECTED)
    eventually(lambda: first.closed, "the unplugged device closed", seconds=2)
    # Time passes while the reader looks for the device: no busy loop on the dead one,
    # and no more opens than the retry interval allows over the time that really passed.
    opens, started = bus.opens, time.monotonic()
    time.sleep(6 * RETRY)
    assert first.reads_after_unplug == 1
    assert bus.opens - opens <= (time.monotonic() - started) / RETRY + 2
    assert recorder.states[-1] is ScannerState.DISCONNECTED  # not "not found" meanwhile
    second = bus.plug(PATH)
    assert recorder.wait_state(ScannerState.CONNECTED)
    assert second.grabbed
    second.send(keystrokes("96385074"))
    assert recorder.wait(lambda: bool(recorder.scans))
    assert recorder.scans == ["96385074"]  # not "4006396385074"
    assert recorder.errors == []
    assert recorder.states == [
        ScannerState.CONNECTED,
        ScannerState.DISCONNECTED,
        ScannerState.CONNECTED,
    ]


def test_stop_releases_the_grab_and_closes_the_device(
    bus: FakeBus, recorder: Recorder, start: Start
) -> None:
    device = bus.plug(PATH)
    reader = start()
    assert recorder.wait_state(ScannerState.CONNECTED)
    began = time.monotonic()
    reader.stop()
    assert time.monotonic() - began < 1
    assert not device.grabbed
    assert device.closed
    assert reader_threads() == []


def test_no_permission_then_fixed(bus: FakeBus, recorder: Recorder, start: Start) -> None:
    bus.plug(PATH)
    bus.denied.add(PATH)
    start()
    assert recorder.wait_state(ScannerState.NO_PERMISSION)
    bus.denied.clear()
    assert recorder.wait_state(ScannerState.CONNECTED)


def test_not_found_is_reported_once_while_looking(
    bus: FakeBus, recorder: Recorder, start: Start
) -> None:
    start()
    eventually(lambda: bus.opens >= 3, "the reader reopening the device", seconds=2)
    assert recorder.states == [ScannerState.NOT_FOUND]
    bus.plug(PATH)
    assert recorder.wait_state(ScannerState.CONNECTED)


def test_a_device_grabbed_by_another_program_is_busy(
    bus: FakeBus, recorder: Recorder, start: Start
) -> None:
    device = bus.plug(PATH)

    def grab() -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    device.grab = grab  # type: ignore[method-assign]
    start()
    assert recorder.wait_state(ScannerState.BUSY)
    assert device.closed


def test_disabled_scanner_is_not_opened(bus: FakeBus, recorder: Recorder, start: Start) -> None:
    bus.plug(PATH)
    start(ScannerSettings(enabled=False, device=Path(PATH)))
    assert recorder.states == [ScannerState.DISABLED]
    assert bus.opens == 0
    assert reader_threads() == []


def test_a_failing_callback_does_not_stop_the_reader(
    bus: FakeBus, recorder: Recorder, start: Start
) -> None:
    def on_scan(code: str) -> None:
        recorder.on_scan(code)
        raise RuntimeError("the UI is gone")

    device = bus.plug(PATH)
    start(on_scan=on_scan)
    assert recorder.wait_state(ScannerState.CONNECTED)
    device.send(keystrokes("SKU-1") + keystrokes("SKU-2"))
    assert recorder.wait(lambda: recorder.scans == ["SKU-1", "SKU-2"])
