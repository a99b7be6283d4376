"""The till's printing desk: one printout at a time, each journaled before it goes and
after, sent on a thread of its own with a deadline, so a printer that hangs, drops or
runs out of paper never holds up a sale, and nothing prints twice by itself."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from tui_pos.checkout.journal import Journal, JournalError
from tui_pos.checkout.printouts import PrintKind, PrintState
from tui_pos.config import PrinterSettings
from tui_pos.printer.devices import PrinterFault, deliver
from tui_pos.printer.layout import Shop, drawer_bytes, receipt_bytes, report_bytes
from tui_pos.printer.render import Printed, render

log = logging.getLogger(__name__)

T = TypeVar("T")

GRACE_SECONDS = 2.0
"""What a printout may take beyond the printer's own timeouts (connect, status, send)."""


class Outcome(StrEnum):
    PRINTED = "printed"
    """The printer took it and said, after, that it is fine."""
    SENT = "sent"
    """It went out whole, and the printer cannot say more (a file device, a quiet one)."""
    FAILED = "failed"
    NOTHING = "nothing"
    """Nothing to print: no receipt, or it was printed before."""


@dataclass(frozen=True)
class PrintReport:
    kind: PrintKind
    sale_id: int | None
    outcome: Outcome
    copy: bool = False
    problem: str | None = None
    """What the printer did wrong, in words ("out of paper")."""
    paper: Printed | None = None
    """What the training till's printer printed, to show on the screen."""


