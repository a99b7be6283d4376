"""The Ansible role and playbook (deploy/ansible/): ansible-lint clean, a valid playbook,
and real runs on a fleet of throwaway roots on this machine: the files laid down, the
restart between sales (a till mid-sale skipped, and restarted by the next run), the
roll-out stopped at the first unhealthy till, and a second run that changes nothing."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("ansible", reason="ansible-core (the test extra installs it)")

from tests.deploy.fleetkit import (
    ANSIBLE_DIR,
    CMDLINE,
    EXAMPLE_INVENTORY,
    PLAYBOOK,
    RUN_TIMEOUT,
    Run,
    Till,
    ansible_env,
    build_wheel,
    make_till,
    me,
    play,
    tool,
    vault,
    write_inventory,
)
from tests.support.systemkit import INSTALL, SYSTEMD_DIR
from tui_pos.config import load_settings

FONT = "usr/local/share/consolefonts/tui-pos-Lat15-Fixed16.psf"
TOKENS = {"till-a": "tok-a-0123", "till-b": "tok-b-4567", "till-c": "tok-c-89ab"}
HOST_VARS: dict[str, dict[str, object]] = {
    "till-a": {
        "tui_pos_channel_id": "chan-shop-1",
        "tui_pos_till_name": 'Kassa "één"',
        "tui_pos_terminal_id": "term_front",
        "tui_pos_drawer_id": "drawer_front",
        "tui_pos_scanner_usb_id": "0c2e:0b61",
        "tui_pos_printer_usb_id": "0519:0003",
        "tui_pos_printer": {
            "kind": "file",
            "device": "/dev/tui-pos-printer",
            "columns": 48,
            "drawer": True,
            "shop_address": ["Street 1", "1234 AB Town"],
        },
        "tui_pos_settings": {"lock_after": 600},
        "tui_pos_env": {"TUI_POS_SCANNER__ENABLED": "false"},
    },
    "till-b": {"tui_pos_channel_id": "chan-shop-1", "tui_pos_till_name": "Kassa 2"},
    "till-c": {
        "tui_pos_channel_id": "chan-shop-2",
        "tui_pos_printer": {"kind": "network", "host": "192.168.1.50"},
    },
}
VAULT_PASSWORD = "test-vault-password"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


class Fleet:
    """Three tills in a row, their inventory, and the playbook run on them."""

    def __init__(self, base: Path, wheel: Path) -> None:
        self.home = base / "ansible-home"
        self.home.mkdir()
        self.password = base / "vault-password"
        self.password.write_text(VAULT_PASSWORD + "\n")
        self.tills = {name: make_till(base, name) for name in TOKENS}
        self.inventory = base / "hosts.yml"
        vaulted = {
            name: vault(token, "tui_pos_api_token", self.password, self.home)
            for name, token in TOKENS.items()
        }
        write_inventory(self.inventory, list(self.tills.values()), wheel, HOST_VARS, vaulted)

    def play(self, *args: str) -> Run:
        return play(self.inventory, self.home, "--vault-password-file", str(self.password), *args)


@pytest.fixture
def fleet(tmp_path: Path, wheel: Path) -> Iterator[Fleet]:
    yield Fleet(tmp_path, wheel)


def owner_and_mode(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)


def shipped(name: str) -> bytes:
    return (SYSTEMD_DIR / name).read_bytes()


def check_laid_down(till: Till) -> None:
    """Every file install.sh installs, where it installs it, with the till's settings."""
    root, uid, gid = till.root, os.getuid(), os.getgid()
    etc = root / "etc/tui-pos"
    assert owner_and_mode(etc) == (uid, gid, 0o750)
    assert owner_and_mode(etc / "config.toml") == (uid, gid, 0o640)
    assert owner_and_mode(etc / "tui-pos.env") == (uid, gid, 0o600)
    assert owner_and_mode(etc / "api_token") == (uid, gid, 0o600)
    assert (etc / "api_token").read_text() == TOKENS[till.name] + "\n"

    wanted = HOST_VARS[till.name]
    config = tomllib.loads((etc / "config.toml").read_text())
    assert config["channel_id"] == wanted["tui_pos_channel_id"]
    assert config["api_url"] == "https://afosto.app"
    for setting in ("till_name", "terminal_id", "drawer_id"):
        assert config.get(setting) == wanted.get(f"tui_pos_{setting}")
    assert config.get("printer") == wanted.get("tui_pos_printer")
    assert "api_token" not in config
    settings = load_settings(etc / "config.toml", live=False)  # the till accepts it
    assert settings.channel_id == wanted["tui_pos_channel_id"]
    env_lines = [
        line for line in (etc / "tui-pos.env").read_text().splitlines() if not line.startswith("#")
    ]
    env = dict(line.split("=", 1) for line in env_lines)
    assert env == wanted.get("tui_pos_env", {})

    assert (root / "etc/systemd/system/tui-pos.service").read_bytes() == shipped("tui-pos.service")
    doctor = root / "usr/local/sbin/tui-pos-doctor"
    assert doctor.read_bytes() == shipped("tui-pos-doctor")
    assert owner_and_mode(doctor) == (uid, gid, 0o755)
    for device, placeholder in (("scanner", "05e0:1200"), ("printer", "04b8:0202")):
        name = f"99-tui-pos-{device}.rules"
        rule = root / "etc/udev/rules.d" / name
        usb_id = str(wanted.get(f"tui_pos_{device}_usb_id", placeholder))
        expected = shipped(name).decode()
        for old, new in zip(placeholder.split(":"), usb_id.split(":"), strict=True):
            expected = re.sub(rf'(\{{id(?:Vendor|Product)\}}==)"{old}"', rf'\1"{new}"', expected)
        assert rule.read_text() == expected
        assert owner_and_mode(rule)[2] == 0o644
    if till.name == "till-a":
        assert (
            'ATTRS{idVendor}=="0c2e", ATTRS{idProduct}=="0b61"'
            in (root / "etc/udev/rules.d/99-tui-pos-scanner.rules").read_text()
        )

    assert (root / FONT).read_bytes() == shipped("font/tui-pos-Lat15-Fixed16.psf")
    console = (root / "etc/default/console-setup").read_text().splitlines()
    assert console == [
        'CHARMAP="UTF-8"',
        'CODESET="Lat15"',
        'FONTFACE="Fixed"',
        'FONTSIZE="8x16"',
        f'FONT="/{FONT}"',
    ]
    assert (root / "boot/firmware/cmdline.txt").read_text() == CMDLINE.replace(
        "\n", " consoleblank=0\n"
    )

    venv = root / "opt/tui-pos/venv"
    assert (venv / "bin/tui-pos").is_file()
    version = subprocess.run(
        [
            str(venv / "bin/python"),
            "-c",
            "import importlib.metadata as m; print(m.version('tui-pos'))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert version.stdout.strip() == "0.1.0"
    assert (root / "opt/tui-pos/README.md").read_bytes() == (
        SYSTEMD_DIR.parent / "README.md"
    ).read_bytes()


def check_every_installer_file(till: Till) -> None:
    """What install.sh takes from systemd/ is on the till as it is (the examples: from
    templates), for a till without udev ids of its own."""
    laid_down = {path.read_bytes() for path in till.root.rglob("*") if path.is_file()}
    names = re.findall(r'"\$UNITS/([^"]+)"', INSTALL.read_text())
    assert len(names) >= 6
    assert [
        name for name in names if not name.endswith(".example") and shipped(name) not in laid_down
    ] == []


def test_ansible_lint_passes_the_production_profile() -> None:
    result = subprocess.run(
        [tool("ansible-lint"), "--offline", "--profile", "production", "--nocolor"],
        cwd=ANSIBLE_DIR,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_playbook_and_the_example_inventory_pass_the_syntax_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [tool("ansible-playbook"), "-i", str(EXAMPLE_INVENTORY), str(PLAYBOOK), "--syntax-check"],
        cwd=ANSIBLE_DIR,
        env=ansible_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_example_token_is_vault_encrypted_and_a_placeholder(tmp_path: Path) -> None:
    password = tmp_path / "password"
    password.write_text("example\n")
    result = subprocess.run(
        [
            tool("ansible"),
            "till-1.shop.example",
            "-i",
            str(EXAMPLE_INVENTORY),
            "-m",
            "ansible.builtin.debug",
            "-a",
            "var=tui_pos_api_token",
            "--vault-password-file",
            str(password),
        ],
        cwd=ANSIBLE_DIR,
        env=ansible_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"tui_pos_api_token": "not-a-real-token"' in result.stdout
    text = (EXAMPLE_INVENTORY / "group_vars/tills/vault.yml").read_text()
    assert "tui_pos_api_token: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n" in text
    values = [line for line in text.splitlines() if not line.startswith("#")]
    assert not [line for line in values if "not-a-real-token" in line]


@pytest.mark.slow
def test_a_fleet_is_rolled_out_between_sales_and_a_second_run_changes_nothing(fleet: Fleet) -> None:
    a, b, c = fleet.tills.values()
    a.doctor(busy_polls=2, healthy=True)  # a sale ends after two polls
    b.doctor(busy_polls=-1, healthy=True)  # a sale that outlasts the timeout

    first = fleet.play()
    assert first.returncode == 0, first.output
    assert set(first.recap) == set(TOKENS)
    assert all(counts["failed"] == 0 and counts["changed"] > 0 for counts in first.recap.values())
    for till in fleet.tills.values():
        check_laid_down(till)
    # a: polled until idle, restarted, then healthy at once.
    assert a.doctor_calls() == [
        "1 sale_in_progress=True healthy=True",
        "2 sale_in_progress=True healthy=True",
        "3 sale_in_progress=False healthy=True",
        "4 sale_in_progress=False healthy=True",
    ]
    # b: polled until the timeout (3 s, a poll a second), never restarted, and said so.
    assert b.doctor_calls() == [f"{n} sale_in_progress=True healthy=True" for n in range(1, 5)]
    assert "SKIPPED till-b: not restarted, a sale still in progress after 3 s." in first.output
    assert "SKIPPED till-a" not in first.output
    assert (b.root / "run/tui-pos-restart-pending").exists()
    check_every_installer_file(b)
    assert c.doctor_calls() == [
        "1 sale_in_progress=False healthy=True",
        "2 sale_in_progress=False healthy=True",
    ]
    assert not (a.root / "run/tui-pos-restart-pending").exists()

    # The next run restarts b, its sale over; nothing else changes.
    b.doctor(busy_polls=0, healthy=True)
    second = fleet.play()
    assert second.returncode == 0, second.output
    assert [second.recap[name]["changed"] for name in ("till-a", "till-c")] == [0, 0]
    assert second.recap["till-b"]["changed"] > 0
    assert b.doctor_calls()[4:] == [
        "5 sale_in_progress=False healthy=True",
        "6 sale_in_progress=False healthy=True",
    ]
    assert not (b.root / "run/tui-pos-restart-pending").exists()

    calls = {name: till.doctor_calls() for name, till in fleet.tills.items()}
    third = fleet.play()
    assert third.returncode == 0, third.output
    assert {name: counts["changed"] for name, counts in third.recap.items()} == dict.fromkeys(
        TOKENS, 0
    )
    assert {name: till.doctor_calls() for name, till in fleet.tills.items()} == calls  # no restart
    for till in fleet.tills.values():
        check_laid_down(till)


@pytest.mark.slow
def test_the_roll_out_stops_at_the_first_unhealthy_till(fleet: Fleet) -> None:
    a, b, c = fleet.tills.values()
    b.doctor(busy_polls=0, healthy=False)

    run = fleet.play()
    assert run.returncode != 0
    assert run.recap["till-a"]["failed"] == 0
    assert run.recap["till-b"]["failed"] == 1
    assert "till-b is NOT healthy 3 s after its restart; the roll-out stops here" in run.output
    assert "Printer: offline." in run.output
    check_laid_down(a)
    # b was restarted (idle first), then polled until the healthy timeout.
    assert b.doctor_calls() == [
        "1 sale_in_progress=False healthy=False",
        *[f"{n} sale_in_progress=False healthy=False" for n in range(2, 6)],
    ]
    # c: not touched at all.
    assert c.doctor_calls() == []
    assert not (c.root / "etc/tui-pos").exists()
    assert not (c.root / "opt/tui-pos").exists()
    assert me()  # the run's owners were this user's, not a system user's
