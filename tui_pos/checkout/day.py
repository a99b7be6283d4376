"""The shop's day in the journal: the drawer's float, cash put in and taken out, and the
close, where the cash counted is set against what the till expects (an X report any
time, the Z report to close). Afosto keeps none of it, so the journal does, as crash
safe as the sales: every change is one synced transaction, and every total is computed
from the journal's rows (receipts, cash movements, drawer openings), never kept aside.

A paid sale, a cash movement and a drawer opening each belong to the day open at that
moment; when none is, one is opened for them in the same transaction, with a float of 0
and by nobody (:func:`tui_pos.checkout.journal.day_for`)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui_pos.checkout.cash import CASH, ApprovalAction, Count, MoveKind, Piece
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import Journal, JournalDamaged, day_for, open_day
from tui_pos.checkout.printouts import PrintKind
from tui_pos.checkout.receipt import Receipt
from tui_pos.checkout.steps import encode


@dataclass(frozen=True)
class Day:
    """One day of the till, as the journal holds it."""

    number: int
    opened_at: float
    opened_by: int | None
    """The cashier's number; ``None``: opened by the till for a sale or a movement."""
    float_count: Count
    """The cash in the drawer as the day began."""
    closed_at: float | None
    closed_by: int | None
    approved_by: int | None
    counted: Count | None
    expected: int | None
    note: str | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class CashMove:
    id: int
    day: int
    at: float
    kind: MoveKind
    amount: int
    reason: str
    cashier: int | None
    approved_by: int | None


@dataclass(frozen=True)
class Approval:
    """A manager's approval: who approved what for whom, and when."""

    id: int
    at: float
    action: ApprovalAction
    manager: int
    cashier: int | None
    sale_id: int | None
    detail: str


@dataclass(frozen=True)
class TenderTotal:
    method: str
    """Afosto's method code (``PIN``, ``CASH``)."""
    amount: int


@dataclass(frozen=True)
class CashierTotal:
    cashier: int | None
    """The cashier's number; ``None``: sales paid before cashiers signed in."""
    name: str | None
    """The name on the cashier's newest receipt of the day."""
    sales: int
    revenue: int


@dataclass(frozen=True)
class DayTotals:
    """A day's figures, from its rows in the journal."""

    day: int
    float_amount: int
    sales: int
    revenue: int
    """The sum of the day's receipts' totals."""
    tenders: tuple[TenderTotal, ...]
    """Per method: the sum of the paid payments on the day's receipts (what was applied
    to the sales, the change not in it); together exactly the revenue."""
    cashiers: tuple[CashierTotal, ...]
    cash_in: int
    cash_out: int
    no_sales: int
    """Times the drawer was opened without a sale."""
    change: int
    """Change handed back from cash tendered."""

    def tender(self, method: str) -> int:
        return sum(total.amount for total in self.tenders if total.method == method)

    @property
    def expected_cash(self) -> int:
        """What the drawer should hold: the float, plus the cash payments, plus cash put
        in, less cash taken out. A cash payment's amount is what was applied to the
        sale; the change was handed back out of the money tendered, so this is the
        float + the cash tendered - the change + in - out, counted without the
        tendered money the receipt does not keep."""
        return self.float_amount + self.tender(CASH) + self.cash_in - self.cash_out


@dataclass(frozen=True)
class XReport:
    """The open day so far, as at ``at``."""

    day: int
    opened_at: float
    opened_by: int | None
    float_counts: tuple[Piece, ...] | None
    """The float per denomination; ``None`` when it was given as one amount."""
    totals: DayTotals
    at: float

    @property
    def expected(self) -> int:
        return self.totals.expected_cash


@dataclass(frozen=True)
class ZReport:
    """The day as closed, stored with it in the journal: the X report taken at the
    close (its ``at`` is the closing time) and the cash counted."""

    x: XReport
    closed_by: int | None
    approved_by: int | None
    counted: int
    counts: tuple[Piece, ...] | None
    """The cash counted per denomination; ``None`` when counted as one amount."""
    note: str

    @property
    def day(self) -> int:
        return self.x.day

    @property
    def closed_at(self) -> float:
        return self.x.at

    @property
    def totals(self) -> DayTotals:
        return self.x.totals

    @property
    def expected(self) -> int:
        return self.x.expected

    @property
    def difference(self) -> int:
        """Counted less expected: more in the drawer than expected when positive."""
        return self.counted - self.expected


