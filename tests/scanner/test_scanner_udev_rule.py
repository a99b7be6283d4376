"""The udev rule gives the scanner the symlink and the group the till relies on."""

from __future__ import annotations

import re
from pathlib import Path

from tui_pos.scanner import DEFAULT_DEVICE

RULE_FILE = Path(__file__).parents[2] / "systemd" / "99-tui-pos-scanner.rules"


def test_the_rule_matches_the_scanner_and_names_it_as_the_till_expects() -> None:
    rules = [
        line for line in RULE_FILE.read_text().splitlines() if line and not line.startswith("#")
    ]
    assert len(rules) == 1
    pairs = dict(re.findall(r'([A-Z]+(?:\{\w+\})?)\+?[=!]=?"([^"]*)"', rules[0]))
    assert pairs["SUBSYSTEM"] == "input"
    assert pairs["KERNEL"] == "event*"
    assert re.fullmatch(r"[0-9a-f]{4}", pairs["ATTRS{idVendor}"])
    assert re.fullmatch(r"[0-9a-f]{4}", pairs["ATTRS{idProduct}"])
    assert Path("/dev") / pairs["SYMLINK"] == DEFAULT_DEVICE
    assert pairs["GROUP"] == "tui-pos-scanner"
    assert pairs["MODE"] == "0660"
    assert "PLACEHOLDER" in RULE_FILE.read_text()
