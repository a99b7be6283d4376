"""Faults a shop meets before the first scan, with the real till in a pty against the
simulator: a token file saved by Windows Notepad, a second till on the same state_dir,
a damaged journal. The till either works normally or stops with one line (exit 2, so
systemd tries again) that says what is wrong; it never half-works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.chaoskit import (
    TOKEN,
    A,
    B,
    Chaos,
    TillProcess,
    assert_money_invariants,
    assert_sale_completed,
    newest,
    pay_cash,
    scan,
)

pytestmark = pytest.mark.chaos


def stopped(world: Chaos, **env: str | None) -> tuple[int | None, str]:
    """Start a till that must stop by itself: its exit code and all it wrote, flat."""
    merged = {**world.base_env(), **env}
    till = TillProcess({key: value for key, value in merged.items() if value is not None})
    world.tills.append(till)
    till.wait_until(lambda: not till.alive(), "the till stopping", seconds=30)
    till.pump(0.2)
    return till.status, " ".join(till.screen.raw.decode(errors="replace").split())


def test_a_token_file_saved_by_notepad_scans_and_pays(world: Chaos, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_bytes(b"\xef\xbb\xbf" + TOKEN.encode() + b"\r\n")  # UTF-8 with BOM, CRLF
    till = world.start_till(TUI_POS_API_TOKEN=None, TUI_POS_API_TOKEN_FILE=str(token))
    scan(world, till, A, B)
    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1, B: 1})


def test_a_token_that_cannot_be_sent_stops_the_till_in_one_line(
    world: Chaos, tmp_path: Path
) -> None:
    token = tmp_path / "token"
    token.write_bytes(TOKEN.encode() + b"\r\n" + TOKEN.encode() + b"\r\n")  # pasted twice
    code, said = stopped(world, TUI_POS_API_TOKEN=None, TUI_POS_API_TOKEN_FILE=str(token))
    assert code == 2
    assert f"tui-pos: configuration error: api_token_file: {token} has more than one line" in said
    assert "Traceback" not in said and TOKEN not in said
    assert not world.server.orders()


def test_a_second_till_on_the_same_state_dir_stops_naming_the_first(world: Chaos) -> None:
    first = world.start_till()
    scan(world, first, A)
    code, said = stopped(world)
    assert code == 2
    assert f"tui-pos: {world.state_dir} is in use by another till (pid {first.pid})" in said
    assert "Traceback" not in said
    scan(world, first, B)  # the first till goes on, alone on its journal
    pay_cash(first)
    first.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1, B: 1})


def cut_short(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def emptied(path: Path) -> None:
    path.write_bytes(b"")


def journal_command(world: Chaos, action: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_pos", "journal", action],
        env=world.base_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("damage", [cut_short, emptied], ids=["cut short", "emptied"])
def test_a_damaged_journal_stops_the_till_until_support_sets_it_aside(
    world: Chaos, damage: object
) -> None:
    till = world.start_till()
    scan(world, till, A)
    number = newest(world)["number"]
    till.kill(15)  # systemd stops it; the SD card then loses the journal's pages
    assert till.status == 0
    journal = world.state_dir / "journal.sqlite3"
    assert callable(damage)
    damage(journal)

    code, said = stopped(world)
    assert code == 2  # systemd tries again in 3 s; each time the same line, no fresh start
    assert f"The till's records are damaged: {journal} is " in said
    assert "No sale can start. Call support (run `tui-pos journal check`, " in said
    assert "Traceback" not in said and "cannot be written" not in said

    checked = journal_command(world, "check")
    assert checked.returncode == 1 and checked.stdout.startswith(f"DAMAGED: {journal} is ")
    aside = journal_command(world, "set-aside")
    assert aside.returncode == 0, aside.stderr
    assert ".damaged-" in aside.stdout and "set aside (nothing deleted)" in aside.stdout
    if damage is cut_short:  # what could still be read is listed for support
        assert f"order {number}, " in aside.stdout and "not paid (in progress)" in aside.stdout
    assert journal_command(world, "check").returncode == 2  # none now: the till makes one

    till = world.start_till()  # a fresh journal: the next sale goes through
    scan(world, till, B)
    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F")
    assert_money_invariants(world.server.orders())
