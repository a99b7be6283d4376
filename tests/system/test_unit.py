"""The systemd unit: the directives the till relies on, `systemd-analyze verify` clean,
and an exposure of 2.0 or lower by `systemd-analyze security`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.systemkit import SYSTEMD_DIR, UNIT, directives

ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is missing (Debian package systemd)"
)

PRINTER_DEVICES = {
    "char-usb rw",  # usblp: /dev/usb/lpN, major 180
    "char-usb_device rw",  # libusb: /dev/bus/usb/BBB/DDD, major 189
    "char-ttyUSB rw",  # USB-serial: major 188
    "char-ttyACM rw",  # CDC ACM: major 166
}
"""The device groups (/proc/devices names) of the printer kinds 99-tui-pos-printer.rules covers."""

REQUIRED = {
    "Unit": {"Conflicts": "getty@tty1.service", "StartLimitIntervalSec": "0"},
    "Service": {
        "Type": "notify",
        "NotifyAccess": "main",
        "ExecStart": "/opt/tui-pos/venv/bin/tui-pos",
        "Restart": "always",
        "WatchdogSec": "30s",
        "User": "tui-pos",
        "Group": "tui-pos",
        "SupplementaryGroups": "tui-pos-scanner tui-pos-printer",
        "StateDirectory": "tui-pos",
        "LoadCredential": "api_token:/etc/tui-pos/api_token",
        "EnvironmentFile": "-/etc/tui-pos/tui-pos.env",
        "TTYPath": "/dev/tty1",
        "StandardInput": "tty",
        "StandardOutput": "tty",
        "TTYReset": "yes",
        "TTYVHangup": "yes",
        "TTYVTDisallocate": "yes",
        "UMask": "0077",
        "NoNewPrivileges": "yes",
        "CapabilityBoundingSet": "",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "ProtectKernelTunables": "yes",
        "ProtectKernelModules": "yes",
        "ProtectKernelLogs": "yes",
        "ProtectControlGroups": "yes",
        "ProtectClock": "yes",
        "ProtectHostname": "yes",
        "ProtectProc": "invisible",
        "ProcSubset": "pid",
        "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6 AF_NETLINK",
        "RestrictNamespaces": "yes",
        "RestrictRealtime": "yes",
        "RestrictSUIDSGID": "yes",
        "LockPersonality": "yes",
        "MemoryDenyWriteExecute": "yes",
        "SystemCallArchitectures": "native",
        "DevicePolicy": "closed",
    },
    "Install": {"WantedBy": "multi-user.target"},
}


def test_the_unit_has_every_required_directive() -> None:
    unit = directives(UNIT)
    for section, wanted in REQUIRED.items():
        for key, value in wanted.items():
            assert value in unit[section].get(key, []), f"[{section}] {key}={value}"
    service = unit["Service"]
    assert service["SystemCallFilter"][0] == "@system-service"
    assert set(service["DeviceAllow"]) == {"/dev/tty1 rw", "char-input r", *PRINTER_DEVICES}
    environment = " ".join(service["Environment"]).split()
    assert {"TERM=linux", "TEXTUAL_ANIMATIONS=none", "LANG=C.UTF-8"} <= set(environment)
    assert "TUI_POS_STATE_DIR=%S/tui-pos" in environment  # the StateDirectory
    assert "PrivateNetwork" not in service and "IPAddressDeny" not in service  # needs the API


def test_the_token_never_travels_in_the_environment() -> None:
    text = UNIT.read_text()
    assert not re.search(r"(?m)^Environment=.*TOKEN", text)
    assert "TUI_POS_API_TOKEN" not in (SYSTEMD_DIR / "tui-pos.env.example").read_text().replace(
        "#", ""
    )


def test_each_supplementary_group_is_a_udev_rules_group() -> None:
    (groups,) = directives(UNIT)["Service"]["SupplementaryGroups"]
    scanner, printer = groups.split()
    assert f'GROUP="{scanner}"' in (SYSTEMD_DIR / "99-tui-pos-scanner.rules").read_text()
    assert f'GROUP="{printer}"' in (SYSTEMD_DIR / "99-tui-pos-printer.rules").read_text()


def test_the_printer_devices_are_read_and_written_and_nothing_wider() -> None:
    allowed = set(directives(UNIT)["Service"]["DeviceAllow"]) - {"/dev/tty1 rw", "char-input r"}
    assert allowed == PRINTER_DEVICES
    assert not any("*" in entry or entry.startswith("block-") for entry in allowed)


def test_the_serial_drivers_are_loaded_before_the_start() -> None:
    # DeviceAllow=char-ttyUSB/char-ttyACM resolve through /proc/devices once, at the
    # start: their modules must be in by then (systemd.resource-control(5)).
    unit = directives(UNIT)["Unit"]
    for key in ("Wants", "After"):
        units = " ".join(unit[key]).split()
        assert {"modprobe@usbserial.service", "modprobe@cdc_acm.service"} <= set(units), key


@needs_analyze
def test_systemd_analyze_verify_is_clean(tmp_path: Path) -> None:
    # verify insists that ExecStart exists: check a copy that starts an executable that does.
    executable = shutil.which("true")
    assert executable is not None
    service = directives(UNIT)["Service"]
    copy = tmp_path / UNIT.name
    copy.write_text(UNIT.read_text().replace(service["ExecStart"][0], executable))
    result = subprocess.run(
        [str(ANALYZE), "verify", "--man=no", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@needs_analyze
def test_systemd_analyze_security_rates_it_2_0_or_lower() -> None:
    result = subprocess.run(
        [str(ANALYZE), "security", "--offline=true", "--no-pager", str(UNIT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = re.search(r"Overall exposure level for tui-pos\.service: (\d+\.\d)", result.stdout)
    assert found is not None, result.stdout
    assert float(found.group(1)) <= 2.0
