"""Closing the day is one transaction: the till killed at any point of it (SIGKILL in a
child process, at a given SQLite VM step: deterministic) leaves the day open with no
close field set, or closed with all of them and its Z report; never half."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from tests.support import dayclose
from tests.support.daykit import pay
from tui_pos.checkout import Journal
from tui_pos.checkout.cash import ApprovalAction, Count, MoveKind
from tui_pos.checkout.day import DayBook

ROOT = Path(__file__).parents[2]
KILLS = 24
"""Kill points tried (each a child process of about a tenth of a second)."""
CLOSE_FIELDS = ("closed_at", "closed_by", "approved_by", "counted", "counts", "expected", "note")


def run_child(path: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.support.dayclose", str(path), str(kill_at)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def a_day_to_close(path: Path) -> None:
    journal = Journal(path)
    try:
        book = DayBook(journal)
        book.open_day(Count({2000: 5, 500: 10}), by=2)
        for number in range(6):
            pay(journal, [("CASH", 1000 + number)], change=number, cashier=2)
            pay(journal, [("PIN", 700), ("CASH", 300 + number)], cashier=3)
        book.cash_move(MoveKind.OUT, 5000, "to the safe", by=2, approved_by=1)
    finally:
        journal.close()  # checkpoints the WAL into the file: one file to copy


def state_of(path: Path) -> str:
    """``open`` or ``closed``, after checking the day is wholly one of them."""
    journal = Journal(path)  # recovers the WAL as the till's next start does
    try:
        book = DayBook(journal)
        (day,) = journal._query(f"SELECT {', '.join(CLOSE_FIELDS)}, report FROM day")
        approvals = [a for a in book.approvals(1) if a.action is ApprovalAction.CLOSE_DAY]
        if all(value is None for value in day):
            assert book.current() is not None and approvals == []
            assert book.z_reports() == []
            return "open"
        assert all(value is not None for value in day), day
        stored = book.z_report(1)
        assert stored is not None and stored.counted == dayclose.COUNT.total == day[3]
        assert stored.expected == day[5] and stored.note == dayclose.NOTE
        assert book.current() is None and len(approvals) == 1
        return "closed"
    finally:
        journal.close()


def test_the_day_is_closed_whole_or_not_at_all_wherever_the_till_is_killed(
    tmp_path: Path,
) -> None:
    original = tmp_path / "original.sqlite3"
    a_day_to_close(original)
    whole = tmp_path / "whole" / "journal.sqlite3"
    whole.parent.mkdir()
    shutil.copyfile(original, whole)
    done = run_child(whole, 0)
    assert done.returncode == 0, done.stderr
    steps = int(done.stdout)
    assert state_of(whole) == "closed"

    rng = random.Random(4)
    points = sorted({1, steps, *rng.sample(range(2, steps), KILLS - 2)})
    seen = []
    for kill_at in points:
        path = tmp_path / f"kill-{kill_at}" / "journal.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(original, path)
        child = run_child(path, kill_at)
        assert child.returncode == -signal.SIGKILL, (kill_at, child.stderr)
        seen.append(state_of(path))
    assert {"open", "closed"} <= set(seen), seen  # kills fell on both sides of the commit
    assert seen == sorted(seen, key=["open", "closed"].index)  # open until the commit
