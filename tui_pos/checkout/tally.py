"""The journal's figures that a till's metrics show: the sales paid since the process
started and in the open day, per tender; the last sale's time; what is pending (invoices
in the outbox, calls of unknown outcome); the journal's size. Read from the journal's
rows, never counted aside, so the metrics say what the journal holds.

A :class:`Tally` reads only the receipts added since it last looked: a sale's receipt is
keyed by its sale id, and sales are numbered in the order they start, one at a time, so
a receipt written later has a larger id than every receipt before it."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Any

from tui_pos.afosto.base import PaymentStatus
from tui_pos.checkout.attempt import still_unsure
from tui_pos.checkout.day import DayBook, DayTotals
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import Journal
from tui_pos.checkout.receipt import Receipt
from tui_pos.checkout.steps import PaymentOutcome, StartTerminal, Step, WatchPage


@dataclass(frozen=True)
class Figures:
    """What the journal holds, as at one reading."""

    sales: int
    """Sales paid since the tally began (the till started)."""
    tenders: dict[str, int]
    """Per Afosto method code (``PIN``, ``CASH``): the money paid since the tally began."""
    day: DayTotals | None
    """The open day's totals (``None``: no day open)."""
    last_sale_at: float | None
    """When the newest paid sale was paid (unix seconds; ``None``: none yet)."""
    invoices_pending: int
    oldest_invoice_pending_at: float | None
    """When the oldest sale still waiting for its invoice was paid."""
    unknown_outcomes: int
    """Calls of the sale in progress whose outcome is unknown: sent with no outcome
    recorded, or the card payment not confirmed (read back still running)."""
    oldest_unknown_at: float | None
    """When the oldest of them was sent (a card payment: its first start)."""
    journal_bytes: int
    """The journal's file and its write-ahead log."""


class Tally:
    """Counts the sales paid on ``journal`` after the sale numbered ``since`` (the
    :meth:`newest_receipt` as the till started), and reads its other figures. It owns
    ``journal``: :meth:`close` closes it."""

    def __init__(self, journal: Journal, *, since: int) -> None:
        self._journal = journal
        self._seen = since
        self._sales = 0
        self._tenders: dict[str, int] = {}

    @staticmethod
    def newest_receipt(journal: Journal) -> int:
        """The sale number of the newest receipt (0: none yet)."""
        ((newest,),) = journal._query("SELECT coalesce(max(sale_id), 0) FROM receipt")
        return int(newest)

    def close(self) -> None:
        self._journal.close()

    def read(self) -> Figures:
        """The figures now; raises :class:`JournalError` when the journal cannot be read."""
        journal = self._journal
        rows = journal._query(
            "SELECT sale_id, document FROM receipt WHERE sale_id > ? ORDER BY sale_id",
            self._seen,
        )
        for sale_id, document in rows:
            receipt = journal._read(Receipt, document, f"sale {sale_id} receipt")
            self._sales += 1
            for payment in receipt.payments:
                self._tenders[payment.method] = (
                    self._tenders.get(payment.method, 0) + payment.amount
                )
            self._seen = sale_id
        last = journal.receipt()
        paid_at = [self._paid_at(sale.id) for sale in journal.pending_invoices()]
        active = journal.active_sale()
        unknown = _unknown_outcomes(journal, active.id) if active is not None else []
        return Figures(
            sales=self._sales,
            tenders=dict(self._tenders),
            day=_open_day(journal),
            last_sale_at=last.finished_at if last is not None else None,
            invoices_pending=len(paid_at),
            oldest_invoice_pending_at=min(paid_at, default=None),
            unknown_outcomes=len(unknown),
            oldest_unknown_at=min((step.sent_at for step in unknown), default=None),
            journal_bytes=_size(journal),
        )

    def _paid_at(self, sale_id: int) -> float:
        receipt = self._journal.receipt(sale_id)
        return (
            receipt.finished_at if receipt is not None else self._journal.sale(sale_id).started_at
        )


def _unknown_outcomes(journal: Journal, sale_id: int) -> list[Step[Any]]:
    """The sale's steps sent with no outcome recorded (a page being watched among them),
    the first start of its last card payment while that is not confirmed (read back
    still running, and not confirmed failed by the cashier since: what the till itself
    resumes on), and its last page payment when the cashier stopped watching it still
    running (the doctor's "not confirmed")."""
    unknown: list[Step[Any]] = list(journal.unresolved(sale_id))
    card = _unsure_card(journal, sale_id)
    watches = journal.steps(sale_id, WatchPage)
    page = watches[-1] if watches and _read_back_running(watches[-1]) else None
    for step in (card, page):
        if step is not None and all(known.id != step.id for known in unknown):
            unknown.append(step)
    return unknown


def _unsure_card(journal: Journal, sale_id: int) -> Step[StartTerminal] | None:
    starts = journal.steps(sale_id, StartTerminal)
    if not starts:
        return None
    payment_id = starts[-1].intent.payment_id
    confirmed = journal.note(sale_id).confirmed_failed
    after = max((c.after_step for c in confirmed if c.payment_id == payment_id), default=-1)
    if not still_unsure(starts, payment_id, after):
        return None
    return next(s for s in starts if s.intent.payment_id == payment_id and s.id > after)


def _read_back_running(step: Step[WatchPage]) -> bool:
    result = step.result
    return isinstance(result, PaymentOutcome) and result.status == PaymentStatus.PENDING


def _open_day(journal: Journal) -> DayTotals | None:
    try:
        return DayBook(journal).totals()
    except NotAllowed:  # no day open
        return None


def _size(journal: Journal) -> int:
    total = 0
    for path in (journal.path, journal.path.with_name(journal.path.name + "-wal")):
        with contextlib.suppress(FileNotFoundError):  # no write-ahead log just now
            total += os.stat(path).st_size
    return total
