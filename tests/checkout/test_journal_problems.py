"""Why the journal cannot be used, from SQLite's result code or the OS's errno: each
reason made to happen for real (a full database, a read-only connection, a lock held
by another, a file that is no database), and the detail names the file."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_pos.checkout.journal import (
    JOURNAL_NAME,
    Journal,
    JournalDamaged,
    JournalError,
    JournalProblem,
    _reason,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / JOURNAL_NAME


@pytest.fixture
def journal(path: Path) -> Iterator[Journal]:
    journal = Journal(path)
    yield journal
    journal.close()


def full_database(path: Path) -> sqlite3.Error:
    """SQLite's own SQLITE_FULL: a write past the database's ``max_page_count``."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("CREATE TABLE filler (data BLOB)")
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        db.execute(f"PRAGMA max_page_count = {pages}")
        db.execute("INSERT INTO filler VALUES (zeroblob(100000))")
    except sqlite3.Error as exc:
        return exc
    finally:
        db.close()
    raise AssertionError("SQLite wrote past max_page_count")


def test_a_full_database_is_full(path: Path) -> None:
    exc = full_database(path)
    assert exc.sqlite_errorname == "SQLITE_FULL"
    assert _reason(exc, path) == (JournalProblem.FULL, f"the disk holding {path} is full")


def test_a_write_to_a_full_journal_says_it_is_full(journal: Journal) -> None:
    """SQLite rolls a transaction back by itself on a full disk: the full disk is what
    is said, not the failed ROLLBACK after it."""
    (pages,) = journal._db.execute("PRAGMA page_count").fetchone()
    journal._db.execute(f"PRAGMA max_page_count = {pages}")
    sale = journal.new_sale()
    with pytest.raises(JournalError) as caught:
        for n in range(1000):
            journal.set_quantity(sale, f"{n:05d}" + "x" * 1000, 1)
    assert caught.value.reason is JournalProblem.FULL
    assert not journal._db.in_transaction


def test_a_read_only_connection_is_read_only(journal: Journal, path: Path) -> None:
    journal._db.execute("PRAGMA query_only = ON")  # SQLite says SQLITE_READONLY
    with pytest.raises(JournalError) as caught:
        journal.check_writable()
    assert caught.value.reason is JournalProblem.READ_ONLY
    assert str(caught.value) == f"{path} cannot be written (read-only)"


def test_a_journal_another_program_holds_is_locked(journal: Journal, path: Path) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        journal._db.execute("PRAGMA busy_timeout = 0")  # SQLITE_BUSY at once
        with pytest.raises(JournalError) as caught:
            journal.check_writable()
    finally:
        other.close()
    assert caught.value.reason is JournalProblem.LOCKED
    assert str(caught.value).startswith(f"{path} is locked by another program (")


def test_a_file_that_is_no_database_is_damaged(path: Path) -> None:
    path.write_bytes(b"not a database " * 512)  # SQLite says SQLITE_NOTADB
    with pytest.raises(JournalDamaged) as caught:
        Journal(path)
    assert caught.value.reason is JournalProblem.DAMAGED
    assert str(caught.value).startswith(f"{path} is damaged (SQLite says: ")


def test_a_read_that_fails_is_a_journal_error_too(path: Path) -> None:
    """Reads are mapped as writes are: a connection gone from under the till (closed
    here) raises JournalError, which the app says in words, not sqlite3's own."""
    journal = Journal(path)
    sale_id = journal.new_sale()
    journal.close()
    for read in (journal.recent_sales, journal.active_sale, lambda: journal.cart(sale_id)):
        with pytest.raises(JournalError):
            read()


def test_a_state_dir_that_is_a_file_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("")
    with pytest.raises(JournalError) as caught:
        Journal(tmp_path / "state" / JOURNAL_NAME)
    assert caught.value.reason is JournalProblem.UNWRITABLE
    assert str(caught.value).startswith(f"{tmp_path / 'state' / JOURNAL_NAME} cannot be written")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, JournalProblem.FULL),
        (errno.EROFS, JournalProblem.READ_ONLY),
        (errno.EACCES, JournalProblem.READ_ONLY),
        (errno.EIO, JournalProblem.UNWRITABLE),
    ],
)
def test_the_os_errno_says_why(path: Path, code: int, reason: JournalProblem) -> None:
    assert _reason(OSError(code, "from the OS"), path)[0] is reason


def test_a_message_that_sounds_full_is_not_taken_for_one(path: Path) -> None:
    exc = sqlite3.OperationalError("no such table: full")  # SQLITE_ERROR, not SQLITE_FULL
    exc.sqlite_errorcode, exc.sqlite_errorname = sqlite3.SQLITE_ERROR, "SQLITE_ERROR"
    assert _reason(exc, path) == (JournalProblem.UNWRITABLE, f"{path} cannot be written ({exc})")
