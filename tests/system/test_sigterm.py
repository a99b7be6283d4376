"""Under systemd: READY once the sale screen is up, watchdog pings from the event loop,
and SIGTERM exits 0 within 2 s with STOPPING, the journal intact, and the token on no
screen and in no log."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import tempfile
from pathlib import Path

from tests.support.systemkit import notifications, till_in_pty
from tests.support.waiting import eventually
from tui_pos.checkout.journal import JOURNAL_NAME
from tui_pos.sim import DEMO_CHANNEL_ID, Simulator, run_in_thread
from tui_pos.sim.catalog import CATALOG

TOKEN = "s3cret-till-token-42"
CODE = next(iter(CATALOG))


def test_sigterm_exits_cleanly_with_the_sale_kept(tmp_path: Path) -> None:
    sim = Simulator(tokens=[TOKEN])
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    with (
        tempfile.TemporaryDirectory(prefix="n", dir="/tmp") as short,  # socket paths are short
        systemd,
        run_in_thread(sim) as base_url,
    ):
        systemd.bind(f"{short}/notify")
        systemd.setblocking(False)
        env = {
            "NOTIFY_SOCKET": f"{short}/notify",
            "WATCHDOG_USEC": "400000",  # a ping every 0.2 s
            "PATH": os.environ.get("PATH", ""),
            "TERM": "linux",
            "TUI_POS_API_URL": base_url,
            "TUI_POS_API_TOKEN": TOKEN,
            "TUI_POS_CHANNEL_ID": DEMO_CHANNEL_ID,
            "TUI_POS_STATE_DIR": str(tmp_path),
            "TUI_POS_SCANNER__ENABLED": "false",
        }
        code: int | None = None
        with till_in_pty(env) as till:
            till.wait_for(b"can or type", timeout=20)  # "S" may be under the cursor
            till.write(CODE.encode() + b"\r")
            till.wait_for(b"Melk halfvol", timeout=20)
            before: list[str] = []

            def pinged() -> bool:  # the watchdog's first ping, 0.2 s after it is up
                till.pump(0.02)
                before.extend(notifications(systemd))
                return "WATCHDOG=1" in before

            eventually(pinged, "a watchdog ping", seconds=10)
            os.kill(till.pid, signal.SIGTERM)
            code = till.wait(2.0)
            after = notifications(systemd)
    assert code == 0
    assert before[0] == "READY=1" and "WATCHDOG=1" in before  # the sale screen was up
    assert after == ["STOPPING=1"]
    with sqlite3.connect(tmp_path / JOURNAL_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        cart = db.execute("SELECT sku, quantity FROM cart").fetchall()
        status = db.execute("SELECT status FROM sale").fetchall()
    assert cart == [(CODE, 1)] and status == [("active",)]  # resumes on the next start
    assert TOKEN.encode() not in till.out
    for log in tmp_path.glob("*.log*"):
        assert TOKEN not in log.read_text()
