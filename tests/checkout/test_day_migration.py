"""A journal of version 3 (``data/journal-v3.sql``, its tables as that version made
them) opened by this till: the day's tables and columns are added, and its receipts go
into one day, number 1, opened at the earliest receipt's time with a float of 0."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.daykit import pay
from tui_pos.checkout import Journal, SaleStatus, schema
from tui_pos.checkout.cash import Count
from tui_pos.checkout.day import DayBook, TenderTotal
from tui_pos.checkout.journal import JOURNAL_NAME, JournalDamaged, marker_path

FIXTURE = Path(__file__).parent / "data" / "journal-v3.sql"


def v3_journal(directory: Path, *, receipts: bool = True) -> Path:
    path = directory / JOURNAL_NAME
    db = sqlite3.connect(path)
    try:
        db.executescript(FIXTURE.read_text())
        if not receipts:
            db.execute("DELETE FROM receipt")
            db.commit()
    finally:
        db.close()
    marker_path(path).write_text("The till's journal was made here (a test fixture).\n")
    return path


def test_the_fixture_is_a_journal_of_version_3(tmp_path: Path) -> None:
    assert schema.stored_version(v3_journal(tmp_path)) == 3 < schema.CURRENT == 4


def test_the_receipts_of_version_3_go_into_day_1(tmp_path: Path) -> None:
    journal = Journal(v3_journal(tmp_path))
    try:
        assert schema.version(journal._db) == 4
        book = DayBook(journal)
        day = book.current()
        assert day is not None
        assert (day.number, day.opened_at, day.opened_by, day.float_count) == (
            1,
            1764748800.0,  # the earliest receipt's time
            None,
            Count(amount=0),
        )
        totals = book.totals()
        assert (totals.sales, totals.revenue, totals.change, totals.no_sales) == (2, 2249, 750, 1)
        assert totals.tenders == (TenderTotal("CASH", 1350), TenderTotal("PIN", 899))
        assert totals.expected_cash == 1350
        receipt = journal.receipt(1)
        assert receipt is not None and (receipt.cashier, receipt.served_by) == (None, None)
        assert [row[0] for row in journal._query("SELECT day_id FROM printout")] == [1, 1, 1]
        active = journal.active_sale()
        assert active is not None and active.id == 3  # the sale in progress resumes
        assert journal.sale(2).status is SaleStatus.INVOICE_PENDING
        pay(journal, [("PIN", 500)], cashier=2)  # the day goes on
        assert book.totals().sales == 3
    finally:
        journal.close()


def test_a_journal_of_version_3_without_receipts_gets_no_day(tmp_path: Path) -> None:
    journal = Journal(v3_journal(tmp_path, receipts=False))
    try:
        book = DayBook(journal)
        assert book.current() is None
        assert [row[0] for row in journal._query("SELECT day_id FROM printout")] == [None] * 3
        book.open_day(Count(amount=10000), by=1)
        pay(journal, [("CASH", 100)])
        assert book.totals().expected_cash == 10100
    finally:
        journal.close()


def test_a_receipt_of_version_3_that_is_not_json_stops_the_migration(tmp_path: Path) -> None:
    path = v3_journal(tmp_path)
    db = sqlite3.connect(path)
    db.execute("UPDATE receipt SET document = 'torn' WHERE sale_id = 1")
    db.commit()
    db.close()
    with pytest.raises(JournalDamaged, match="a receipt is not JSON"):
        Journal(path)
    assert schema.stored_version(path) == 3  # nothing of the migration was left
