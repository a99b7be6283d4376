"""The acceptance run: ``tui-pos --demo`` in tmux as on the Linux console, at 80x24.

Three codes, F9, the approval, the invoice number, and no character outside the console
font on any screen on the way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.appkit import CODES, font_glyphs

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """A private tmux server running one command in an 80x24 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        command = ["tmux", "-L", self.socket, *args]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "till")

    def wait_for(self, text: str, seen: list[str], seconds: float = 20) -> str:
        deadline = time.monotonic() + seconds
        while True:
            screen = self.screen()
            seen.append(screen)
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; the screen:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(f"tui-pos-test-{tmp_path.name}")
    command = f"env TERM=linux {sys.executable} -m tui_pos --demo"
    server.run("new-session", "-d", "-s", "till", "-x", "80", "-y", "24", command)
    try:
        yield server
    finally:
        subprocess.run(["tmux", "-L", server.socket, "kill-server"], capture_output=True)


def test_three_codes_f9_approval_and_invoice_on_the_console(tmux: Tmux) -> None:
    seen: list[str] = []
    tmux.wait_for("Scan or type a code", seen)
    for code in CODES[:3]:
        tmux.run("send-keys", "-t", "till", code, "Enter")
    tmux.wait_for("3 items", seen)
    tmux.run("send-keys", "-t", "till", "F9")
    tmux.wait_for("tap, insert or swipe", seen)
    final = tmux.wait_for("Invoice F", seen)
    assert "Paid: order" in final and "PAID" in final
    glyphs = font_glyphs() | {"\n"}
    outside = sorted({char for screen in seen for char in screen if char not in glyphs})
    assert not outside, f"not in the console font: {outside!r}"
