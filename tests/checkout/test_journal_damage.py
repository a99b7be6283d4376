"""A damaged journal (a bad page, a cut-short file, an empty or missing one) stops the
till with one line that says so and what to run; ``tui-pos journal check`` says it and
``tui-pos journal set-aside`` renames it (deleting nothing) and lists the unfinished
sales it held. Every file here is really damaged, the way an SD card damages it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import SecretStr

from tui_pos.app.runtime import Runtime
from tui_pos.checkout.journal import (
    JOURNAL_NAME,
    Journal,
    JournalDamaged,
    SaleStatus,
    check,
    marker_path,
    salvage,
    set_aside,
)
from tui_pos.cli import main
from tui_pos.config import Settings
from tui_pos.system.lock import lock_state_dir

PAGE = 4096
SALES = 300


def journal_with_sales(path: Path) -> Path:
    """A till's journal after a busy day: sales done, one paid but not invoiced (sale
    #100), and the sale in progress (the last one, with two items)."""
    journal = Journal(path)
    for n in range(1, SALES + 1):
        sale = journal.new_sale()
        journal.set_order(sale, f"ord_{n:04d}", f"{1000000 + n}")
        journal.set_quantity(sale, "8712345678906", 2)
        journal.edit_note(sale, lambda note, n=n: replace(note, change=n, held=("x" * 80,)))
        if n == 100:
            journal.set_status(sale, SaleStatus.INVOICE_PENDING)
        elif n != SALES:
            journal.set_status(sale, SaleStatus.DONE)
    journal.close()
    return path


def bad_page(path: Path) -> None:
    """One page in the middle overwritten with garbage."""
    data = bytearray(path.read_bytes())
    data[3 * PAGE : 4 * PAGE] = os.urandom(PAGE)
    path.write_bytes(data)


def truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def bad_header(path: Path) -> None:
    """The first 100 bytes (SQLite's header) overwritten: no longer a database at all."""
    data = bytearray(path.read_bytes())
    data[:100] = os.urandom(100)
    path.write_bytes(data)


def emptied(path: Path) -> None:
    path.write_bytes(b"")


def deleted(path: Path) -> None:
    path.unlink()


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "a bad page": (bad_page, "is damaged (SQLite finds: "),
    "cut short": (truncated, "is damaged (SQLite says: database disk image is malformed)"),
    "no database": (bad_header, "is damaged (SQLite says: file is not a database)"),
    "empty": (emptied, "is empty (0 bytes), though it held the till's records"),
    "missing": (deleted, "is missing, though the till kept its records there"),
}


