"""Starting the till and the bare app on a pty, the way the service starts the till."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.ptyproc import PtyProc

ROOT = Path(__file__).resolve().parent.parent
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


def spawn_till(api_url: str, state_dir: str, cols: int = 80, rows: int = 24) -> PtyProc:
    """``tui-pos`` (live mode, no scanner) against ``api_url``, journal in ``state_dir``."""
    argv = [sys.executable, "-m", "tui_pos"]
    return PtyProc(argv, till_env(api_url, state_dir), cols, rows, cwd=str(ROOT))


def spawn_bare(cols: int = 80, rows: int = 24, *, blink: bool = True) -> PtyProc:
    argv = [sys.executable, "-m", "bench.bare", *([] if blink else ["--no-blink"])]
    return PtyProc(argv, base_env(), cols, rows, cwd=str(ROOT))


@contextmanager
def state_dir(parent: str | None = None) -> Iterator[str]:
    """A fresh journal folder (on the disk under /tmp unless ``parent`` says otherwise)."""
    with tempfile.TemporaryDirectory(prefix="tui-pos-bench-", dir=parent) as folder:
        yield folder
