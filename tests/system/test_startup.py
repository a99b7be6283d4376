"""A till that cannot start: its sale screen shows first (the settings are read after
the first paint), then it exits 2 with the one line on the console and in systemd's
status, and systemd starts it again three seconds later."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from tests.support.systemkit import notifications, till_in_pty


def test_a_bad_setting_exits_2_with_one_line_after_the_first_paint(tmp_path: Path) -> None:
    code, after_screen, said = start_in_pty(
        {"TUI_POS_API_TOKEN": "t", "TUI_POS_STATE_DIR": str(tmp_path)}  # no TUI_POS_CHANNEL_ID
    )
    assert code == 2
    line = "tui-pos: configuration error: channel_id: not set"
    assert line in after_screen and "Traceback" not in after_screen
    assert any(n.startswith("STATUS=configuration error: channel_id") for n in said)
    assert "READY=1" not in said
    assert not list(tmp_path.iterdir())  # nothing opened: no journal, no log


def test_a_token_that_cannot_be_sent_exits_2_with_one_line_naming_the_file(
    tmp_path: Path,
) -> None:
    token = tmp_path / "token"
    token.write_bytes(b"\xef\xbb\xbftok-one\r\ntok-two\r\n")  # two tokens pasted in Notepad
    state = tmp_path / "state"
    code, after_screen, said = start_in_pty(
        {
            "TUI_POS_API_TOKEN_FILE": str(token),
            "TUI_POS_CHANNEL_ID": "c",
            "TUI_POS_STATE_DIR": str(state),
        }
    )
    assert code == 2
    line = (
        f"tui-pos: configuration error: api_token_file: {token} has more than one line in it "
        "(from environment variable TUI_POS_API_TOKEN_FILE)"
    )
    assert line in after_screen and "Traceback" not in after_screen
    assert "tok-one" not in after_screen
    assert any(n.startswith("STATUS=configuration error: api_token_file") for n in said)
    assert not state.exists()


def start_in_pty(variables: dict[str, str]) -> tuple[int | None, str, list[str]]:
    """Run the till with ``variables``; its exit code, what it wrote after leaving its
    screen, and what it told systemd."""
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    with tempfile.TemporaryDirectory(prefix="n", dir="/tmp") as short, systemd:
        systemd.bind(f"{short}/notify")
        systemd.setblocking(False)
        env = {
            "NOTIFY_SOCKET": f"{short}/notify",
            "PATH": os.environ.get("PATH", ""),
            "TERM": "linux",
            **variables,
        }
        with till_in_pty(env) as till:
            till.wait_for(b"can or type", timeout=20)
            code = till.wait(10.0)
            till.read_to_end()
            said = notifications(systemd)
    seen = till.out
    after_screen = seen[seen.rfind(b"\x1b[?1049l") :].decode(errors="replace")
    return code, " ".join(after_screen.split()), said
