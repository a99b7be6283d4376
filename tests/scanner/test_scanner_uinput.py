"""End to end with a real kernel input device made through /dev/uinput, where allowed."""

from __future__ import annotations

import os
from contextlib import closing

import evdev
import pytest
from evdev import UInput, UInputError, ecodes

from tests.support.keys import keystrokes
from tests.support.scankit import Recorder
from tui_pos.config import ScannerSettings
from tui_pos.scanner import ScannerReader, ScannerState, find_device


def virtual_keyboard(name: str) -> UInput:
    if not os.access("/dev/uinput", os.W_OK):
        pytest.skip("/dev/uinput is missing or not writable (no uinput module, or no permission)")
    keys = range(ecodes.KEY_ESC, ecodes.KEY_MICMUTE + 1)
    try:
        return UInput({ecodes.EV_KEY: list(keys)}, name=name)
    except (OSError, UInputError) as exc:
        pytest.skip(f"cannot create a uinput device here: {exc}")


def test_the_reader_finds_grabs_and_reads_a_virtual_keyboard() -> None:
    name = f"tui-pos test scanner {os.getpid()}"
    keyboard = virtual_keyboard(name)
    recorder = Recorder()
    settings = ScannerSettings(name=name)
    reader = ScannerReader(
        settings,
        on_scan=recorder.on_scan,
        on_error=recorder.on_error,
        on_state=recorder.on_state,
        retry=0.1,
    )
    try:
        reader.start()
        assert recorder.wait_state(ScannerState.CONNECTED, timeout=5)  # udev may be slow
        with closing(evdev.InputDevice(find_device(settings))) as other, pytest.raises(OSError):
            other.grab()  # the reader holds the grab
        for event in keystrokes("4006381333931"):
            keyboard.write(event.type, event.code, event.value)
        assert recorder.wait(lambda: recorder.scans == ["4006381333931"], timeout=5)
    finally:
        reader.stop()
        keyboard.close()
