"""Starting the till and the bare app on a pty, the way the service starts the till.

Both run on the interpreter of :func:`runtime_python`: a venv with the till's runtime
dependencies only, as ``systemd/install.sh`` builds it on a till. The development venv
also holds the test tools, and some change what the till loads: with textual-dev's
``click`` installed, ``import httpx`` also loads httpx's command line (rich's syntax
highlighting, pygments), some 6 MiB and 35 ms that a till never spends.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.ptyproc import PtyProc

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_VENV = ROOT / ".bench-venv"
PYTHON = [sys.executable]
"""The interpreter the till and the bare app run on (``--python`` or the runtime venv)."""


def runtime_python() -> str:
    """The runtime venv's interpreter, made (or brought up to date) on first use: the
    ``dependencies`` of ``pyproject.toml`` and nothing else, at the versions of the venv
    the bench runs in (the till's own code comes from this checkout, on ``PYTHONPATH``)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wanted = "\n".join(dependencies) + "\n--\n" + frozen
    python = RUNTIME_VENV / "bin" / "python"
    stamp = RUNTIME_VENV / "wanted.txt"
    if not (python.exists() and stamp.exists() and stamp.read_text() == wanted):
        print(f"making {RUNTIME_VENV.name}: the runtime dependencies...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(RUNTIME_VENV)], check=True)
        constraints = RUNTIME_VENV / "constraints.txt"
        constraints.write_text(frozen)
        pip = [str(python), "-m", "pip", "install", "-qq", "--disable-pip-version-check"]
        subprocess.run([*pip, "-c", str(constraints), *dependencies], check=True)
        stamp.write_text(wanted)
    return str(python)


READY = b"can or type a code"
"""The entry field's placeholder (its first letter may be under the cursor): painted
when the sale screen is."""

BASE_ENV = {
    # As systemd/tui-pos.service sets them (the Linux console).
    "TERM": "linux",
    "LANG": "C.UTF-8",
    "PYTHONUTF8": "1",
    "TEXTUAL_ANIMATIONS": "none",
}


def base_env() -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **BASE_ENV}
    env["PYTHONPATH"] = str(ROOT)
    return env


def till_env(api_url: str, state_dir: str) -> dict[str, str]:
    return {
        **base_env(),
        "TUI_POS_API_URL": api_url,
        "TUI_POS_API_TOKEN": "demo-token",
        "TUI_POS_CHANNEL_ID": "pos-demo",
        "TUI_POS_STATE_DIR": state_dir,
        "TUI_POS_SCANNER__ENABLED": "false",
    }


def spawn_till(
    api_url: str,
    state_dir: str,
    cols: int = 80,
    rows: int = 24,
    *,
    notify: str | None = None,
    env: dict[str, str] | None = None,
) -> PtyProc:
    """``tui-pos`` (live mode, no scanner) against ``api_url``, journal in ``state_dir``;
    ``notify``: the socket it tells "READY=1" once its engine is up, as it tells systemd;
    ``env``: more settings (``TUI_POS_*``)."""
    argv = [*PYTHON, "-m", "tui_pos"]
    notified = {"NOTIFY_SOCKET": notify} if notify else {}
    env = till_env(api_url, state_dir) | notified | (env or {})
    return PtyProc(argv, env, cols, rows, cwd=str(ROOT))


@contextmanager
def notify_socket() -> Iterator[tuple[str, socket.socket]]:
    """A datagram socket standing in for systemd's: its path, and the socket."""
    with (
        tempfile.TemporaryDirectory(prefix="n", dir="/tmp") as folder,  # paths are short
        socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock,
    ):
        path = f"{folder}/notify"
        sock.bind(path)
        sock.setblocking(False)
        yield path, sock


def wait_ready(till: PtyProc, sock: socket.socket, timeout: float = 30.0) -> float:
    """Read the till's output until it has said READY=1 (engine and scanner started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if b"READY=1" in sock.recv(4096).split(b"\n"):
                return time.monotonic()
        except BlockingIOError:
            till.pump(0.01)
    raise TimeoutError("the till never said READY=1")


def spawn_bare(
    cols: int = 80, rows: int = 24, *, blink: bool = True, libraries: bool = False
) -> PtyProc:
    flags = [*([] if blink else ["--no-blink"]), *(["--libraries"] if libraries else [])]
    argv = [*PYTHON, "-m", "bench.bare", *flags]
    return PtyProc(argv, base_env(), cols, rows, cwd=str(ROOT))


@contextmanager
def state_dir(parent: str | None = None) -> Iterator[str]:
    """A fresh journal folder (on the disk under /tmp unless ``parent`` says otherwise)."""
    with tempfile.TemporaryDirectory(prefix="tui-pos-bench-", dir=parent) as folder:
        yield folder
