"""The installer and its files: valid bash (and shellcheck-clean where shellcheck is),
every shipped file installed, and the doctor wrapper run as the unit runs the till."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.support.systemkit import DOCTOR_WRAPPER, INSTALL, SYSTEMD_DIR, UNIT, directives
from tui_pos.config import load_settings

SCRIPTS = [INSTALL, DOCTOR_WRAPPER]
BUILD_ONLY = {"font/make_font.py", "font/README"}
"""systemd/font/'s build script and its notes: in the checkout, not on the till."""


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_scripts_parse(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="Debian package shellcheck")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_the_scripts_are_shellcheck_clean(script: Path) -> None:
    result = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_the_installer_installs_every_shipped_file_from_where_it_is() -> None:
    script = INSTALL.read_text()
    files = {
        str(path.relative_to(SYSTEMD_DIR)) for path in SYSTEMD_DIR.rglob("*") if path.is_file()
    }
    shipped = files - {INSTALL.name} - BUILD_ONLY
    assert files >= BUILD_ONLY
    assert {name for name in shipped if f'"$UNITS/{name}"' not in script} == set()
    for name in re.findall(r'"\$UNITS/([^"]+)"', script):
        assert (SYSTEMD_DIR / name).is_file(), name
    for name in re.findall(r'"\$REPO/([^"]+)"', script):
        assert (SYSTEMD_DIR.parent / name).exists(), name


@pytest.mark.parametrize(
    "step",
    [
        r"set -euo pipefail",
        r"groupadd --system \"\$SCANNER_GROUP\"",
        r"groupadd --system \"\$PRINTER_GROUP\"",
        r"PRINTER_GROUP=tui-pos-printer\n",
        r"libusb-1\.0-0",
        r"udevadm trigger --subsystem-match=usbmisc --subsystem-match=tty --subsystem-match=usb",
        r"useradd --system",
        r"python3 -m venv \"\$PREFIX/venv\"",
        r"pip\" install --quiet --upgrade \"\$REPO\"",
        r"install -m 0600 -o root -g root /dev/null \"\$ETC/api_token\"",
        r"chmod 0600 \"\$ETC/api_token\"",
        r"systemctl mask getty@tty1\.service",
        r"consoleblank=0",
        r"setting CODESET Lat15",
        r"setting FONTFACE Fixed",
        r"setting FONTSIZE 8x16",
        r"install -D -m 0644 \"\$UNITS/font/tui-pos-Lat15-Fixed16\.psf\" \"\$FONT_FILE\"",
        r"setting FONT \"\$FONT_FILE\"\nsetupcon --force --save",
        r"setupcon --force --save",
        r"systemctl enable tui-pos\.service",
    ],
)
def test_the_installer_takes_each_step(step: str) -> None:
    assert re.search(step, INSTALL.read_text()), step


def test_the_till_loads_on_tty1_the_font_the_installer_installs() -> None:
    installed = re.search(r"(?m)^FONT_FILE=(\S+)$", INSTALL.read_text())
    assert installed is not None
    (load,) = directives(UNIT)["Service"]["ExecStartPre"]
    assert load == f"-/usr/bin/setfont -C /dev/tty1 {installed.group(1)}"  # "-": never stops it


def test_the_doctor_wrapper_runs_as_the_unit_runs_the_till() -> None:
    service = directives(UNIT)["Service"]
    text = DOCTOR_WRAPPER.read_text()
    properties = {
        key: value.strip('"') for key, value in re.findall(r'--property=(\w+)=("[^"]*"|\S+)', text)
    }
    assert f"--uid={service['User'][0]}" in text and f"--gid={service['Group'][0]}" in text
    for key in ("SupplementaryGroups", "LoadCredential", "EnvironmentFile"):
        assert properties[key] == service[key][0], key
    state_dir = "/var/lib/" + service["StateDirectory"][0]
    assert properties["Environment"] == f"TUI_POS_STATE_DIR={state_dir}"
    assert f"{service['ExecStart'][0]} doctor" in text


def test_the_example_settings_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("TUI_POS_")] + ["CREDENTIALS_DIRECTORY"]:
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(SYSTEMD_DIR / "config.toml.example", live=False)
    assert settings.api_url == "https://afosto.app" and settings.api_token is None
    for line in (SYSTEMD_DIR / "tui-pos.env.example").read_text().splitlines():
        assert re.fullmatch(r"#.*|#?TUI_POS_[A-Z_]+=\S*", line), line


@pytest.mark.parametrize(
    ("shipped", "installed"),
    [("99-tui-pos-scanner.rules", "RULE"), ("99-tui-pos-printer.rules", "PRINTER_RULE")],
)
def test_the_installer_never_overwrites_an_edited_udev_rule(shipped: str, installed: str) -> None:
    script = INSTALL.read_text()
    assert f"{installed}=/etc/udev/rules.d/{shipped}\n" in script
    assert (
        f'if [[ ! -e ${installed} ]]; then\n    install -m 0644 "$UNITS/{shipped}" "${installed}"\n'
        in script
    )


def test_the_installer_creates_the_printer_group_before_the_unit_needs_it() -> None:
    script = INSTALL.read_text()
    assert script.index('groupadd --system "$PRINTER_GROUP"') < script.index(
        "systemctl enable tui-pos.service"
    )
    assert script.index('"$PRINTER_RULE"') < script.index("udevadm control --reload")


PRINTER_KEYS = {
    "kind", "host", "port", "device", "baudrate", "usb_id", "timeout", "status", "profile",
    "codepage", "columns", "receipt", "drawer", "drawer_pin", "drawer_pulse", "shop_name",
    "shop_address", "vat_number", "footer",
}  # fmt: skip


def test_the_example_settings_show_every_printer_setting_commented_out() -> None:
    text = (SYSTEMD_DIR / "config.toml.example").read_text()
    head, marker, tail = text.partition("\n# [printer]\n")
    assert marker, "a commented [printer] section"
    assert re.search(r"(?m)^# till_name = ", head)
    uncommented = re.sub(r"(?m)^# (till_name = )", r"\1", head)
    uncommented += "\n[printer]\n" + re.sub(r"(?m)^# (\w+ = )", r"\1", tail)
    settings = tomllib.loads(uncommented)
    assert set(settings["printer"]) == PRINTER_KEYS
    assert settings["printer"]["kind"] == "none"
    assert settings["printer"]["device"] == "/dev/tui-pos-printer"
    assert isinstance(settings["till_name"], str)
