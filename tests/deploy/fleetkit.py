"""The role's tests' fleet: tills as throwaway root directories on this machine
(``ansible_connection: local``), each with its own doctor (doctor_states.py), and
ansible-playbook run on them with a timeout, its PLAY RECAP parsed."""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).parents[2]
ANSIBLE_DIR = REPO / "deploy" / "ansible"
PLAYBOOK = ANSIBLE_DIR / "site.yml"
EXAMPLE_INVENTORY = ANSIBLE_DIR / "inventory" / "example"
DOCTOR = Path(__file__).with_name("doctor_states.py")
BIN = Path(sys.executable).parent
RUN_TIMEOUT = 600
"""Seconds for one ansible run on the whole fleet; a hung run fails the test."""

SKELETON = ["etc", "opt", "usr/local/share", "run", "boot/firmware"]
"""What a till's root has before tui-pos: the directories the role writes into."""
CMDLINE = "console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootwait\n"

RECAP = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+"
    r"unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)\s+"
    r"rescued=(?P<rescued>\d+)\s+ignored=(?P<ignored>\d+)",
    re.MULTILINE,
)


def tool(name: str) -> str:
    """An ansible command of this venv (the test extra installs them)."""
    return str(BIN / name)


def ansible_env(home: Path) -> dict[str, str]:
    """The environment of an ansible run: plain output, its files under ``home``, and
    no PYTHONPATH (the tills' pip must not see the checkout as installed)."""
    return {
        **{key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        "ANSIBLE_CONFIG": str(ANSIBLE_DIR / "ansible.cfg"),
        "ANSIBLE_HOME": str(home),
        "ANSIBLE_LOCAL_TEMP": str(home / "tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


@dataclass
class Run:
    returncode: int
    output: str
    recap: dict[str, dict[str, int]]


def play(inventory: Path, home: Path, *args: str) -> Run:
    """``ansible-playbook site.yml`` on ``inventory``, bounded by RUN_TIMEOUT."""
    result = subprocess.run(
        [tool("ansible-playbook"), "-i", str(inventory), str(PLAYBOOK), *args],
        cwd=ANSIBLE_DIR,
        env=ansible_env(home),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    output = result.stdout + result.stderr
    recap = {
        match["host"]: {
            key: int(value) for key, value in match.groupdict().items() if key != "host"
        }
        for match in RECAP.finditer(output.partition("PLAY RECAP")[2])
    }
    return Run(result.returncode, output, recap)


def build_wheel(into: Path) -> Path:
    """The tui-pos wheel of this checkout, built from a copy (the checkout stays clean)."""
    source = into / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    for name in ("tui_pos", "styles"):
        shutil.copytree(
            REPO / name,
            source / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(into),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=RUN_TIMEOUT,
    )
    (wheel,) = into.glob("tui_pos-*.whl")
    return wheel


def vault(value: str, name: str, password_file: Path, home: Path) -> str:
    """``ansible-vault encrypt_string``'s YAML for ``name: value`` (as an operator makes it)."""
    result = subprocess.run(
        [
            tool("ansible-vault"),
            "encrypt_string",
            "--vault-password-file",
            str(password_file),
            "--name",
            name,
            value,
        ],
        env=ansible_env(home),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


@dataclass
class Till:
    """One till: its root, and the file that says what its doctor answers."""

    name: str
    dir: Path

    @property
    def root(self) -> Path:
        return self.dir / "root"

    def doctor(self, *, busy_polls: int, healthy: bool) -> None:
        """The doctor's states: a sale in progress for busy_polls calls (-1: for ever)."""
        (self.dir / "doctor.json").write_text(
            json.dumps({"busy_polls": busy_polls, "healthy": healthy})
        )

    def doctor_calls(self) -> list[str]:
        log = self.dir / "doctor.log"
        return log.read_text().splitlines() if log.exists() else []


def make_till(base: Path, name: str) -> Till:
    till = Till(name, base / name)
    for directory in SKELETON:
        (till.root / directory).mkdir(parents=True)
    (till.root / "boot/firmware/cmdline.txt").write_text(CMDLINE)
    till.doctor(busy_polls=0, healthy=True)
    return till


def me() -> tuple[str, str]:
    """This process's user and group: the owners in a throwaway root (no system users)."""
    return pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name


def write_inventory(
    path: Path,
    tills: list[Till],
    wheel: Path,
    host_vars: dict[str, dict[str, object]],
    vaulted: dict[str, str],
    *,
    poll_delay: int = 1,
    idle_timeout: int = 3,
    healthy_timeout: int = 3,
) -> None:
    """A YAML inventory of ``tills`` in a group ``tills``, each local, run as this user.

    ``vaulted``: each till's ``ansible-vault encrypt_string`` output for its token.
    """
    user, group = me()
    common = {
        "ansible_connection": "local",
        "ansible_become": False,
        "ansible_python_interpreter": sys.executable,
        "tui_pos_python": sys.executable,
        "tui_pos_wheel": str(wheel),
        # The package only: its dependencies come from PyPI on a real till.
        "tui_pos_pip_extra_args": "--no-deps --no-index",
        "tui_pos_user": user,
        "tui_pos_group": group,
        "tui_pos_admin_user": user,
        "tui_pos_admin_group": group,
        "tui_pos_poll_delay": poll_delay,
        "tui_pos_idle_timeout": idle_timeout,
        "tui_pos_healthy_timeout": healthy_timeout,
    }
    lines = ["tills:", "  hosts:"]
    for till in tills:
        lines.append(f"    {till.name}:")
        own = {
            "tui_pos_root": str(till.root),
            "tui_pos_doctor_command": [sys.executable, str(DOCTOR), str(till.dir)],
            **host_vars.get(till.name, {}),
        }
        lines += [f"      {key}: {json.dumps(value)}" for key, value in own.items()]
        lines += ["      " + line for line in vaulted[till.name].splitlines()]
    lines.append("  vars:")
    lines += [f"    {key}: {json.dumps(value)}" for key, value in common.items()]
    path.write_text("\n".join(lines) + "\n")
