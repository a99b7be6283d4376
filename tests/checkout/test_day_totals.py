"""Random days written through the journal's own API (sales paid in cash, by card or
split, with change, some resumed so that their receipt is written twice; cash in and
out; drawer openings without a sale), then closed with a random count: the day's
figures are what was written, to the cent."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.daykit import receipt_for
from tui_pos.checkout import Journal, SaleStatus
from tui_pos.checkout.cash import DENOMINATIONS, Count, MoveKind
from tui_pos.checkout.day import DayBook
from tui_pos.checkout.printouts import PrintKind


@dataclass(frozen=True)
class Sale:
    payments: list[tuple[str, int]]
    change: int | None
    cashier: int | None
    status: SaleStatus
    resumed: bool
    """Its receipt is written again (a restart, or the outbox finishing it)."""


@dataclass(frozen=True)
class Move:
    kind: MoveKind
    amount: int


@dataclass(frozen=True)
class NoSale:
    pass


amounts = st.integers(min_value=1, max_value=200_000)
changes = st.integers(min_value=0, max_value=5_000)


@st.composite
def sales(draw: st.DrawFn) -> Sale:
    how = draw(st.sampled_from(["cash", "card", "split"]))
    total = draw(amounts if how != "split" else st.integers(min_value=2, max_value=200_000))
    if how == "cash":
        payments, change = [("CASH", total)], draw(changes)
    elif how == "card":
        payments, change = [("PIN", total)], None
    else:
        card = draw(st.integers(min_value=1, max_value=total - 1))
        payments, change = [("PIN", card), ("CASH", total - card)], draw(changes)
    return Sale(
        payments,
        change,
        draw(st.sampled_from([None, 1, 2])),
        draw(st.sampled_from([SaleStatus.DONE, SaleStatus.INVOICE_PENDING])),
        draw(st.booleans()),
    )


events = st.lists(
    st.one_of(
        sales(),
        st.builds(Move, st.sampled_from(list(MoveKind)), amounts),
        st.just(NoSale()),
    ),
    max_size=12,
)
counts = st.dictionaries(st.sampled_from(DENOMINATIONS), st.integers(0, 40), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    float_counts=st.none() | counts,
    happened=events,
    counted=counts,
)
def test_the_day_adds_up_to_what_was_written(
    float_counts: dict[int, int] | None,
    happened: list[Sale | Move | NoSale],
    counted: dict[int, int],
) -> None:
    with tempfile.TemporaryDirectory(prefix="tui-pos-day-") as scratch:
        journal = Journal(Path(scratch) / "journal.sqlite3")
        try:
            check_day(journal, float_counts, happened, Count(counted))
        finally:
            journal.close()


def check_day(
    journal: Journal,
    float_counts: dict[int, int] | None,
    happened: list[Sale | Move | NoSale],
    count: Count,
) -> None:
    book = DayBook(journal)
    float_amount = 0
    if float_counts is not None:  # else the first sale or movement opens the day
        float_amount = book.open_day(Count(float_counts), by=1).float_count.total
    paid: dict[str, int] = {}
    by_cashier: dict[int | None, int] = {}
    moved = {MoveKind.IN: 0, MoveKind.OUT: 0}
    no_sales = change = 0
    for event in happened:
        if isinstance(event, Sale):
            sale_id = journal.new_sale(started_by=event.cashier)
            receipt = receipt_for(
                sale_id, event.payments, change=event.change, cashier=event.cashier
            )
            journal.set_status(sale_id, event.status, receipt=receipt)
            if event.resumed:
                journal.set_status(sale_id, SaleStatus.DONE, receipt=receipt)
            for method, amount in event.payments:
                paid[method] = paid.get(method, 0) + amount
            by_cashier[event.cashier] = by_cashier.get(event.cashier, 0) + receipt.total
            change += event.change or 0
        elif isinstance(event, Move):
            book.cash_move(event.kind, event.amount, "random", by=1, approved_by=None)
            moved[event.kind] += event.amount
        else:
            journal.end_printout(journal.begin_printout(PrintKind.NO_SALE, None))
            no_sales += 1
    if book.current() is None:  # nothing happened: the day is opened to be closed
        book.open_day(Count(amount=0), by=1)

    totals = book.totals()
    cash = paid.get("CASH", 0)
    expected = float_amount + cash + moved[MoveKind.IN] - moved[MoveKind.OUT]
    assert totals.expected_cash == expected
    tendered = cash + change  # the change came out of the cash handed over
    assert (
        totals.expected_cash == float_amount + tendered - change + totals.cash_in - totals.cash_out
    )
    assert {t.method: t.amount for t in totals.tenders} == paid
    assert sum(t.amount for t in totals.tenders) == totals.revenue == sum(paid.values())
    assert totals.sales == sum(isinstance(event, Sale) for event in happened)
    assert {c.cashier: c.revenue for c in totals.cashiers} == by_cashier
    assert (totals.cash_in, totals.cash_out) == (moved[MoveKind.IN], moved[MoveKind.OUT])
    assert (totals.no_sales, totals.change) == (no_sales, change)

    note = "" if count.total == expected else "counted as it is"
    z = book.close_day(count, note, by=2, approved_by=None)
    assert (z.counted, z.expected, z.difference) == (count.total, expected, count.total - expected)
    assert z.totals == totals
    assert book.z_report(z.day) == z and book.current() is None
