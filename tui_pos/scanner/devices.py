"""Finding the scanner among the input devices: the configured path, or auto-detection.

Every ``/dev/input/event*`` node is considered, not only the readable ones that
``evdev.list_devices()`` returns, so the support screen can show a scanner the till may
not read. Such a device's name and ids come from sysfs, which anyone may read.
"""

from __future__ import annotations

import errno
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeAlias

import evdev
from evdev import ecodes

from tui_pos.config import ScannerSettings

INPUT_DIR = Path("/dev/input")
SYSFS_INPUT = Path("/sys/class/input")
DEFAULT_DEVICE = INPUT_DIR / "tui-pos-scanner"  # the symlink systemd/99-tui-pos-scanner.rules makes
DIGIT_KEYS = frozenset(ecodes.ecodes[f"KEY_{digit}"] for digit in string.digits)
NO_PERMISSION = "no permission to read it"


class InputDeviceLike(Protocol):
    """What the scanner layer uses of ``evdev.InputDevice``, so tests can pass a fake."""

    name: str
    phys: str
    info: evdev.DeviceInfo

    def capabilities(self) -> dict[int, list[int]]: ...
    def fileno(self) -> int: ...
    def read(self) -> Iterator[evdev.InputEvent]: ...
    def grab(self) -> None: ...
    def ungrab(self) -> None: ...
    def close(self) -> None: ...


Opener: TypeAlias = Callable[[str], InputDeviceLike]


def open_device(path: str) -> InputDeviceLike:
    """Open an input device read-only (reading and grabbing need no more)."""
    return evdev.InputDevice(path, readonly=True)


@dataclass(frozen=True)
class Candidate:
    """An input device with digit keys: a keyboard, or a scanner posing as one."""

    path: str
    name: str
    usb_id: str  # vendor:product in hex, like the setting
    phys: str
    problem: str | None = None  # why the till cannot read it

    @property
    def readable(self) -> bool:
        return self.problem is None

    def matches(self, settings: ScannerSettings) -> bool:
        """Whether it has the configured name (part, any case) and vendor:product."""
        name_ok = settings.name is None or settings.name.casefold() in self.name.casefold()
        return name_ok and settings.usb_id in (None, self.usb_id)


def list_candidates(
    input_dir: Path = INPUT_DIR, *, opener: Opener = open_device, sysfs: Path = SYSFS_INPUT
) -> list[Candidate]:
    """The devices that could be the scanner, readable or not, in ``eventN`` order."""
    candidates = []
    nodes = sorted(input_dir.glob("event*"), key=lambda node: (len(node.name), node.name))
    for node in nodes:
        try:
            device = opener(str(node))
        except PermissionError:
            candidate = _from_sysfs(node, sysfs)
        except OSError:
            continue  # unplugged since the listing, or not an input device
        else:
            try:
                candidate = _from_device(node, device)
            finally:
                device.close()
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def find_device(
    settings: ScannerSettings,
    *,
    input_dir: Path = INPUT_DIR,
    opener: Opener = open_device,
    sysfs: Path = SYSFS_INPUT,
) -> str:
    """The scanner's device path: ``device`` if set, else the first readable candidate
    matching ``name`` and ``usb_id``, else (neither set) the udev rule's symlink.

    Raises ``PermissionError`` if only unreadable devices match, ``FileNotFoundError``
    if none does.
    """
    if settings.device is not None:
        return str(settings.device)
    if settings.name is None and settings.usb_id is None:
        return str(DEFAULT_DEVICE)
    matches = [
        candidate
        for candidate in list_candidates(input_dir, opener=opener, sysfs=sysfs)
        if candidate.matches(settings)
    ]
    for candidate in matches:
        if candidate.readable:
            return candidate.path
    if matches:
        raise PermissionError(errno.EACCES, NO_PERMISSION, matches[0].path)
    raise FileNotFoundError(errno.ENOENT, "no input device matches the scanner settings")


def _from_device(node: Path, device: InputDeviceLike) -> Candidate | None:
    if not DIGIT_KEYS.issubset(device.capabilities().get(ecodes.EV_KEY, [])):
        return None
    usb_id = f"{device.info.vendor:04x}:{device.info.product:04x}"
    return Candidate(str(node), device.name, usb_id, device.phys)


def _from_sysfs(node: Path, sysfs: Path) -> Candidate | None:
    info = sysfs / node.name / "device"
    try:
        name, phys, vendor, product, keys = (
            (info / part).read_text(encoding="utf-8").strip()
            for part in ("name", "phys", "id/vendor", "id/product", "capabilities/key")
        )
    except OSError:
        return None
    # A bitmap of key codes in hex words, highest first; KEY_1..KEY_0 (2..11) are in the last.
    lowest = int(keys.split()[-1], 16) if keys else 0
    if not all(lowest >> code & 1 for code in DIGIT_KEYS):
        return None
    return Candidate(str(node), name, f"{vendor}:{product}", phys, NO_PERMISSION)
