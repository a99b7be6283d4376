"""The shop's day in the journal: the float, cash in and out, the close against what the
till expects, and the reports, all from the journal's rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.daykit import pay, receipt_for
from tui_pos.checkout import Journal, JournalError, NotAllowed, SaleStatus
from tui_pos.checkout.cash import ApprovalAction, Count, MoveKind, Piece
from tui_pos.checkout.day import CashierTotal, DayBook, TenderTotal
from tui_pos.checkout.journal import JournalDamaged
from tui_pos.checkout.printouts import PrintKind


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


@pytest.fixture
def book(journal: Journal) -> DayBook:
    return DayBook(journal)


# --- counting ---


def test_a_count_per_denomination_adds_up_and_leaves_out_the_zeros() -> None:
    count = Count({5000: 2, 20: 0, 5: 3, 1000: 1})
    assert count.total == count.amount == 11015
    assert dict(count.counts or {}) == {5000: 2, 1000: 1, 5: 3}
    assert count.pieces == (Piece(5000, 2), Piece(1000, 1), Piece(5, 3))
    assert count == Count({5: 3, 1000: 1, 5000: 2}, 11015)  # the amount may be given too


def test_a_count_as_one_amount() -> None:
    count = Count(amount=12345)
    assert (count.total, count.counts, count.pieces) == (12345, None, None)
    assert Count().total == 0  # an empty drawer


def test_a_count_is_not_changed_by_the_mapping_it_was_made_of() -> None:
    counts = {200: 4}
    count = Count(counts)
    counts[200] = 99
    assert count.total == 800
    with pytest.raises(TypeError):
        count.counts[200] = 5  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"counts": {300: 1}}, "no euro note or coin of 300 cents"),
        ({"counts": {100000: 1}}, "no euro note or coin of 100000 cents"),
        ({"counts": {5000: -1}}, "5000-cent pieces is 0 or more, not -1"),
        ({"counts": {5000: 1.5}}, "not 1.5"),
        ({"amount": -1}, "from 0 up, not -1"),
        ({"counts": {5000: 1}, "amount": 4000}, "not what the counts add up to (5000)"),
    ],
)
def test_a_count_that_cannot_be_is_refused_in_words(kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Count(**kwargs)  # type: ignore[arg-type]


# --- opening ---


def test_a_day_opens_with_its_float_and_only_one_is_open(book: DayBook) -> None:
    assert book.current() is None and book.last_closed() is None
    day = book.open_day(Count({2000: 5, 100: 20}), by=3)
    assert (day.number, day.opened_by, day.float_count.total, day.is_open) == (1, 3, 12000, True)
    assert book.current() == day
    with pytest.raises(NotAllowed, match="Day 1 is still open"):
        book.open_day(Count(amount=0), by=3)
    assert book.totals().float_amount == 12000


def test_sqlite_itself_refuses_a_second_open_day(journal: Journal, book: DayBook) -> None:
    """The partial unique index holds whatever writes the journal."""
    book.open_day(Count(amount=0), by=None)
    refused = pytest.raises(JournalError, match="UNIQUE constraint failed: index 'one_open_day'")
    with refused, journal._write() as db:
        db.execute("INSERT INTO day (opened_at, float_amount) VALUES (1, 0)")
    with journal._write() as db:  # closed days are not limited
        db.execute("INSERT INTO day (opened_at, float_amount, closed_at) VALUES (1, 0, 2)")
    assert len(journal._query("SELECT id FROM day")) == 2


def test_a_sale_paid_with_no_day_open_opens_one(journal: Journal, book: DayBook) -> None:
    receipt = pay(journal, [("CASH", 450)], change=50, cashier=4, served_by="Ann")
    day = book.current()
    assert day is not None
    assert (day.number, day.opened_by, day.float_count.total) == (1, None, 0)
    totals = book.totals()
    assert (totals.sales, totals.revenue, totals.change) == (1, 450, 50)
    assert totals.cashiers == (CashierTotal(4, "Ann", 1, 450),)
    assert journal.receipt(receipt.sale_id) == receipt  # cashier and name read back
    (row,) = journal._query("SELECT day_id, cashier FROM receipt")
    assert tuple(row) == (1, 4)
    assert journal._query("SELECT started_by FROM sale")[0][0] == 4


def test_a_receipt_written_twice_counts_once_in_the_day_it_was_first_paid(
    journal: Journal, book: DayBook
) -> None:
    """A sale resumed after a restart (or finished by the outbox) writes its receipt
    again: the first stays, in its day, and no day is opened for the second."""
    first = pay(journal, [("PIN", 1000)], status=SaleStatus.INVOICE_PENDING)
    again = replace(receipt_for(first.sale_id, [("PIN", 9999)]), finished_at=first.finished_at)
    journal.set_status(first.sale_id, SaleStatus.INVOICE_PENDING, receipt=again)
    assert (book.totals().sales, book.totals().revenue) == (1, 1000)
    book.close_day(Count(amount=0), "", by=None, approved_by=None)
    journal.set_status(first.sale_id, SaleStatus.DONE, receipt=again)  # the outbox, next day
    assert book.current() is None  # nothing new was paid: no day opened for it
    assert journal.receipt(first.sale_id) == first
    z = book.z_report(1)
    assert z is not None and (z.totals.sales, z.totals.revenue) == (1, 1000)


def test_a_sale_after_the_close_goes_into_a_new_day(journal: Journal, book: DayBook) -> None:
    book.open_day(Count(amount=5000), by=1)
    pay(journal, [("CASH", 100)])
    book.close_day(Count(amount=5100), "", by=1, approved_by=None)
    pay(journal, [("CASH", 200)])
    day = book.current()
    assert day is not None and day.number == 2 and day.float_count.total == 0
    assert book.totals().revenue == 200 and book.totals(1).revenue == 100


# --- cash in and out, drawer openings, approvals ---


def test_cash_in_and_out_move_what_is_expected(journal: Journal, book: DayBook) -> None:
    book.open_day(Count(amount=10000), by=1)
    pay(journal, [("CASH", 2550)], change=450)
    pay(journal, [("PIN", 1000), ("CASH", 500)])
    pay(journal, [("PIN", 3000)])
    moved_in = book.cash_move(MoveKind.IN, 2000, "  change from the bank ", by=1, approved_by=None)
    moved_out = book.cash_move(MoveKind.OUT, 7000, "to the safe", by=1, approved_by=9)
    assert moved_in.reason == "change from the bank" and moved_in.day == 1
    assert book.cash_moves() == [moved_in, moved_out]
    totals = book.totals()
    assert totals.tenders == (TenderTotal("CASH", 3050), TenderTotal("PIN", 4000))
    assert (totals.cash_in, totals.cash_out, totals.change) == (2000, 7000, 450)
    # the float + cash payments + in - out; the same as float + tendered - change + in - out
    assert totals.expected_cash == 10000 + 3050 + 2000 - 7000
    assert totals.expected_cash == 10000 + (3050 + 450) - 450 + 2000 - 7000
    assert sum(t.amount for t in totals.tenders) == totals.revenue == 7050
    (approval,) = book.approvals()
    assert (approval.action, approval.manager, approval.cashier) == (ApprovalAction.CASH_OUT, 9, 1)
    assert approval.detail == f"cash_move {moved_out.id}"


def test_a_cash_move_with_no_day_open_opens_one(book: DayBook) -> None:
    move = book.cash_move(MoveKind.IN, 500, "float brought late", by=2, approved_by=None)
    day = book.current()
    assert day is not None and move.day == day.number and day.opened_by is None


@pytest.mark.parametrize(
    ("amount", "reason", "words"),
    [(0, "x", "above 0, not 0"), (-5, "x", "not -5"), (100, "  ", "Say why")],
)
def test_a_cash_move_needs_an_amount_and_a_reason(
    book: DayBook, amount: int, reason: str, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        book.cash_move(MoveKind.OUT, amount, reason, by=1, approved_by=None)
    assert book.current() is None  # nothing written, no day opened


def test_drawer_openings_without_a_sale_count_in_the_day(journal: Journal, book: DayBook) -> None:
    journal.end_printout(journal.begin_printout(PrintKind.RECEIPT, None))
    journal.end_printout(journal.begin_printout(PrintKind.REPORT, None))
    assert book.current() is None  # a reprint or the Z printed after the close opens no day
    for _ in range(2):
        journal.end_printout(journal.begin_printout(PrintKind.NO_SALE, None))
    journal.begin_printout(PrintKind.DRAWER, pay(journal, [("CASH", 100)]).sale_id)
    journal.begin_printout(PrintKind.CASH_MOVE, None)  # the drawer opened for cash moved
    assert book.totals().no_sales == 2
    rows = journal._query("SELECT kind, day_id FROM printout ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("receipt", None),
        ("report", None),
        ("no_sale", 1),
        ("no_sale", 1),
        ("drawer", 1),
        ("cash_move", 1),
    ]


def test_approvals_are_listed_per_day(book: DayBook) -> None:
    book.approve(ApprovalAction.NO_SALE, manager=9, cashier=3)
    (before,) = book.approvals()  # no day was ever closed: all of them
    assert (before.action, before.manager, before.cashier) == (ApprovalAction.NO_SALE, 9, 3)
    book.open_day(Count(amount=0), by=3)
    book.approve(ApprovalAction.VOID_AFTER_PAYMENT, 9, 3, sale_id=12, detail="wrong item")
    book.close_day(Count(amount=0), "", by=3, approved_by=8)
    void, close = book.approvals(1)
    assert (void.action, void.sale_id, void.detail) == (
        ApprovalAction.VOID_AFTER_PAYMENT,
        12,
        "wrong item",
    )
    assert (close.action, close.manager, close.cashier, close.detail) == (
        ApprovalAction.CLOSE_DAY,
        8,
        3,
        "day 1",
    )
    assert book.approvals() == []  # none since the close
    book.approve(ApprovalAction.UNCONFIRMED_CARD, 9, None)
    assert [a.action for a in book.approvals()] == [ApprovalAction.UNCONFIRMED_CARD]
    with pytest.raises(NotAllowed, match="no day 7"):
        book.approvals(7)


# --- closing ---


def test_a_difference_needs_a_note_and_the_day_stays_open_without(
    journal: Journal, book: DayBook
) -> None:
    book.open_day(Count(amount=5000), by=1)
    pay(journal, [("CASH", 1234)])
    with pytest.raises(ValueError, match="say why in a note"):
        book.close_day(Count(amount=6000), "   ", by=1, approved_by=None)
    day = book.current()
    assert day is not None and day.closed_at is None and book.z_reports() == []
    z = book.close_day(Count(amount=6000), " a coin rolled away ", by=1, approved_by=None)
    assert (z.counted, z.expected, z.difference, z.note) == (6000, 6234, -234, "a coin rolled away")


def test_the_z_report_is_stored_with_the_close_and_read_back(
    journal: Journal, book: DayBook
) -> None:
    book.open_day(Count({2000: 2, 50: 10}), by=5)
    pay(journal, [("CASH", 700)], change=300, cashier=5, served_by="Bea")
    pay(journal, [("PIN", 1299)], cashier=6, served_by="Cas")
    pay(journal, [("PIN", 100), ("CASH", 50)])
    book.cash_move(MoveKind.IN, 1000, "coins", by=5, approved_by=None)
    journal.end_printout(journal.begin_printout(PrintKind.NO_SALE, None))
    x = book.x_report()
    assert (x.day, x.opened_by, x.float_counts) == (1, 5, (Piece(2000, 2), Piece(50, 10)))
    assert x.expected == 4500 + 750 + 1000
    count = Count({5000: 1, 1000: 1, 200: 1, 50: 1})
    z = book.close_day(count, "", by=5, approved_by=7)
    assert z.difference == 0 and z.x.totals == x.totals and z.closed_at >= x.at
    assert z.counts == count.pieces and (z.closed_by, z.approved_by) == (5, 7)
    assert z.totals.cashiers == (
        CashierTotal(5, "Bea", 1, 700),
        CashierTotal(6, "Cas", 1, 1299),
        CashierTotal(None, None, 1, 150),
    )
    assert book.z_report(1) == z and book.z_reports() == [z]
    assert book.totals(1) == z.totals  # the rows still say what the report says
    day = book.last_closed()
    assert day is not None and book.current() is None
    assert (day.counted, day.expected, day.closed_by, day.approved_by) == (count, 6250, 5, 7)
    with pytest.raises(NotAllowed, match="No day is open"):
        book.close_day(count, "", by=5, approved_by=None)
    with pytest.raises(NotAllowed, match="No day is open"):
        book.x_report()
    assert book.z_report(2) is None


def test_z_reports_are_listed_newest_first(journal: Journal, book: DayBook) -> None:
    for number in range(1, 4):
        pay(journal, [("CASH", number * 100)])
        book.close_day(Count(amount=number * 100), "", by=None, approved_by=None)
    assert [z.day for z in book.z_reports()] == [3, 2, 1]
    assert [z.totals.revenue for z in book.z_reports(limit=2)] == [300, 200]


def test_a_z_report_the_till_cannot_read_is_damage(journal: Journal, book: DayBook) -> None:
    pay(journal, [("CASH", 100)])
    book.close_day(Count(amount=100), "", by=None, approved_by=None)
    with journal._write() as db:
        db.execute("UPDATE day SET report = '{\"x\": 5}'")
    with pytest.raises(JournalDamaged, match="day 1 Z report"):
        book.z_reports()


def test_an_older_receipt_without_the_cashier_reads_as_nobody_s(journal: Journal) -> None:
    receipt = pay(journal, [("PIN", 100)], cashier=3, served_by="Dee")
    with journal._write() as db:
        db.execute(
            "UPDATE receipt SET document = json_remove(document, '$.cashier', '$.served_by')"
        )
    read = journal.receipt(receipt.sale_id)
    assert read == replace(receipt, cashier=None, served_by=None)


def test_an_approval_stays_in_its_day_when_the_clock_is_set_back(
    book: DayBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The day an approval belongs to is the day open when it was written, not the one
    its time falls in: a clock set back an hour (NTP after a power cut) moves nothing."""
    from tui_pos.checkout import day as day_module

    book.open_day(Count(amount=0), by=3)
    opened = book.current()
    assert opened is not None
    monkeypatch.setattr(day_module.time, "time", lambda: opened.opened_at - 3600)
    book.approve(ApprovalAction.NO_SALE, manager=9, cashier=3)
    assert [a.action for a in book.approvals(1)] == [ApprovalAction.NO_SALE]
    assert [a.action for a in book.approvals()] == [ApprovalAction.NO_SALE]