class PrintDesk:
    """Receipts and the drawer for one till. Its coroutines run on the event loop (the
    journal is written there only); the device is driven on a thread per printout."""

    def __init__(self, journal: Journal, settings: PrinterSettings, shop: Shop) -> None:
        self.journal = journal
        self.settings = settings
        self.shop = shop
        self._turn = asyncio.Lock()
        self._stuck: threading.Thread | None = None
        """The thread of a printout that outlived its deadline (a hung device)."""

    async def first_print(self, sale_id: int) -> PrintReport:
        """The receipt of a sale just paid, when the shop prints every receipt, once:
        not when any printout of it was sent before (a restart, a second call). Looked
        up in its turn, so that a second call waiting behind the first sees its print."""
        if self.settings.receipt != "always":
            return PrintReport(PrintKind.RECEIPT, sale_id, Outcome.NOTHING)
        async with self._turn:
            if self.journal.printouts(sale_id, kind=PrintKind.RECEIPT, limit=1):
                return PrintReport(PrintKind.RECEIPT, sale_id, Outcome.NOTHING)
            return await self._receipt(sale_id)

    async def print_receipt(self, sale_id: int | None = None) -> PrintReport:
        """The receipt of ``sale_id`` (else the last paid sale), marked COPY when one
        may have printed before."""
        async with self._turn:
            return await self._receipt(sale_id)

    async def _receipt(self, sale_id: int | None) -> PrintReport:
        receipt = self.journal.receipt(sale_id)
        if receipt is None:
            return PrintReport(PrintKind.RECEIPT, sale_id, Outcome.NOTHING)
        before = self.journal.printouts(receipt.sale_id, kind=PrintKind.RECEIPT)
        copy = any(printout.may_have_printed for printout in before)
        data = receipt_bytes(receipt, self.shop, copy=copy)
        return await self._print(PrintKind.RECEIPT, receipt.sale_id, data, copy)

    async def open_drawer(self, sale_id: int | None, *, cash_paid: int = 1) -> PrintReport:
        """Kick the drawer open: "no sale" (``sale_id`` None), or once per cash payment
        of ``sale_id``, of which ``cash_paid`` are paid: not when as many kicks of the
        sale are in the journal already (a resumed sale, a second call)."""
        if sale_id is None:
            async with self._turn:
                return await self._print(
                    PrintKind.NO_SALE, None, drawer_bytes(self.settings), False
                )
        async with self._turn:
            kicks = self.journal.printouts(sale_id, kind=PrintKind.DRAWER, limit=cash_paid)
            if len(kicks) >= cash_paid:
                return PrintReport(PrintKind.DRAWER, sale_id, Outcome.NOTHING)
            return await self._print(PrintKind.DRAWER, sale_id, drawer_bytes(self.settings), False)

    async def open_for_cash_move(self) -> PrintReport:
        """Kick the drawer open for cash put in or taken out (the movement is journaled
        by the day book; this is the printout)."""
        async with self._turn:
            return await self._print(PrintKind.CASH_MOVE, None, drawer_bytes(self.settings), False)

    async def print_report(self, title: str, lines: list[str]) -> PrintReport:
        """An X or Z report, as the screen shows it."""
        async with self._turn:
            data = report_bytes(title, lines, self.shop)
            return await self._print(PrintKind.REPORT, None, data, False)

    def unprinted(self) -> tuple[int, str, bool] | None:
        """After a start: the last paid sale's receipt if it may not have printed (the
        till stopped while it printed, before it did, or it failed) as (sale id, order
        number, whether a reprint is a copy). Offered to the cashier, never printed."""
        receipt = self.journal.receipt()
        if receipt is None:
            return None
        printouts = self.journal.printouts(receipt.sale_id, kind=PrintKind.RECEIPT)
        if any(printout.state is PrintState.DONE for printout in printouts):
            return None
        if not printouts and self.settings.receipt != "always":
            return None
        copy = any(printout.may_have_printed for printout in printouts)
        return receipt.sale_id, receipt.order_number, copy

    async def _print(
        self, kind: PrintKind, sale_id: int | None, data: bytes, copy: bool
    ) -> PrintReport:
        printout = self.journal.begin_printout(kind, sale_id, copy=copy)
        paper = None
        try:
            if self.settings.kind == "screen":
                paper = render(data, self.settings.columns)
                confirmed = True
            else:
                confirmed = await self._on_thread(lambda: deliver(self.settings, data))
        except PrinterFault as fault:
            log.warning(
                "printout %s (%s) failed: %s",
                printout,
                kind.value,
                fault,
                exc_info=fault.__cause__ is not None,  # what the library said: "see the log"
            )
            self._end(printout, str(fault), partly=fault.partly)
            return PrintReport(kind, sale_id, Outcome.FAILED, copy, str(fault))
        self._end(printout)
        outcome = Outcome.PRINTED if confirmed else Outcome.SENT
        return PrintReport(kind, sale_id, outcome, copy, paper=paper)

    def _end(self, printout: int, problem: str | None = None, *, partly: bool = False) -> None:
        """The printout's end in the journal. The printer has done its part by now: a
        journal that cannot take the end leaves it "sent" (a copy, after a restart), and
        the report still says what the printer did, not "not printed"."""
        try:
            self.journal.end_printout(printout, problem, partly=partly)
        except JournalError:
            log.exception("printout %s: its end could not be journaled", printout)

    async def _on_thread(self, job: Callable[[], T]) -> T:
        """``job`` on a daemon thread, awaited up to the printer's deadline. A thread
        that outlives it (a device that blocks for good) is left to end by itself, and
        no other printout starts until it has: a printer takes one at a time."""
        if self._stuck is not None and self._stuck.is_alive():
            raise PrinterFault("is still not responding (the last printout is stuck)")
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()

        def settle(value: T | None, error: BaseException | None) -> None:
            if done.cancelled():
                return
            if error is not None:
                done.set_exception(error)
            else:
                done.set_result(value)  # type: ignore[arg-type]

        def run() -> None:
            try:
                value, error = job(), None
            except BaseException as exc:  # handed to the loop, whatever it is
                value, error = None, exc
            with contextlib.suppress(RuntimeError):  # the loop closed: the till stops
                loop.call_soon_threadsafe(settle, value, error)

        thread = threading.Thread(target=run, name="printer", daemon=True)
        thread.start()
        deadline = 3 * self.settings.timeout + GRACE_SECONDS  # connect, status, send
        try:
            return await asyncio.wait_for(asyncio.shield(done), deadline)
        except TimeoutError:
            self._stuck = thread
            raise PrinterFault("is not responding", partly=True) from None
        except PrinterFault:
            raise
        except Exception as exc:
            log.exception("printing failed")
            raise PrinterFault("failed (see the log)", partly=True) from exc
