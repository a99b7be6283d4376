"""Finishing a paid sale: opening the order and invoicing its units (all, or all but
the ones held for later), with a few tries before the outbox takes over."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import replace

from tui_pos.afosto import AfostoError, NotFound, Order, ValidationFailed
from tui_pos.afosto.base import OrderStatus
from tui_pos.checkout.cart import Cart
from tui_pos.checkout.context import SaleContext, retryable
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import JournalError, SaleRecord, SaleStatus
from tui_pos.checkout.order import SaleOrder
from tui_pos.checkout.receipt import receipt_of
from tui_pos.checkout.steps import Invoice, Invoiced, Opened, OpenOrder, Step
from tui_pos.checkout.view import Phase
from tui_pos.money import format_money

FINISH_TRIES = 3
"""Tries to open and invoice a paid sale before the outbox takes it over."""


class Finishing:
    """Opening and invoicing, and the units held to invoice later."""

    def __init__(self, ctx: SaleContext, order: SaleOrder, cart: Cart, record: SaleRecord) -> None:
        self._ctx = ctx
        self._order = order
        self._cart = cart
        self._held = set(record.note.held)
        self._invoice_id = record.note.invoice_id
        ctx.publish(
            invoice_number=record.note.invoice_number,
            invoice_url=record.note.invoice_url,
            invoice_pending=record.status is SaleStatus.INVOICE_PENDING,
            held=tuple(sorted(self._held)),
        )
        ctx.on_unresolved(OpenOrder, self._resolve_open)
        ctx.on_unresolved(Invoice, self._resolve_invoice)

    def settled(self) -> bool:
        """The order as last read is paid in full (or opened): it is to be finished."""
        order = self._order.last
        return (
            order is not None
            and bool(order.items)
            and (order.status is not OrderStatus.CONCEPT or not order.due)
        )

    async def maybe_finish(self) -> None:
        order = self._order.last
        if order is not None and order.status is OrderStatus.CONCEPT and order.due == 0:
            await self.finish()

    def hold_invoice(self, code: str, held: bool = True) -> None:
        """Leave a line out of the invoice made at the end (partial invoicing)."""
        self._held = self._held | {code} if held else self._held - {code}
        codes = tuple(sorted(self._held))
        self._ctx.journal.edit_note(self._ctx.sale_id, lambda note: replace(note, held=codes))
        self._ctx.publish(held=codes)

    async def finish(self, *, read: bool = True) -> None:
        """Open the fully paid order, wait for the invoice action and invoice every unit
        that is not held back. ``read=False``: the engine has just seen the payment that
        pays the rest, so the order is not read first (openOrder refuses an unpaid one).

        What Afosto may get over (a 5xx, a timeout) is tried again after a pause; when it
        still fails, the paid sale ends as "paid, invoice pending" for the outbox. The
        cart takes no scan meanwhile (it would go to an order being opened)."""
        with self._cart.frozen():
            await self._finish(read=read)

    async def _finish(self, *, read: bool) -> None:
        ctx = self._ctx
        delay = ctx.settings.retry_interval
        for attempt in range(FINISH_TRIES):
            try:
                await self._finish_once(read=read or attempt > 0)
                return
            except (NotAllowed, JournalError, AfostoError) as exc:
                ctx.publish(busy=False)
                ctx.fail(exc)
                if isinstance(exc, NotFound) and await self._gone_while_finishing():
                    return
                order = self._order.current  # not one read before a payment
                if order is not None and order.status is OrderStatus.CONCEPT and order.due:
                    self._back_to_payment(order, changed=False)
                    return
                if ctx.view.phase not in (Phase.OPENING, Phase.INVOICING):
                    ctx.publish(phase=ctx.resting_phase())
                    return
                if isinstance(exc, AfostoError) and retryable(exc) and attempt < FINISH_TRIES - 1:
                    delay = await ctx.wait_after(exc, delay)
                    continue
                # Paid in full, but Afosto cannot open or invoice it now: it ends as "paid,
                # invoice pending" and the outbox finishes it, as after a slow invoice.
                # The screen moves on even when the journal cannot record it: no finishing
                # step leaves the cashier without a key (the next start finishes it again).
                with contextlib.suppress(JournalError):
                    self._paid(SaleStatus.INVOICE_PENDING)
                ctx.publish(phase=Phase.DONE, invoice_pending=True)
                return

    async def _gone_while_finishing(self) -> bool:
        """The order went while the sale was paid and finished: kept for support (or, with
        nothing paid, put on a new order), back on the sale screen where a key works."""
        ctx = self._ctx
        try:
            if not await self._order.is_gone():
                return False
            await self._order.gone()
        except (NotAllowed, JournalError, AfostoError) as exc:
            ctx.fail(exc)
        ctx.publish(phase=ctx.resting_phase(), busy=False)
        return True

    def _back_to_payment(self, order: Order, *, changed: bool) -> None:
        """The order is not paid in full (an item was added in Afosto meanwhile): back to
        the cart with what is due, the pay keys working; never openOrder."""
        due = format_money(order.due, self._ctx.settings.locale)
        why = (
            f"The order changed in Afosto: {due} more is due. Take the rest."
            if changed
            else f"Not fully paid: {due} is still due. Take the rest."
        )
        self._ctx.publish(phase=self._ctx.resting_phase(), busy=False, error=why)

    async def _finish_once(self, *, read: bool) -> None:
        ctx = self._ctx
        async with ctx.lock:
            await ctx.resolve()
            order = await self._order.read() if read else self._order.require()
            if order.status is OrderStatus.CONCEPT:
                if read and order.due:
                    self._back_to_payment(order, changed=False)
                    return
                ctx.publish(phase=Phase.OPENING, busy=True)
                try:
                    await self._open()
                except ValidationFailed:  # e.g. "not fully paid": read what Afosto holds
                    order = await self._order.read()
                    if order.status is OrderStatus.CONCEPT and order.due:
                        self._back_to_payment(order, changed=True)
                        return
                    raise
            ctx.publish(phase=Phase.INVOICING, busy=True)
            ids = await self._wait_for_invoice_action(self._order.require())
            if ids is None:
                self._paid(SaleStatus.INVOICE_PENDING)
                ctx.publish(phase=Phase.DONE, invoice_pending=True, busy=False)
                return
            if ids:
                await self._invoice(ids, None)
            self._paid(SaleStatus.DONE)
            ctx.publish(phase=Phase.DONE, busy=False, error=None)

    def _paid(self, status: SaleStatus) -> None:
        """The sale ends (invoiced, or its invoice left to the outbox) with its receipt
        in the same transaction: no paid sale is without one, whenever the till stops."""
        ctx = self._ctx
        number, name = ctx.cashier or (None, None)
        receipt = receipt_of(ctx.sale_id, ctx.view, time.time(), cashier=number, served_by=name)
        ctx.journal.set_status(ctx.sale_id, status, receipt=receipt)

    async def invoice_rest(self) -> None:
        """Invoice the units held back, into this sale's invoice."""
        ctx = self._ctx
        try:
            async with ctx.lock:
                await ctx.resolve()
                order = await self._order.read()
                ids = order.action_ids("invoice")
                if not ids:
                    raise NotAllowed("Nothing is left to invoice on this sale.")
                await self._invoice(ids, self._invoice_id)
                self._held = set()
                ctx.journal.edit_note(ctx.sale_id, lambda note: replace(note, held=()))
                ctx.publish(held=(), error=None)
        except (NotAllowed, JournalError, AfostoError) as exc:
            ctx.fail(exc)

    async def _open(self) -> None:
        order_id = self._order.require().id
        order = await self._ctx.exactly_once(
            OpenOrder(order_id),
            lambda: self._ctx.client.open_order(order_id),
            lambda order: Opened(order.status.value),
        )
        if order is not None:
            self._order.apply(order)

    async def _resolve_open(self, step: Step[OpenOrder]) -> None:
        order = await self._order.read()
        opened = order.status is not OrderStatus.CONCEPT
        self._ctx.journal.end(step.id, Opened(order.status.value), ok=opened)

    async def _wait_for_invoice_action(self, order: Order) -> list[str] | None:
        """Poll until the invoice action lists ids; ``None`` when it did not in time.
        ``order`` is the order just read or just opened: it may list them already.

        Returns the ids to invoice now (held lines left out); empty when nothing is."""
        settings = self._ctx.settings
        deadline = time.monotonic() + settings.invoice_timeout
        first = True
        while True:
            if not first:
                order = await self._order.read()
            first = False
            offered = order.action_ids("invoice")
            if offered or order.invoices:  # the action goes once every unit is invoiced
                by_code = self._cart.units_by_code()
                held = {unit for code in self._held for unit in by_code.get(code, [])}
                return [unit for unit in offered if unit not in held]
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(settings.invoice_poll)

    async def _invoice(self, ids: list[str], invoice_id: str | None) -> None:
        known = tuple(invoice.id for invoice in self._order.require().invoices)
        invoice = await self._ctx.exactly_once(
            Invoice(tuple(ids), invoice_id, known),
            lambda: self._ctx.client.invoice_items(ids, invoice_id),
            lambda invoice: Invoiced(invoice.id, invoice.number, invoice.pdf_url),
        )
        if invoice is not None:
            self._remember_invoice(invoice.id, invoice.number, invoice.pdf_url)
        # Read back (None), the resolver remembered it. No read of the order here:
        # whoever invoices next reads it first.

    async def _resolve_invoice(self, step: Step[Invoice]) -> None:
        order = await self._order.read()
        known = set(step.intent.known)
        invoices = [invoice for invoice in order.invoices if invoice.id not in known]
        if not invoices:
            self._ctx.journal.end(step.id, Invoiced(), ok=False)
            return
        found = invoices[-1]
        self._ctx.journal.end(step.id, Invoiced(found.id, found.number, found.pdf_url))
        self._remember_invoice(found.id, found.number, found.pdf_url)

    def _remember_invoice(self, invoice_id: str, number: str, url: str | None) -> None:
        self._invoice_id = invoice_id
        self._ctx.journal.edit_note(
            self._ctx.sale_id,
            lambda note: replace(
                note, invoice_id=invoice_id, invoice_number=number, invoice_url=url
            ),
        )
        self._ctx.publish(invoice_number=number, invoice_url=url, invoice_pending=False)