@pytest.fixture(scope="module")
def busy_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once (every write is synced, which takes a while): each test gets a copy."""
    return journal_with_sales(tmp_path_factory.mktemp("busy") / JOURNAL_NAME)


@pytest.fixture
def journal(tmp_path: Path, busy_day: Path) -> Path:
    path = tmp_path / JOURNAL_NAME
    for made in (busy_day, marker_path(busy_day)):
        shutil.copyfile(made, path.with_name(made.name))
    return path


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_a_damaged_journal_is_not_opened_and_says_what_to_run(journal: Path, kind: str) -> None:
    damage, what = DAMAGE[kind]
    damage(journal)
    with pytest.raises(JournalDamaged) as caught:
        Journal(journal)
    assert str(caught.value).startswith(f"{journal} {what}")
    runtime = Runtime.live(
        Settings(channel_id="c", api_token=SecretStr("t"), state_dir=journal.parent)
    )
    problem = runtime.journal_problem()
    assert problem is not None and "\n" not in problem
    assert problem.startswith(f"The till's records are damaged: {journal} {what}")
    assert "cannot be written" not in problem
    assert problem.endswith(
        "No sale can start. Call support "
        "(run `tui-pos journal check`, then `tui-pos journal set-aside`)."
    )
    assert check(journal) is not None
    if kind != "missing":
        assert journal.exists()  # not replaced by a fresh one


def test_an_empty_file_left_by_a_crash_while_the_first_journal_was_made_is_new(
    tmp_path: Path,
) -> None:
    path = tmp_path / JOURNAL_NAME
    path.write_bytes(b"")  # sqlite3.connect made it; the power went before the tables
    journal = Journal(path)
    assert journal.active_sale() is None
    journal.close()
    assert marker_path(path).exists() and check(path) is None


def test_a_journal_made_before_the_marker_existed_gets_one(journal: Path) -> None:
    marker_path(journal).unlink()  # as a till of an older version left it
    Journal(journal).close()
    assert marker_path(journal).exists()


def test_set_aside_renames_everything_deletes_nothing_and_lists_the_unfinished(
    journal: Path,
) -> None:
    bad_page(journal)
    before = journal.read_bytes()
    moved, sales, how = set_aside(journal, now=1_800_000_000)
    assert not journal.exists() and not marker_path(journal).exists()
    assert moved[0].name.startswith(f"{JOURNAL_NAME}.damaged-")
    assert moved[0].read_bytes() == before  # as it was: evidence for support
    assert any(name.name.endswith(".created") for name in moved)
    numbers = {sale.order_number: sale for sale in sales}
    assert how.startswith("read by SQLite")
    assert {"1000100", f"{1000000 + SALES}"} <= set(numbers)  # both ends of the table
    assert numbers["1000100"].status == "invoice_pending"
    last = numbers[f"{1000000 + SALES}"]
    assert last.status == "active" and last.order_id == f"ord_{SALES:04d}"
    fresh = Journal(journal)  # the till starts fresh
    assert fresh.active_sale() is None
    fresh.close()


def test_set_aside_of_a_file_sqlite_cannot_open_finds_the_order_numbers_in_its_bytes(
    journal: Path,
) -> None:
    bad_header(journal)
    _, sales, how = set_aside(journal)
    assert how.startswith("SQLite cannot read it; these order numbers were found")
    found = {sale.order_number: (sale.order_id, sale.status) for sale in sales}
    assert found == {  # only these two: every other sale was finished
        "1000100": ("ord_0100", "invoice_pending"),
        f"{1000000 + SALES}": (f"ord_{SALES:04d}", "active"),
    }


def test_salvage_reads_the_cart_of_the_sale_in_progress(journal: Path) -> None:
    sales, how = salvage(journal)
    assert how == "read by SQLite"
    assert [(s.order_number, s.cart) for s in sales] == [
        ("1000100", {"8712345678906": 2}),
        (f"{1000000 + SALES}", {"8712345678906": 2}),
    ]


def test_set_aside_of_an_empty_journal_says_none_could_be_read(journal: Path) -> None:
    emptied(journal)
    moved, sales, how = set_aside(journal)
    assert sales == [] and "empty" in how and moved[0].stat().st_size == 0


# --- the command ----------------------------------------------------------------------


@pytest.fixture
def state_env(journal: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [n for n in os.environ if n.startswith("TUI_POS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TUI_POS_STATE_DIR", str(journal.parent))
    config = journal.parent / "config.toml"
    config.write_text("")
    monkeypatch.setattr("tui_pos.config.DEFAULT_CONFIG", config)
    return journal


def test_journal_check_says_ok_or_damaged_with_its_exit_code(
    state_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = state_env
    assert main(["journal", "check"]) == 0
    assert capsys.readouterr().out == f"OK: {journal} is sound\n"
    truncated(journal)
    assert main(["journal", "check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"DAMAGED: {journal} is damaged (SQLite says: database disk image")
    assert "`tui-pos journal set-aside`" in out


def test_journal_set_aside_leaves_a_sound_journal_and_waits_for_the_till(
    state_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = state_env
    assert main(["journal", "set-aside"]) == 1
    assert "is sound: nothing set aside" in capsys.readouterr().out
    truncated(journal)
    lock = lock_state_dir(journal.parent)  # the till is still running
    try:
        assert main(["journal", "set-aside"]) == 2
    finally:
        lock.release()
    assert f"in use by another till (pid {os.getpid()})" in capsys.readouterr().err
    assert journal.exists()


def test_journal_set_aside_lists_the_orders_to_finish(
    state_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = state_env
    bad_page(journal)
    assert main(["journal", "set-aside"]) == 0
    out = capsys.readouterr().out
    assert "set aside (nothing deleted):" in out and ".damaged-" in out
    assert "order 1000100, id ord_0100, paid, no invoice yet, sale #100" in out
    assert f"order {1000000 + SALES}, id ord_{SALES:04d}, not paid (in progress)" in out
    assert out.endswith("the till starts with a fresh journal now\n")
    assert main(["journal", "check"]) == 2  # nothing there now: the till makes a new one
    assert "no journal at" in capsys.readouterr().out


def test_journal_check_beside_a_running_till_reads_the_live_file(
    state_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = state_env
    live = Journal(journal)  # the till has it open and keeps writing
    lock = lock_state_dir(journal.parent)
    try:
        live.new_sale()
        assert main(["journal", "check"]) == 0
        assert capsys.readouterr().out == (
            f"OK: {journal} is sound (a till is running on it, pid {os.getpid()})\n"
        )
    finally:
        lock.release()
        live.close()
