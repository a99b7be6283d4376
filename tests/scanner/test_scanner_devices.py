"""Discovery: candidates among /dev/input/event*, unreadable ones described from sysfs."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from evdev import ecodes

from tests.support.scankit import FakeBus, FakeDevice
from tui_pos.config import ScannerSettings
from tui_pos.scanner import DEFAULT_DEVICE, Candidate, find_device, list_candidates

MOUSE_KEYS = [ecodes.BTN_LEFT, ecodes.BTN_RIGHT]
POWER_KEYS = [ecodes.KEY_POWER, ecodes.KEY_SLEEP]


@pytest.fixture
def input_dir(tmp_path: Path) -> Path:
    (tmp_path / "input").mkdir()
    return tmp_path / "input"


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    return tmp_path / "sys"


def add(input_dir: Path, bus: FakeBus, node: str, device: FakeDevice) -> None:
    """A device node in ``input_dir`` that ``bus`` opens as ``device``."""
    (input_dir / node).touch()
    bus.plug(str(input_dir / node), device)


def describe(sysfs: Path, node: str, name: str, vendor: str, product: str, keys: str) -> None:
    """What the kernel shows in /sys/class/input/<node>/device."""
    device = sysfs / node / "device"
    (device / "id").mkdir(parents=True)
    (device / "capabilities").mkdir()
    for part, text in [("name", name), ("phys", "usb-1/input0"), ("id/vendor", vendor)]:
        (device / part).write_text(text + "\n")
    (device / "id/product").write_text(product + "\n")
    (device / "capabilities/key").write_text(keys + "\n")


def test_only_devices_with_digit_keys_are_candidates(input_dir: Path, sysfs: Path) -> None:
    bus = FakeBus()
    scanner = FakeDevice("Symbol Bar Code Scanner")
    add(input_dir, bus, "event10", scanner)
    add(input_dir, bus, "event2", FakeDevice("AT Keyboard"))
    add(input_dir, bus, "event3", FakeDevice("Mouse", keys=MOUSE_KEYS))
    add(input_dir, bus, "event4", FakeDevice("Power Button", keys=POWER_KEYS))
    candidates = list_candidates(input_dir, opener=bus, sysfs=sysfs)
    assert [c.name for c in candidates] == ["AT Keyboard", "Symbol Bar Code Scanner"]
    assert candidates[1] == Candidate(
        str(input_dir / "event10"), "Symbol Bar Code Scanner", "05e0:1200", scanner.phys
    )
    assert candidates[1].readable
    assert all(device.closed for device in bus.devices.values())


def test_unreadable_devices_are_described_from_sysfs(input_dir: Path, sysfs: Path) -> None:
    bus = FakeBus()
    for node in ("event5", "event6", "event7"):
        (input_dir / node).touch()
        bus.denied.add(str(input_dir / node))
    # 64-bit words, highest first: the last word holds KEY_ESC (1) .. KEY_0 (11) and more.
    describe(sysfs, "event5", "Honeywell Scanner", "0c2e", "0b61", "1 0 0 0 fffffffffffffffe")
    describe(sysfs, "event6", "Power Button", "0000", "0001", "10000000000000 0")
    candidates = list_candidates(input_dir, opener=bus, sysfs=sysfs)  # event7: no sysfs
    assert candidates == [
        Candidate(
            str(input_dir / "event5"),
            "Honeywell Scanner",
            "0c2e:0b61",
            "usb-1/input0",
            "no permission to read it",
        )
    ]
    assert not candidates[0].readable


def test_a_device_that_vanishes_while_listing_is_skipped(input_dir: Path, sysfs: Path) -> None:
    (input_dir / "event0").touch()  # in the directory, but the opener no longer finds it
    assert list_candidates(input_dir, opener=FakeBus(), sysfs=sysfs) == []


def test_find_device_uses_the_configured_path_without_looking() -> None:
    bus = FakeBus()
    settings = ScannerSettings(device=Path("/dev/input/by-id/usb-scanner-event-kbd"), name="x")
    assert find_device(settings, opener=bus) == "/dev/input/by-id/usb-scanner-event-kbd"
    assert bus.opens == 0


def test_find_device_defaults_to_the_udev_symlink() -> None:
    assert find_device(ScannerSettings(), opener=FakeBus()) == str(DEFAULT_DEVICE)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"name": "bar code"}, "event3"),  # a part of the name, any case
        ({"usb_id": "05E0:1200"}, "event3"),
        ({"name": "scanner", "usb_id": "0c2e:0b61"}, "event4"),  # both must match
    ],
)
def test_find_device_by_name_or_usb_id(
    input_dir: Path, settings: dict[str, str], expected: str
) -> None:
    bus = FakeBus()
    add(input_dir, bus, "event2", FakeDevice("AT Keyboard", usb_id=(0x046D, 0xC31C)))
    add(input_dir, bus, "event3", FakeDevice("Symbol Bar Code Scanner"))
    add(input_dir, bus, "event4", FakeDevice("Honeywell Scanner", usb_id=(0x0C2E, 0x0B61)))
    found = find_device(ScannerSettings.model_validate(settings), opener=bus, input_dir=input_dir)
    assert found == str(input_dir / expected)


def test_find_device_prefers_a_readable_match(input_dir: Path, sysfs: Path) -> None:
    bus = FakeBus()
    (input_dir / "event1").touch()
    bus.denied.add(str(input_dir / "event1"))
    describe(sysfs, "event1", "Bar Code Scanner", "05e0", "1200", "fffe")
    add(input_dir, bus, "event2", FakeDevice("Bar Code Scanner"))
    settings = ScannerSettings(usb_id="05e0:1200")
    assert find_device(settings, opener=bus, input_dir=input_dir, sysfs=sysfs).endswith("event2")


def test_find_device_reports_a_match_it_may_not_read(input_dir: Path, sysfs: Path) -> None:
    bus = FakeBus()
    (input_dir / "event1").touch()
    bus.denied.add(str(input_dir / "event1"))
    describe(sysfs, "event1", "Bar Code Scanner", "05e0", "1200", "fffe")
    with pytest.raises(PermissionError) as raised:
        find_device(ScannerSettings(name="Bar"), opener=bus, input_dir=input_dir, sysfs=sysfs)
    assert raised.value.errno == errno.EACCES
    assert raised.value.filename == str(input_dir / "event1")


def test_find_device_without_a_match(input_dir: Path, sysfs: Path) -> None:
    bus = FakeBus()
    add(input_dir, bus, "event2", FakeDevice("AT Keyboard"))
    with pytest.raises(FileNotFoundError):
        find_device(ScannerSettings(name="Scanner"), opener=bus, input_dir=input_dir, sysfs=sysfs)
