"""The udev rule gives the receipt printer the symlink and the group the till relies on,
for each way a USB printer shows up: the kernel's usblp, a USB-serial or CDC ACM tty, and
python-escpos's own USB class through libusb."""

from __future__ import annotations

import re

from tests.support.systemkit import SYSTEMD_DIR

RULE_FILE = SYSTEMD_DIR / "99-tui-pos-printer.rules"
PAIR = re.compile(r'([A-Z]+(?:\{\w+\})?)(==|!=|\+=|=)"([^"]*)"')


def rules() -> list[dict[str, str]]:
    lines = [
        line for line in RULE_FILE.read_text().splitlines() if line and not line.startswith("#")
    ]
    parsed = []
    for line in lines:
        pairs = PAIR.findall(line)
        # Every comma-separated part is one KEY<op>"value" (nothing stray, no typos).
        assert ", ".join(f'{key}{op}"{value}"' for key, op, value in pairs) == line, line
        parsed.append({key: value for key, _, value in pairs})
    return parsed


def test_one_line_per_kind_of_usb_printer() -> None:
    kinds = {(rule["SUBSYSTEM"], rule.get("KERNEL"), rule.get("ENV{DEVTYPE}")) for rule in rules()}
    assert kinds == {
        ("usbmisc", "lp[0-9]*", None),
        ("tty", "ttyUSB[0-9]*|ttyACM[0-9]*", None),
        ("usb", None, "usb_device"),
    }


def test_each_line_matches_by_ids_and_gives_the_group_mode_and_symlink() -> None:
    ids = set()
    for rule in rules():
        # The usb_device is the USB device itself (ATTR); lp and tty nodes sit below it.
        attr = "ATTR" if rule["SUBSYSTEM"] == "usb" else "ATTRS"
        vendor, product = rule[f"{attr}{{idVendor}}"], rule[f"{attr}{{idProduct}}"]
        assert re.fullmatch(r"[0-9a-f]{4}", vendor) and re.fullmatch(r"[0-9a-f]{4}", product)
        ids.add((vendor, product))
        assert rule["SYMLINK"] == "tui-pos-printer"
        assert rule["GROUP"] == "tui-pos-printer"
        assert rule["MODE"] == "0660"
    assert len(ids) == 1, "the same (placeholder) ids on every line"


def test_the_symlink_prefers_the_lp_or_tty_node_to_libusbs() -> None:
    priority = {
        rule["SUBSYSTEM"]: int(rule["OPTIONS"].removeprefix("link_priority=")) for rule in rules()
    }
    assert priority["usb"] < priority["usbmisc"] == priority["tty"]


def test_the_operators_are_matches_and_assignments_where_they_belong() -> None:
    text = RULE_FILE.read_text()
    for line in (line for line in text.splitlines() if line and not line.startswith("#")):
        assert re.search(r'SYMLINK\+="', line) and re.search(r'OPTIONS\+="', line)
        for key in ("GROUP", "MODE"):
            assert re.search(rf'(?<![A-Z]){key}="', line), (key, line)
        for key in ("SUBSYSTEM", "ATTR"):
            assert not re.search(rf'{key}(\{{\w+\}})?="', line), (key, "assigned", line)


def test_the_placeholder_ids_are_marked_and_explained() -> None:
    text = RULE_FILE.read_text()
    assert "PLACEHOLDER" in text
    for how in ("lsusb", "udevadm info --attribute-walk", "groupadd --system tui-pos-printer"):
        assert how in text
