"""The receipt printer and the cash drawer as the app uses them: the printing desk
loaded after the first paint (python-escpos is heavy), every printout run as a worker
so the sale goes on while it prints, and each result said in the cashier's words."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui_pos.checkout import Journal
    from tui_pos.config import Settings
    from tui_pos.printer.desk import PrintDesk, PrintReport
    from tui_pos.printer.render import Printed

log = logging.getLogger(__name__)

REPRINT_KEY = "F6"
NO_SALE_KEY = "F7"

_SHORT = {"out of paper": "out of paper", "the cover is open": "cover open"}
"""The status line's word for a printer's problem (the message line says the rest)."""

_THEN = {
    "out of paper": "once it is refilled",
    "the cover is open": "once it is closed",
}


def report_words(report: PrintReport) -> str:
    """What the cashier is told of one printout."""
    from tui_pos.checkout.printouts import PrintKind
    from tui_pos.printer.desk import Outcome

    if report.kind is PrintKind.REPORT:
        if report.outcome is Outcome.FAILED:
            return f"Report not printed (printer: {report.problem}); F6 prints it again."
        return "Report printed." if report.outcome is Outcome.PRINTED else "Report sent."
    if report.kind is not PrintKind.RECEIPT:
        if report.outcome is Outcome.FAILED:
            return f"The drawer did not open (printer: {report.problem}). Open it with its key."
        return "Drawer opened."
    if report.outcome is Outcome.NOTHING:
        return "No receipt to print yet: no sale has been paid on this till."
    what = "Receipt (COPY)" if report.copy else "Receipt"
    if report.outcome is Outcome.PRINTED:
        return f"{what} printed."
    if report.outcome is Outcome.SENT:
        return f"{what} sent to the printer (it cannot confirm it printed)."
    then = _THEN.get(report.problem or "", "once it is back")
    return f"Printer: {report.problem} - the sale is done; reprint with {REPRINT_KEY} {then}."


class Printing:
    """The app's printing: ``say`` puts a line in the message line, ``state`` what is
    wrong with the printer in the status line (``None``: nothing), ``paper`` hands the
    training till's printout to the screen, ``run`` runs a coroutine as a worker."""

    def __init__(
        self,
        settings: Settings,
        journal: Journal,
        *,
        say: Callable[[str], None],
        state: Callable[[str | None], None],
        paper: Callable[[int | None, Printed], None],
        run: Callable[[Coroutine[Any, Any, None]], object],
    ) -> None:
        self.settings = settings
        self.journal = journal
        self._say, self._state, self._paper, self._run = say, state, paper, run
        self._desk: PrintDesk | None = None
        self._loaded = asyncio.Event()
        self._reprinting = False
        """A reprint asked for is waiting or printing: more presses of the key add none."""

    @property
    def configured(self) -> bool:
        return self.settings.printer.kind != "none"

    @property
    def loaded(self) -> bool:
        """The desk is up (or could not be): a receipt to offer has been offered."""
        return self._loaded.is_set()

    async def load(self) -> None:
        """python-escpos and the desk, imported on a thread (not to hold up a scan);
        then a receipt that may not have printed before the till stopped is offered."""
        try:
            await asyncio.to_thread(importlib.import_module, "tui_pos.printer.desk")
            from tui_pos.printer.desk import PrintDesk
            from tui_pos.printer.layout import Shop

            settings = self.settings
            shop = Shop(settings.printer, settings.till_name, settings.locale)
            self._desk = PrintDesk(self.journal, settings.printer, shop)
            unprinted = self._desk.unprinted()
        except Exception:  # a broken install: the till sells on, without receipts
            log.exception("the printer cannot be used")
            self._state("Printer: NOT OK")
            return
        finally:
            self._loaded.set()
        self._state(None)
        if unprinted is not None:
            _, order, copy = unprinted
            marked = ", marked COPY" if copy else ""
            self._say(
                f"The receipt of order {order} may not have printed: "
                f"{REPRINT_KEY} prints it{marked}."
            )

    def sale_paid(self, sale_id: int) -> None:
        """A sale was just paid: its receipt, if the shop prints each one."""
        if self.configured and self.settings.printer.receipt == "always":
            self._run(self._job(lambda desk: desk.first_print(sale_id), quiet=True))

    def cash_taken(self, sale_id: int, cash_paid: int) -> None:
        """Cash was recorded (``cash_paid`` cash payments of the sale are paid): open the
        drawer, if it hangs off the printer, once per payment."""
        if self.configured and self.settings.printer.drawer:
            self._run(
                self._job(lambda desk: desk.open_drawer(sale_id, cash_paid=cash_paid), quiet=True)
            )

    def print_receipt(self, sale_id: int | None = None) -> None:
        """The cashier's key: the receipt of ``sale_id`` (else the last one) again, one
        at a time (a key pressed again while it waits for the printer prints no more)."""
        if self._reprinting:
            self._say("The receipt is on its way to the printer.")
        elif self._key_works():
            self._reprinting = True
            self._run(self._reprint(sale_id))

    async def _reprint(self, sale_id: int | None) -> None:
        try:
            await self._job(lambda desk: desk.print_receipt(sale_id))
        finally:
            self._reprinting = False

    def drawer_ready(self) -> bool:
        """A drawer hangs off a printer that is set up; else the cashier is told."""
        if not self.settings.printer.drawer:
            self._say("No cash drawer is set up on this till (printer.drawer).")
            return False
        return self._key_works()

    def no_sale(self) -> None:
        """The cashier's "no sale" key: open the drawer, journaled with the time."""
        if self.drawer_ready():
            self._run(self._job(lambda desk: desk.open_drawer(None)))

    def cash_move(self) -> None:
        """Cash put in or taken out: open the drawer, if there is one."""
        if self.configured and self.settings.printer.drawer:
            self._run(self._job(lambda desk: desk.open_for_cash_move()))

    def print_report(self, title: str, lines: list[str]) -> None:
        """An X or Z report on paper."""
        if self._key_works():
            self._run(self._job(lambda desk: desk.print_report(title, lines)))

    def _key_works(self) -> bool:
        if not self.configured:
            self._say("No receipt printer is set up on this till (printer.kind).")
            return False
        return True

    async def _job(
        self, work: Callable[[PrintDesk], Coroutine[Any, Any, PrintReport]], *, quiet: bool = False
    ) -> None:
        """One printout through the desk, said when it ends (``quiet``: not when there
        was nothing to print). A journal that cannot be written stops it first."""
        from tui_pos.checkout.journal import JournalError
        from tui_pos.checkout.printouts import PrintKind
        from tui_pos.checkout.words import explain
        from tui_pos.printer.desk import Outcome

        await self._loaded.wait()
        if self._desk is None:
            self._say("The printer cannot be used (see the log); the sale is done.")
            return
        try:
            report = await work(self._desk)
        except JournalError as exc:
            self._say(f"Not printed: {explain(exc)}")
            return
        if report.paper is not None and report.kind is not PrintKind.REPORT:
            self._paper(report.sale_id, report.paper)  # a report is on the screen already
        if report.outcome is Outcome.FAILED:
            self._state(f"Printer: {_SHORT.get(report.problem or '', 'NOT OK')}")
        elif report.outcome is not Outcome.NOTHING:
            self._state(None)
        if not (quiet and report.outcome is Outcome.NOTHING):
            self._say(report_words(report))
