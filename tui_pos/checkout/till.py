"""A till session: one client, one journal, payment options and the invoice outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from tui_pos.afosto import AfostoClient, AfostoError, InvalidResponse, Order
from tui_pos.afosto.assumed import PaymentOptions
from tui_pos.checkout.journal import Journal
from tui_pos.checkout.sale import Sale
from tui_pos.checkout.settings import EngineSettings
from tui_pos.checkout.view import SaleView

log = logging.getLogger(__name__)


class Till:
    """Owns what lives longer than a sale; hands out one sale at a time."""

    def __init__(self, client: AfostoClient, journal: Journal, settings: EngineSettings) -> None:
        self.client = client
        self.journal = journal
        self.settings = settings
        self._options: PaymentOptions | None = None
        self._options_lock = asyncio.Lock()
        self._outbox_task: asyncio.Task[None] | None = None
        self._outbox_wake = asyncio.Event()
        self.sale: Sale | None = None
        self._cashier: tuple[int, str] | None = None

    async def payment_options(self, order: Order, refresh: bool = False) -> PaymentOptions:
        """Methods, terminals and drawers: read once per session, again on request."""
        async with self._options_lock:
            if self._options is None or refresh:
                full = await self.client.get_order(order.id, with_options=True)
                if full.options is None:
                    raise InvalidResponse("the order came back without its payment options")
                self._options = full.options.payment
            return self._options

    @property
    def known_options(self) -> PaymentOptions | None:
        return self._options

    @property
    def cashier(self) -> tuple[int, str] | None:
        """The signed-in cashier (number, name): on the sales started and the receipts
        of the sales paid from now on (``None``: a till without cashiers)."""
        return self._cashier

    @cashier.setter
    def cashier(self, cashier: tuple[int, str] | None) -> None:
        self._cashier = cashier
        if self.sale is not None:
            self.sale.cashier = cashier

    def _make_sale(self, sale_id: int) -> Sale:
        record = self.journal.sale(sale_id)
        sale = Sale(record, self.client, self.journal, self.settings, self.payment_options)
        sale.cashier = self._cashier
        sale.subscribe(self._wake_outbox)
        return sale

    def _wake_outbox(self, view: SaleView) -> None:
        if view.invoice_pending:  # a sale just ended without its invoice: the outbox's work
            self._outbox_wake.set()

    async def start(self, *, recover: bool = True) -> Sale:
        """Resume the sale a crash interrupted, or start a new one; start the outbox.

        With ``recover=False`` the caller runs ``sale.recover()`` itself (the app does,
        in a worker, so that the screen is up while Afosto is asked)."""
        if self._outbox_task is None:
            self._outbox_task = asyncio.get_running_loop().create_task(self._run_outbox())
        record = self.journal.active_sale()
        if record is None:
            return self.new_sale()
        self.sale = self._make_sale(record.id)
        if recover:
            await self.sale.recover()
        return self.sale

    def new_sale(self) -> Sale:
        """Start the next sale; an unfinished invoice stays with the outbox."""
        if self.sale is not None:
            self._outbox_wake.set()
        started_by = self._cashier[0] if self._cashier is not None else None
        self.sale = self._make_sale(self.journal.new_sale(started_by))
        return self.sale

    def set_aside(self) -> Sale:
        """Keep the sale whose order is gone (money taken) for support, and start the
        next one."""
        assert self.sale is not None
        self.sale.set_aside()
        return self.new_sale()

    async def flush_outbox(self) -> int:
        """Try every pending invoice once; returns how many are still pending."""
        for record in self.journal.pending_invoices():
            sale = self._make_sale(record.id)
            await sale.finish()
            await sale.close()
        return len(self.journal.pending_invoices())

    async def _run_outbox(self) -> None:
        while True:
            pending = 1
            try:
                pending = await self.flush_outbox()
            except AfostoError as exc:
                log.warning("outbox: %s", exc.message)
            except Exception:  # never dies silently: the next round tries again
                log.exception("outbox: unexpected error; trying again")
            self._outbox_wake.clear()
            # Nothing pending: sleep until a sale ends (new_sale wakes it), so an idle till
            # never wakes up; something pending: try again every outbox_interval.
            interval = self.settings.outbox_interval if pending else None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._outbox_wake.wait(), interval)

    async def close(self) -> None:
        if self.sale is not None:
            await self.sale.close()
        if self._outbox_task is not None:
            self._outbox_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._outbox_task
        self.journal.close()
