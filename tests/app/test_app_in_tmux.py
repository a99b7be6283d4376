"""The acceptance run: ``tui-pos --demo`` in tmux as on the Linux console, at 80x24.

Sign in with the training till's cashier, the float, three codes, F9, the approval, the
invoice number; and a shop's day: a cash sale, a lock and a second cashier, cash out with
a manager's approval, the X report, the Z with a blind count and a difference explained,
the next day opened. No character outside the console font on any screen on the way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.appkit import CODES, font_glyphs
from tests.support.qrkit import decode_cells
from tui_pos.app.qr import Glyphs

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

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "till", *keys)

    def type_slowly(self, text: str) -> None:
        """A person typing (a key per 50 ms), not a scanner's burst."""
        for char in text:
            self.keys("-l", char)
            time.sleep(0.05)

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


@contextmanager
def demo_in_tmux(name: str, term: str) -> Iterator[Tmux]:
    """``tui-pos --demo`` at 80x24 with ``TERM=term``, on a tmux server of its own."""
    server = Tmux(f"tui-pos-test-{name}")
    command = f"env TERM={term} {sys.executable} -m tui_pos --demo"
    server.run("new-session", "-d", "-s", "till", "-x", "80", "-y", "24", command)
    try:
        yield server
    finally:
        subprocess.run(["tmux", "-L", server.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    with demo_in_tmux(tmp_path.name, "linux") as server:
        yield server


def check_glyphs(seen: list[str]) -> None:
    glyphs = font_glyphs() | {"\n"}
    outside = sorted({char for screen in seen for char in screen if char not in glyphs})
    assert not outside, f"not in the console font: {outside!r}"


def sign_in(tmux: Tmux, seen: list[str], number: str, pin: str) -> None:
    tmux.wait_for("Sign in", seen)
    tmux.keys(number, "Enter", pin, "Enter")


def count_total(tmux: Tmux, seen: list[str], title: str, total: str) -> None:
    """On the count screen: Enter past every note and coin, the total, Enter."""
    tmux.wait_for(title, seen)
    tmux.keys(*["Enter"] * 15)
    tmux.type_slowly(total)
    tmux.keys("Enter")


def one_item_sold_by_sam(tmux: Tmux, seen: list[str]) -> None:
    """Sam signed in, the float of day 1 counted (100), one item scanned."""
    sign_in(tmux, seen, "1", "1111")
    count_total(tmux, seen, "The float for day 1", "100")
    tmux.wait_for("Sam (1)", seen)
    tmux.keys(CODES[0], "Enter")
    tmux.wait_for("1 item", seen)


def test_three_codes_f9_approval_and_invoice_on_the_console(tmux: Tmux) -> None:
    seen: list[str] = []
    sign_in(tmux, seen, "1", "1111")
    count_total(tmux, seen, "The float for day 1", "100")
    tmux.wait_for("Day 1 opened with a float of € 100,00.", seen)
    for code in CODES[:3]:
        tmux.keys(code, "Enter")
    tmux.wait_for("3 items", seen)
    tmux.keys("F9")
    tmux.wait_for("tap, insert or swipe", seen)
    final = tmux.wait_for("Invoice F", seen)
    assert "Paid: order" in final and "PAID" in final and "Served by Sam" in final
    check_glyphs(seen)


def test_a_shops_day_two_cashiers_and_a_manager(tmux: Tmux) -> None:
    seen: list[str] = []
    one_item_sold_by_sam(tmux, seen)
    tmux.keys("F10")
    tmux.wait_for("Cash payment", seen)
    tmux.type_slowly("20")
    tmux.keys("Enter")
    tmux.wait_for("Invoice F", seen)
    tmux.keys("Enter")  # the next sale
    tmux.wait_for("New sale", seen)
    tmux.keys("F11")  # the lock
    sign_in(tmux, seen, "2", "2222")
    tmux.wait_for("Alex (2)", seen)
    tmux.keys("F12")
    tmux.wait_for("X REPORT - day 1 (open)", seen)
    tmux.keys("o")
    tmux.wait_for("Cash out of the drawer", seen)  # a key before the dialog is up is lost
    tmux.type_slowly("20")
    tmux.keys("Enter")
    tmux.type_slowly("safe")
    tmux.keys("Enter")
    tmux.wait_for("Manager approval: Cash out € 20,00: safe", seen)
    tmux.keys("9", "Enter", "9999", "Enter")
    x = tmux.wait_for("Cash out: € 20,00 (safe).", seen)  # said on the day's page
    assert "Expected in drawer                 € 81,19" in x
    tmux.keys("z")
    tmux.wait_for("Manager approval: Close the day", seen)
    tmux.keys("9", "Enter", "9999", "Enter")
    closing = tmux.wait_for("closing day 1", seen)
    assert "Expected" not in closing  # a blind count
    count_total(tmux, seen, "closing day 1", "80")
    tmux.wait_for("The count differs", seen)
    tmux.type_slowly("miscount")
    tmux.keys("Enter")
    count_total(tmux, seen, "The float for day 2", "80")
    tmux.wait_for("Z REPORT - day 1", seen)
    tmux.keys("PageDown")
    z = tmux.wait_for("Note: miscount", seen)
    assert "Difference (short)" in z
    tmux.keys("Escape")
    tmux.wait_for("Day 2 opened with a float of € 80,00.", seen)
    check_glyphs(seen)


def test_a_customer_by_search_by_card_and_removed_on_the_console(tmux: Tmux) -> None:
    seen: list[str] = []
    one_item_sold_by_sam(tmux, seen)
    tmux.keys("F5")
    tmux.wait_for("No customer on the sale.", seen)
    tmux.type_slowly("janss")  # a person: 6+ keys this fast would be a scanner's burst
    tmux.wait_for("Zoë Janssens  K100001", seen)
    tmux.keys("Down", "Enter")
    tmux.wait_for("1 item  |  Zoë Janssens (K100001)", seen)
    tmux.keys("K200002", "Enter")  # a customer card, as a wedge scanner types it
    tmux.wait_for("1 item  |  Café De Zwaan BV (K200002)", seen)
    tmux.keys("F5")
    tmux.wait_for("On the sale: Café De Zwaan BV (K200002)", seen)
    tmux.keys("F4")
    screen = tmux.wait_for("Sale 1000001  |  1 item\n", seen)
    assert "K200002" not in screen
    check_glyphs(seen)


def pay_by_page(tmux: Tmux, seen: list[str], key: str, method: str) -> str:
    """One item, F8 and the page method's key: the panel."""
    one_item_sold_by_sam(tmux, seen)
    tmux.keys("F8")
    tmux.wait_for(f"{key}: {method}", seen)
    tmux.keys(key)
    return tmux.wait_for("Time left", seen)


def test_an_ideal_page_on_the_console_written_out_and_paid(tmux: Tmux) -> None:
    """On the console the till cannot read the loaded font here (no console in tmux):
    the page's address is written out; the demo pays the page by itself."""
    seen: list[str] = []
    panel = pay_by_page(tmux, seen, "F5", "iDEAL")
    assert "The customer types this address:" in panel and "http://127.0.0.1:" in panel
    final = tmux.wait_for("Invoice F", seen, seconds=60)
    assert "IDEAL" in final
    check_glyphs(seen)


def test_over_ssh_a_phone_reads_the_qr_code_off_the_screen_and_pays(tmp_path: Path) -> None:
    """A terminal over SSH has half blocks: the QR code drawn at 80x24 is read off the
    screen tmux shows, and the page it leads to is paid as a phone would."""
    seen: list[str] = []
    with demo_in_tmux(tmp_path.name, "xterm-256color") as tmux:
        panel = pay_by_page(tmux, seen, "F6", "Payconiq")
        rows = panel.splitlines()[1:23]
        url = decode_cells([row[40:] for row in rows], Glyphs.HALF)
        assert url.startswith("http://127.0.0.1:") and "/pay/" in url
        assert httpx.post(f"{url}/pay", timeout=10).status_code == 200
        final = tmux.wait_for("Invoice F", seen, seconds=30)
        assert "PAYCONIQ" in final
