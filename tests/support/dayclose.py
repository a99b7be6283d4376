"""A child process that closes the open day of a journal and is killed (SIGKILL, as a
power cut kills the till's process) after a given number of SQLite VM steps, wherever
that falls: before, inside or after the close's transaction. No hook in the till's
code: SQLite's progress handler counts the steps.

``python -m tests.support.dayclose JOURNAL STEPS``: ``STEPS`` 0 runs to the end and
prints the number of steps taken."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from tui_pos.checkout.cash import Count
from tui_pos.checkout.day import DayBook
from tui_pos.checkout.journal import Journal

COUNT = Count({5000: 3, 1000: 2, 200: 1, 5: 4})
NOTE = "short: a tenner found under the drawer later"


def main(path: Path, kill_at: int) -> None:
    journal = Journal(path)  # opened (and migrated) before the steps are counted
    book = DayBook(journal)
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return 0

    journal._db.set_progress_handler(step, 1)
    book.close_day(COUNT, NOTE, by=2, approved_by=1)
    book.z_reports()  # reads after the commit: a kill there leaves the day closed
    book.current()
    print(steps)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
