"""A till that cannot start: its sale screen shows first (the settings are read after
the first paint), then it exits 2 with the one line on the console and in systemd's
status, and systemd starts it again three seconds later."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import socket
import struct
import sys
import tempfile
import termios
from pathlib import Path

from systemkit import drain, notifications, read_until, wait_exit


def test_a_bad_setting_exits_2_with_one_line_after_the_first_paint(tmp_path: Path) -> None:
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    with tempfile.TemporaryDirectory(prefix="n", dir="/tmp") as short, systemd:
        systemd.bind(f"{short}/notify")
        systemd.setblocking(False)
        env = {
            "NOTIFY_SOCKET": f"{short}/notify",
            "PATH": os.environ.get("PATH", ""),
            "TERM": "linux",
            "TUI_POS_API_TOKEN": "t",  # no TUI_POS_CHANNEL_ID
            "TUI_POS_STATE_DIR": str(tmp_path),
        }
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(sys.executable, [sys.executable, "-m", "tui_pos"], env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.set_blocking(fd, False)
        seen = bytearray()
        code: int | None = None
        try:
            read_until(fd, b"can or type", seen)
            code = wait_exit(pid, 10.0)
            drain(fd, seen)
            said = notifications(systemd)
        finally:
            if code is None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(fd)
    assert code == 2
    after_screen = seen[seen.rfind(b"\x1b[?1049l") :].decode(errors="replace")
    line = "tui-pos: configuration error: channel_id: not set"
    assert line in after_screen and "Traceback" not in after_screen
    assert any(n.startswith("STATUS=configuration error: channel_id") for n in said)
    assert "READY=1" not in said
    assert not list(tmp_path.iterdir())  # nothing opened: no journal, no log