Query = Callable[..., list[Any]]
"""Runs SQL with its arguments and returns the rows (the journal's read, or a read
inside a write's transaction)."""

_DAY_COLUMNS = (
    "id, opened_at, opened_by, float_amount, float_counts, closed_at, closed_by, "
    "approved_by, counted, counts, expected, note"
)
_MOVE_COLUMNS = "id, day_id, at, kind, amount, reason, cashier, approved_by"
_APPROVAL_COLUMNS = "id, at, action, manager, cashier, sale_id, detail"


class DayBook:
    """The shop's days in ``journal``."""

    def __init__(self, journal: Journal) -> None:
        self._journal = journal

    # --- the days ---

    def current(self) -> Day | None:
        """The open day, if one is."""
        return self._day(self._journal._query, "WHERE closed_at IS NULL")

    def last_closed(self) -> Day | None:
        return self._day(
            self._journal._query, "WHERE closed_at IS NOT NULL ORDER BY id DESC LIMIT 1"
        )

    def day(self, number: int) -> Day | None:
        return self._day(self._journal._query, "WHERE id = ?", number)

    def open_day(self, float: Count, by: int | None) -> Day:
        """Open a day with ``float`` in the drawer, by cashier ``by``; refused
        (:class:`NotAllowed`) while a day is open."""
        now = time.time()
        with self._journal._write() as db:
            found = open_day(db)
            if found is not None:
                raise NotAllowed(f"Day {found} is still open: close it before opening a new one.")
            cursor = db.execute(
                "INSERT INTO day (opened_at, opened_by, float_amount, float_counts) "
                "VALUES (?, ?, ?, ?)",
                (now, by, float.total, _counts_json(float)),
            )
        assert cursor.lastrowid is not None
        return Day(cursor.lastrowid, now, by, float, None, None, None, None, None, None)

    def cash_move(
        self, kind: MoveKind, amount: int, reason: str, by: int | None, approved_by: int | None
    ) -> CashMove:
        """Cash put in or taken out of the drawer by cashier ``by``, in the open day (one
        is opened when none is, as for a sale); its approval with it."""
        reason = reason.strip()
        if type(amount) is not int or amount <= 0:
            raise ValueError(f"Cash moved is a number of cents above 0, not {amount!r}.")
        if not reason:
            raise ValueError("Say why the cash is moved.")
        now = time.time()
        with self._journal._write() as db:
            day = day_for(db, now)
            cursor = db.execute(
                "INSERT INTO cash_move (day_id, at, kind, amount, reason, cashier, approved_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (day, now, kind.value, amount, reason, by, approved_by),
            )
            assert cursor.lastrowid is not None
            if approved_by is not None:
                action = ApprovalAction.CASH_IN if kind is MoveKind.IN else ApprovalAction.CASH_OUT
                _insert_approval(
                    db, now, action, approved_by, by, None, f"cash_move {cursor.lastrowid}"
                )
        return CashMove(cursor.lastrowid, day, now, kind, amount, reason, by, approved_by)

    def cash_moves(self, day: int | None = None) -> list[CashMove]:
        """The cash movements of day ``day`` (else the open day's), in order."""
        number = self._found(self._journal._query, day).number
        rows = self._journal._query(
            f"SELECT {_MOVE_COLUMNS} FROM cash_move WHERE day_id = ? ORDER BY id", number
        )
        return [self._move(row) for row in rows]

    # --- approvals ---

    def approve(
        self,
        action: ApprovalAction,
        manager: int,
        cashier: int | None,
        sale_id: int | None = None,
        detail: str = "",
    ) -> None:
        """Record that ``manager`` approved ``action`` for ``cashier`` (now)."""
        with self._journal._write() as db:
            _insert_approval(db, time.time(), action, manager, cashier, sale_id, detail)

    def approvals(self, day: int | None = None) -> list[Approval]:
        """The approvals given while day ``day`` was open, in order; ``None``: those
        since the last close (the open day's, if one is). Told by the day each was
        written in, never by the clock (a clock set back or forward moves nothing)."""
        query = f"SELECT {_APPROVAL_COLUMNS} FROM approval"
        if day is None:
            current, closed = self.current(), self.last_closed()
            rows = self._journal._query(
                f"{query} WHERE day_id = ? OR (day_id IS NULL AND after_day = ?) ORDER BY id",
                0 if current is None else current.number,  # day numbers start at 1
                0 if closed is None else closed.number,
            )
        else:
            number = self._found(self._journal._query, day).number
            rows = self._journal._query(f"{query} WHERE day_id = ? ORDER BY id", number)
        return [self._approval(row) for row in rows]

    # --- the figures ---

    def totals(self, day: int | None = None) -> DayTotals:
        """Day ``day``'s figures (else the open day's), from the journal's rows."""
        found = self._found(self._journal._query, day)
        return self._totals(self._journal._query, found)

    def x_report(self) -> XReport:
        """The open day so far (:class:`NotAllowed` when none is open)."""
        return self._x_report(self._journal._query, time.time())

    def close_day(
        self, count: Count, note: str, by: int | None, approved_by: int | None
    ) -> ZReport:
        """Close the open day with the cash ``count``-ed, by cashier ``by``. One
        transaction sets everything the close writes (what is expected, computed from
        the rows in it; the count; the note; who and when; the Z report): after a crash
        the day is open as before, or closed with all of it. A difference between the
        count and what is expected needs a ``note`` saying why (:class:`ValueError`);
        with no day open, :class:`NotAllowed`."""
        note = note.strip()
        now = time.time()
        with self._journal._write() as db:

            def query(sql: str, *args: Any) -> list[Any]:
                return db.execute(sql, args).fetchall()

            x = self._x_report(query, now)
            if count.total != x.expected and not note:
                raise ValueError("The cash counted is not what was expected: say why in a note.")
            report = ZReport(x, by, approved_by, count.total, count.pieces, note)
            db.execute(
                "UPDATE day SET closed_at = ?, closed_by = ?, approved_by = ?, counted = ?, "
                "counts = ?, expected = ?, note = ?, report = ? WHERE id = ?",
                (
                    now,
                    by,
                    approved_by,
                    count.total,
                    _counts_json(count),
                    x.expected,
                    note,
                    encode(report),
                    x.day,
                ),
            )
            if approved_by is not None:
                detail = f"day {x.day}"
                _insert_approval(
                    db, now, ApprovalAction.CLOSE_DAY, approved_by, by, None, detail, x.day
                )
        return report

    def z_reports(self, limit: int = 20) -> list[ZReport]:
        """The stored Z reports, newest first."""
        rows = self._journal._query(
            "SELECT id, report FROM day WHERE report IS NOT NULL ORDER BY id DESC LIMIT ?", limit
        )
        return [self._report(row) for row in rows]

    def z_report(self, number: int) -> ZReport | None:
        """Day ``number``'s Z report, as stored when it closed (``None``: no such day
        closed)."""
        rows = self._journal._query(
            "SELECT id, report FROM day WHERE id = ? AND report IS NOT NULL", number
        )
        return self._report(rows[0]) if rows else None

    # --- reading rows ---

    def _found(self, query: Query, day: int | None) -> Day:
        """Day ``day``, else the open day; :class:`NotAllowed` when there is none."""
        if day is None:
            found = self._day(query, "WHERE closed_at IS NULL")
            if found is None:
                raise NotAllowed("No day is open.")
            return found
        found = self._day(query, "WHERE id = ?", day)
        if found is None:
            raise NotAllowed(f"There is no day {day}.")
        return found

    def _x_report(self, query: Query, at: float) -> XReport:
        day = self._found(query, None)
        totals = self._totals(query, day)
        return XReport(day.number, day.opened_at, day.opened_by, day.float_count.pieces, totals, at)

    def _totals(self, query: Query, day: Day) -> DayTotals:
        rows = query(
            "SELECT sale_id, document, cashier FROM receipt WHERE day_id = ? ORDER BY sale_id",
            day.number,
        )
        revenue = change = 0
        tenders: dict[str, int] = {}
        cashiers: dict[int | None, CashierTotal] = {}
        for sale_id, document, cashier in rows:
            receipt = self._journal._read(Receipt, document, f"sale {sale_id} receipt")
            revenue += receipt.total
            change += receipt.change or 0
            for payment in receipt.payments:
                tenders[payment.method] = tenders.get(payment.method, 0) + payment.amount
            seen = cashiers.get(cashier, CashierTotal(cashier, None, 0, 0))
            cashiers[cashier] = CashierTotal(
                cashier,
                receipt.served_by or seen.name,
                seen.sales + 1,
                seen.revenue + receipt.total,
            )
        moved = dict(
            query(
                "SELECT kind, sum(amount) FROM cash_move WHERE day_id = ? GROUP BY kind",
                day.number,
            )
        )
        ((no_sales,),) = query(
            "SELECT count(*) FROM printout WHERE day_id = ? AND kind = ?",
            day.number,
            PrintKind.NO_SALE.value,
        )
        return DayTotals(
            day=day.number,
            float_amount=day.float_count.total,
            sales=len(rows),
            revenue=revenue,
            tenders=tuple(TenderTotal(method, tenders[method]) for method in sorted(tenders)),
            cashiers=tuple(
                cashiers[number] for number in sorted(cashiers, key=lambda n: (n is None, n or 0))
            ),
            cash_in=moved.get(MoveKind.IN.value, 0),
            cash_out=moved.get(MoveKind.OUT.value, 0),
            no_sales=no_sales,
            change=change,
        )

    def _day(self, query: Query, where: str, *args: Any) -> Day | None:
        rows = query(f"SELECT {_DAY_COLUMNS} FROM day {where}", *args)
        if not rows:
            return None
        number, opened_at, opened_by, float_amount, float_counts, *closed = rows[0]
        closed_at, closed_by, approved_by, counted, counts, expected, note = closed
        return Day(
            number,
            opened_at,
            opened_by,
            self._count(number, float_amount, float_counts),
            closed_at,
            closed_by,
            approved_by,
            None if counted is None else self._count(number, counted, counts),
            expected,
            note,
        )

    def _count(self, day: int, amount: int, text: str | None) -> Count:
        try:
            if text is None:
                return Count(amount=amount)
            return Count({int(cents): count for cents, count in json.loads(text).items()}, amount)
        except (ValueError, TypeError, AttributeError) as exc:
            what = f"has day {day} with a count it cannot read ({exc})"
            raise JournalDamaged(self._journal.path, what) from None

    def _move(self, row: tuple[Any, ...]) -> CashMove:
        move_id, day, at, kind, amount, reason, cashier, approved_by = row
        return CashMove(move_id, day, at, MoveKind(kind), amount, reason, cashier, approved_by)

    def _approval(self, row: tuple[Any, ...]) -> Approval:
        approval_id, at, action, manager, cashier, sale_id, detail = row
        try:
            kind = ApprovalAction(action)
        except ValueError:
            what = f"has approval {approval_id} of action {action!r}"
            raise JournalDamaged(self._journal.path, what) from None
        return Approval(approval_id, at, kind, manager, cashier, sale_id, detail)

    def _report(self, row: tuple[Any, ...]) -> ZReport:
        number, text = row
        return self._journal._read(ZReport, text, f"day {number} Z report")


def _counts_json(count: Count) -> str | None:
    """``count`` as the journal keeps it: ``{cents: count}``, or ``None`` for one amount."""
    if count.counts is None:
        return None
    return json.dumps({str(cents): number for cents, number in count.counts.items()})


def _insert_approval(
    db: sqlite3.Connection,
    at: float,
    action: ApprovalAction,
    manager: int,
    cashier: int | None,
    sale_id: int | None,
    detail: str,
    day: int | None = None,
) -> None:
    """One approval, in ``day`` (else the open day; none open: after the last closed
    one)."""
    (last,) = db.execute("SELECT coalesce(max(id), 0) FROM day WHERE closed_at IS NOT NULL")
    db.execute(
        "INSERT INTO approval (at, action, manager, cashier, sale_id, detail, day_id, "
        "after_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (at, action.value, manager, cashier, sale_id, detail, day or open_day(db), last[0]),
    )
