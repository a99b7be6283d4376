"""The till's Python stack runs with writable executable memory refused, as
``MemoryDenyWriteExecute=yes`` refuses it (here through the kernel's ``PR_SET_MDWE``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import ctypes, errno, mmap, sys
if ctypes.CDLL(None, use_errno=True).prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, REFUSE_EXEC_GAIN
    sys.exit(77 if ctypes.get_errno() == errno.EINVAL else 1)
try:
    mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    sys.exit("writable executable memory was allowed")
except PermissionError:
    pass

import asyncio
from pathlib import Path
import evdev, tui_pos.app, tui_pos.doctor
from pydantic import SecretStr
from textual.app import App
from textual.widgets import DataTable, Footer, Input
from tui_pos.afosto import AfostoClient
from tui_pos.checkout import Journal
from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, SimTransport, Simulator

class Screen(App[None]):
    def compose(self):
        yield Input("8712345678906")
        yield DataTable()
        yield Footer()

async def main():
    async with Screen().run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
    async with AfostoClient(
        "http://sim", SecretStr(DEMO_TOKEN), transport=SimTransport(Simulator())
    ) as client:
        order = await client.create_order(DEMO_CHANNEL_ID)
    journal = Journal(Path(sys.argv[1]) / "journal.sqlite3")
    journal.set_order(journal.new_sale(), order.id, order.number)
    journal.close()

asyncio.run(main())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_MDWE is Linux's")
def test_the_stack_needs_no_writable_executable_memory(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    if result.returncode == 77:
        pytest.skip("this kernel has no PR_SET_MDWE (Linux 6.3 and later)")
    assert result.returncode == 0, result.stderr
