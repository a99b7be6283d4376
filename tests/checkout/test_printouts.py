"""Printouts and drawer openings in the journal: intent before, result after."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_pos.checkout import Journal, SaleStatus
from tui_pos.checkout.journal import JournalDamaged
from tui_pos.checkout.printouts import PrintKind, PrintState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


def test_a_printout_is_sent_then_done_or_failed(journal: Journal) -> None:
    sale_id = journal.new_sale()
    journal.set_status(sale_id, SaleStatus.DONE)
    first = journal.begin_printout(PrintKind.RECEIPT, sale_id)
    (sent,) = journal.printouts(sale_id)
    assert (sent.id, sent.state, sent.copy, sent.may_have_printed) == (
        first,
        PrintState.SENT,
        False,
        True,  # the till may have stopped while it printed
    )
    journal.end_printout(first, "Printer: out of paper")
    second = journal.begin_printout(PrintKind.RECEIPT, sale_id, copy=True)
    journal.end_printout(second)
    newest, oldest = journal.printouts(sale_id)
    assert (newest.state, newest.copy) == (PrintState.DONE, True)
    assert (oldest.state, oldest.problem, oldest.may_have_printed) == (
        PrintState.FAILED,
        "Printer: out of paper",
        False,
    )


def test_a_failure_midway_may_have_printed(journal: Journal) -> None:
    printout = journal.begin_printout(PrintKind.RECEIPT, journal.new_sale())
    journal.end_printout(printout, "Printer: connection lost", partly=True)
    (failed,) = journal.printouts()
    assert failed.may_have_printed


def test_drawer_openings_without_a_sale_are_listed_by_kind(journal: Journal) -> None:
    sale_id = journal.new_sale()
    journal.end_printout(journal.begin_printout(PrintKind.DRAWER, sale_id))
    journal.end_printout(journal.begin_printout(PrintKind.NO_SALE, None))
    (no_sale,) = journal.printouts(kind=PrintKind.NO_SALE)
    assert (no_sale.sale_id, no_sale.state) == (None, PrintState.DONE)
    assert no_sale.sent_at > 0  # wall-clock time: the day's report lists it
    assert [p.kind for p in journal.printouts()] == [PrintKind.NO_SALE, PrintKind.DRAWER]


def test_a_printout_of_an_unknown_kind_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO printout (kind, sent_at) VALUES ('confetti', 0)")
    db.commit()
    db.close()
    journal = Journal(path)
    try:
        with pytest.raises(JournalDamaged, match="printout 1 of kind 'confetti'"):
            journal.printouts()
    finally:
        journal.close()
