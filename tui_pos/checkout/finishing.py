"""Finishing a paid sale: opening the order and invoicing its units (all, or all but
the ones held for later), with a few tries before the outbox takes over."""

from __future__ import annotations

import asyncio
import contextlib
import time

from tui_pos.afosto import AfostoError, NotFound, Order, ValidationFailed
from tui_pos.afosto.base import OrderStatus
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.gone import OrderGone
from tui_pos.checkout.journal import JournalError, SaleStatus
from tui_pos.checkout.sale_base import retryable
from tui_pos.checkout.view import Phase
from tui_pos.money import format_money

FINISH_TRIES = 3
"""Tries to open and invoice a paid sale before the outbox takes it over."""


class Finishing(OrderGone):
    """Opening and invoicing, and the units held to invoice later."""

    async def _maybe_finish(self) -> None:
        order = self._order
        if order is not None and order.status is OrderStatus.CONCEPT and order.due == 0:
            await self.finish()

    def hold_invoice(self, sku: str, held: bool = True) -> None:
        """Leave a line out of the invoice made at the end (partial invoicing)."""
        self._held = self._held | {sku} if held else self._held - {sku}
        self._journal.update_note(self.id, held=sorted(self._held))
        self._publish(held=tuple(sorted(self._held)))

    async def finish(self, *, read: bool = True) -> None:
        """Open the fully paid order, wait for the invoice action and invoice every unit
        that is not held back. ``read=False``: the engine has just seen the payment that
        pays the rest, so the order is not read first (openOrder refuses an unpaid one).

        What Afosto may get over (a 5xx, a timeout) is tried again after a pause; when it
        still fails, the paid sale ends as "paid, invoice pending" for the outbox."""
        delay = self._settings.retry_interval
        for attempt in range(FINISH_TRIES):
            try:
                await self._finish_once(read=read or attempt > 0)
                return
            except (NotAllowed, JournalError, AfostoError) as exc:
                self._publish(busy=False)
                self._fail(exc)
                if isinstance(exc, NotFound) and await self._gone_while_finishing():
                    return
                order = self._order if self._order_current else None  # not one read before
                if order is not None and order.status is OrderStatus.CONCEPT and order.due:
                    self._back_to_payment(order, changed=False)
                    return
                if self._view.phase not in (Phase.OPENING, Phase.INVOICING):
                    self._publish(phase=self._resting_phase())
                    return
                transient = isinstance(exc, AfostoError) and retryable(exc)
                if transient and attempt < FINISH_TRIES - 1:
                    assert isinstance(exc, AfostoError)
                    delay = await self._wait_after(exc, delay)
                    continue
                # Paid in full, but Afosto cannot open or invoice it now: it ends as "paid,
                # invoice pending" and the outbox finishes it, as after a slow invoice.
                # The screen moves on even when the journal cannot record it: no finishing
                # step leaves the cashier without a key (the next start finishes it again).
                with contextlib.suppress(JournalError):
                    self._journal.set_status(self.id, SaleStatus.INVOICE_PENDING)
                self._publish(phase=Phase.DONE, invoice_pending=True)
                return

    async def _gone_while_finishing(self) -> bool:
        """The order went while the sale was paid and finished: kept for support (or, with
        nothing paid, put on a new order), back on the sale screen where a key works."""
        try:
            if not await self._order_is_gone():
                return False
            await self._order_gone()
        except (NotAllowed, JournalError, AfostoError) as exc:
            self._fail(exc)
        self._publish(phase=self._resting_phase(), busy=False)
        return True

    def _back_to_payment(self, order: Order, *, changed: bool) -> None:
        """The order is not paid in full (an item was added in Afosto meanwhile): back to
        the cart with what is due, the pay keys working; never openOrder."""
        due = format_money(order.due, self._settings.locale)
        why = (
            f"The order changed in Afosto: {due} more is due. Take the rest."
            if changed
            else f"Not fully paid: {due} is still due. Take the rest."
        )
        self._publish(phase=self._resting_phase(), busy=False, error=why)

    async def _finish_once(self, *, read: bool) -> None:
        async with self._lock:
            await self._resolve()
            order = await self._read_order() if read else self._current()
            if order.status is OrderStatus.CONCEPT:
                if read and order.due:
                    self._back_to_payment(order, changed=False)
                    return
                self._publish(phase=Phase.OPENING, busy=True)
                try:
                    await self._open()
                except ValidationFailed:  # e.g. "not fully paid": read what Afosto holds
                    order = await self._read_order()
                    if order.status is OrderStatus.CONCEPT and order.due:
                        self._back_to_payment(order, changed=True)
                        return
                    raise
            self._publish(phase=Phase.INVOICING, busy=True)
            ids = await self._wait_for_invoice_action(self._current())
            if ids is None:
                self._journal.set_status(self.id, SaleStatus.INVOICE_PENDING)
                self._publish(phase=Phase.DONE, invoice_pending=True, busy=False)
                return
            if ids:
                await self._invoice(ids, None)
            self._journal.set_status(self.id, SaleStatus.DONE)
            self._publish(phase=Phase.DONE, busy=False, error=None)

    async def invoice_rest(self) -> None:
        """Invoice the units held back, into this sale's invoice."""
        try:
            async with self._lock:
                await self._resolve()
                order = await self._read_order()
                ids = order.action_ids("invoice")
                if not ids:
                    raise NotAllowed("Nothing is left to invoice on this sale.")
                await self._invoice(ids, self._invoice_id)
                self._held = set()
                self._journal.update_note(self.id, held=[])
                self._publish(held=(), error=None)
        except (NotAllowed, JournalError, AfostoError) as exc:
            self._fail(exc)

    async def _open(self) -> None:
        order_id = self._current().id
        order = await self._exactly_once(
            "open_order",
            {"order_id": order_id},
            lambda: self._client.open_order(order_id),
            lambda order: {"status": order.status.value},
        )
        if order is not None:
            self._apply(order)

    async def _wait_for_invoice_action(self, order: Order) -> list[str] | None:
        """Poll until the invoice action lists ids; ``None`` when it did not in time.
        ``order`` is the order just read or just opened: it may list them already.

        Returns the ids to invoice now (held lines left out); empty when nothing is."""
        deadline = time.monotonic() + self._settings.invoice_timeout
        first = True
        while True:
            if not first:
                order = await self._read_order()
            first = False
            offered = order.action_ids("invoice")
            if offered or order.invoices:  # the action goes once every unit is invoiced
                by_code = self._units_by_code()
                held = {unit for code in self._held for unit in by_code.get(code, [])}
                return [unit for unit in offered if unit not in held]
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(self._settings.invoice_poll)

    async def _invoice(self, ids: list[str], invoice_id: str | None) -> None:
        known = [invoice.id for invoice in self._current().invoices]
        invoice = await self._exactly_once(
            "invoice",
            {"ids": ids, "invoice_id": invoice_id, "known": known},
            lambda: self._client.invoice_items(ids, invoice_id),
            lambda invoice: {"invoice_id": invoice.id, "number": invoice.number},
        )
        if invoice is None:  # found on the order by reading back
            result = self._journal.steps(self.id, "invoice")[-1].result or {}
            self._remember_invoice(result["invoice_id"], result["number"])
        else:
            self._remember_invoice(invoice.id, invoice.number)
        # No read of the order here: whoever invoices next reads it first.
