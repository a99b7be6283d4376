"""The day's reports as text lines: within the columns, money as the screen shows it,
ASCII and the euro sign only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.daykit import pay
from tui_pos.checkout import Journal
from tui_pos.checkout.cash import Count, MoveKind
from tui_pos.checkout.day import DayBook, XReport, ZReport
from tui_pos.checkout.day_report import list_lines, report_lines
from tui_pos.checkout.printouts import PrintKind

COUNTED = Count({5000: 20, 200: 3, 1: 1})


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


@pytest.fixture
def book(journal: Journal) -> DayBook:
    book = DayBook(journal)
    book.open_day(Count({2000: 5, 500: 10}), by=3)
    pay(journal, [("CASH", 2550)], change=450, cashier=3, served_by="Zoë Müller")
    pay(journal, [("PIN", 1000), ("CASH", 500)], cashier=14, served_by="Bram")
    pay(journal, [("PIN", 123456)])
    book.cash_move(MoveKind.OUT, 5000, "to the safe", by=3, approved_by=1)
    journal.begin_printout(PrintKind.NO_SALE, None)
    return book


@pytest.fixture
def z(book: DayBook) -> ZReport:
    return book.close_day(COUNTED, "Över: a 50 found\nin the\tsafe (日本)", by=3, approved_by=1)


def allowed(line: str) -> bool:
    return all(char == "€" or " " <= char <= "~" for char in line)


@pytest.mark.parametrize("columns", [24, 32, 42, 48, 80])
@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_line_fits_and_is_ascii_or_the_euro_sign(
    book: DayBook, columns: int, locale: str
) -> None:
    x = book.x_report()
    z = book.close_day(COUNTED, "Över: réception\nforgot", by=3, approved_by=1)
    for report in (x, z):
        lines = report_lines(report, columns, locale)  # type: ignore[arg-type]
        assert lines and all(len(line) <= columns and allowed(line) for line in lines), lines


def test_the_z_report_says_the_figures_as_the_screen_shows_money(z: ZReport) -> None:
    lines = report_lines(z, 42, "nl")
    assert lines[0] == "Z REPORT - day 1"
    assert "  by cashier 3" in lines and "  approved by manager 1" in lines
    for label, value in [
        ("Sales", "3"),
        ("Revenue", "€ 1.275,06"),
        ("  Cash", "€ 30,50"),
        ("  Card", "€ 1.244,56"),
        ("Change given", "€ 4,50"),
        ("No sale openings", "1"),
        ("Float", "€ 150,00"),
        ("Cash out", "€ 50,00"),
        ("Expected in drawer", "€ 130,50"),
        ("Counted", "€ 1.006,01"),
        ("Difference (over)", "€ 875,51"),
    ]:
        assert label + " " * (42 - len(label) - len(value)) + value in lines, label
    counted = next(n for n, line in enumerate(lines) if line.startswith("Counted"))
    assert re.fullmatch(r"  20 x € 50,00 +€ 1\.000,00", lines[counted + 1])
    assert "   3 x  € 2,00" + " " * 22 + "€ 6,00" in lines
    assert "Note: Over: a 50 found in the safe (??)" in lines
    assert lines[-3:] == [
        "3 Zoe Muller                1 x    € 25,50",
        "14 Bram                     1 x    € 15,00",
        "no cashier                  1 x € 1.234,56",
    ]


def test_the_x_report_has_no_count(book: DayBook) -> None:
    x = book.x_report()
    lines = report_lines(x, 42, "en")
    assert lines[0] == "X REPORT - day 1 (open)" and isinstance(x, XReport)
    assert any(line.startswith("Taken ") for line in lines)
    assert "Expected in drawer" + " " * 17 + "€130.50" in lines
    assert not any(line.startswith(("Counted", "Difference", "Note")) for line in lines)


def test_a_report_refuses_columns_too_narrow(z: ZReport) -> None:
    with pytest.raises(ValueError, match="24 columns or more, not 20"):
        report_lines(z, 20, "nl")


def test_the_list_has_a_line_per_z_report(journal: Journal, book: DayBook, z: ZReport) -> None:
    pay(journal, [("CASH", 100)])  # opens day 2
    second = book.close_day(Count(amount=90), "short", by=None, approved_by=None)
    lines = list_lines(book.z_reports())
    assert len(lines) == 2 and second.difference == -10
    assert re.fullmatch(r" +2  \d{4}-\d\d-\d\d \d\d:\d\d +€ 1,00 +€ -0,10", lines[0])
    assert re.fullmatch(r" +1  .* +€ 1\.275,06 +€ 875,51", lines[1])
