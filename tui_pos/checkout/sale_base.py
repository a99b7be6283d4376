"""What every part of a sale shares: its state and view, reading Afosto back, and
applying what Afosto says (the parts: :mod:`items`, :mod:`payments`, :mod:`finishing`;
:class:`tui_pos.checkout.sale.Sale` puts them together)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, TypeVar

from tui_pos.afosto import (
    AfostoClient,
    AfostoError,
    NotFound,
    Order,
    OrderItem,
    OutcomeUnknown,
    Payment,
    RateLimited,
    Unauthorized,
    ValidationFailed,
)
from tui_pos.afosto.assumed import PaymentOptions
from tui_pos.afosto.base import PaymentStatus
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import Journal, SaleRecord, SaleStatus, Step
from tui_pos.checkout.settings import EngineSettings
from tui_pos.checkout.view import Line, PaymentLine, Phase, SaleView, TerminalState
from tui_pos.checkout.words import explain, retrying

T = TypeVar("T")
log = logging.getLogger(__name__)
Listener = Callable[[SaleView], None]


class SaleBase:
    """The state of one sale, and the steps every part of it takes."""

    def __init__(
        self,
        record: SaleRecord,
        client: AfostoClient,
        journal: Journal,
        settings: EngineSettings,
        options: Callable[[Order, bool], Awaitable[PaymentOptions]],
    ) -> None:
        self.id = record.id
        self._client = client
        self._journal = journal
        self._settings = settings
        self._options = options
        self._order_id = record.order_id
        self._order: Order | None = None
        self._order_current = False
        """``_order`` is Afosto's order as it stands: no payment was made since it was read."""
        self._lines: dict[str, tuple[int, OrderItem | None, Line]] = {}
        """Each SKU's line as last published, with the quantity and item it came from."""
        self._wanted = journal.cart(record.id)
        self._refused: set[str] = set()
        self._strikes: dict[str, int] = {}
        """Calls in a row that Afosto answered but that left a line short."""
        self._line_wait = 0.0
        """Monotonic time before which the sync sends nothing more (after a strike)."""
        self._lock = asyncio.Lock()
        self._listeners: list[Listener] = []
        self._sync_task: asyncio.Task[None] | None = None
        self._first_unsent: float | None = None
        self._last_change = 0.0
        self._prefetch: asyncio.Task[None] | None = None
        self._terminal_task: asyncio.Task[Payment] | None = None
        self._attached: tuple[str, str | None] | None = None
        self._attempt: Payment | None = None
        self._attempt_idle = True
        """The last card payment cannot be running on a terminal (it ended, the terminal
        answered for it, or the cashier confirmed it failed); no timer sets this."""
        self._unconfirmed_because = "The till restarted while the terminal waited."
        self._paying = False
        """A payment is being made from the cart as it stands: the cart may not change."""
        note = record.note
        self._sku_of: dict[str, str] = dict(note.get("sku_map", {}))
        """The SKU Afosto filed each scanned code under, when not the code itself."""
        self._held: set[str] = set(note.get("held", []))
        self._invoice_id: str | None = note.get("invoice_id")
        self._view = SaleView(
            order_number=record.order_number,
            change=note["change"] if "change" in note else self._journaled_change(),
            invoice_number=note.get("invoice_number"),
            invoice_pending=record.status is SaleStatus.INVOICE_PENDING,
            held=tuple(sorted(self._held)),
            order_gone=bool(note.get("gone_with_money")),
        )
        self._refresh_lines()

    # --- observing ---

    @property
    def view(self) -> SaleView:
        return self._view

    @property
    def order(self) -> Order | None:
        return self._order

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with every new view (from the event loop's thread)."""
        self._listeners.append(listener)

    def _publish(self, **changes: Any) -> None:
        self._view = replace(self._view, **changes)
        for listener in self._listeners:
            listener(self._view)

    def report(self, problem: str) -> None:
        """Show a problem found outside the engine (a scan to repeat, a scanner unplugged)."""
        self._publish(error=problem)

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, AfostoError):  # Afosto's own words, for support
            log.warning("sale %s: %s", self._view.order_number, exc.message)
        self._publish(error=explain(exc) if not isinstance(exc, NotAllowed) else str(exc))

    def fail_unexpectedly(self, exc: BaseException | None) -> None:
        """A step died of an error nobody foresaw: say so, and leave the cashier keys that
        work (a card payment that may have run stays "not confirmed", to be checked)."""
        log.error("sale %s: unexpected %r", self._view.order_number, exc, exc_info=exc)
        if self._view.phase is Phase.TERMINAL and self._view.card_unconfirmed:
            self._publish(terminal=TerminalState.UNKNOWN, busy=False)
        elif self._view.phase not in (Phase.DONE, Phase.TERMINAL):
            self._publish(busy=False, phase=self._resting_phase())
        else:
            self._publish(busy=False)
        self._fail(exc or RuntimeError("unknown"))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """A background task of the sale's whose failure reaches the screen and the log."""

        def ended(task: asyncio.Task[None]) -> None:
            if not task.cancelled() and task.exception() is not None:
                self.fail_unexpectedly(task.exception())

        task = asyncio.get_running_loop().create_task(work)
        task.add_done_callback(ended)
        return task

    # --- reading state back ---

    async def _read(self, read: Callable[[], Awaitable[T]]) -> T:
        """Read with patience: an unknown outcome must be resolved before anything else."""
        delay = self._settings.retry_interval
        for attempt in range(self._settings.read_attempts):
            try:
                return await read()
            except AfostoError as exc:
                if attempt == self._settings.read_attempts - 1 or not retryable(exc):
                    raise
                self._fail(exc)
                delay = await self._wait_after(exc, delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _read_order(self) -> Order:
        assert self._order_id is not None
        order_id = self._order_id
        order = await self._read(lambda: self._client.get_order(order_id))
        self._apply(order)
        return order

    async def _wait_after(self, exc: AfostoError, delay: float) -> float:
        """Sleep before the next try: the server's Retry-After, else a doubling delay."""
        if isinstance(exc, Unauthorized) and self._reload_token():
            return delay
        wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else delay
        if isinstance(exc, RateLimited):  # what the screen says is what happens
            self._publish(error=retrying(exc, wait))
        await asyncio.sleep(wait)
        return min(delay * 2, self._settings.retry_interval * 8)

    def _reload_token(self) -> bool:
        """After a 401, take a rotated token from its file; True when it changed."""
        source = self._settings.token_source
        if source is None:
            return False
        try:
            token = source()
        except Exception as exc:  # a rotated file that is bad: keep the old token, say so
            log.warning("the API token could not be read again: %s", exc)
            return False
        if token.get_secret_value() != self._client.token.get_secret_value():
            self._client.set_token(token)
            return True
        return False

    async def _resolve(self) -> None:
        """Settle every journaled step whose outcome is unknown by reading state back."""
        for step in self._journal.unresolved(self.id):
            await self._resolve_step(step)

    async def _resolve_step(self, step: Step) -> None:
        if step.kind == "create_order":
            self._journal.end(step.id, {"lost": True}, ok=False)
            return
        if step.kind in ("add_items", "remove_items", "attach_method"):
            order = await self._read_order()
            if step.kind == "attach_method":
                self._attached = None  # not readable: attach again, which is harmless
            self._journal.end(step.id, {"read_back": len(order.unit_ids)}, ok=False)
        elif step.kind == "create_payment":
            order = await self._read_order()
            known = set(step.intent["known"])
            new = [p for p in order.payments if p.id not in known]
            if new:
                payment = await self._read(lambda: self._client.get_payment(new[-1].id))
                self._attempt, self._attempt_idle = payment, True
                self._journal.end(step.id, {"payment_id": payment.id, "read_back": True})
            else:
                self._journal.end(step.id, {"read_back": True}, ok=False)
        elif step.kind in ("start_terminal", "pay_cash"):
            payment_id = step.intent["payment_id"]
            payment = await self._read(lambda: self._client.get_payment(payment_id))
            result = payment_result(payment) | {"read_back": True}
            self._journal.end(step.id, result, ok=payment.is_paid or step.kind == "start_terminal")
            if step.kind == "start_terminal":
                self._set_attempt(payment, idle=payment_ended(payment))
            elif payment.is_paid and "tendered" in step.intent:
                self._remember_change(step.intent["tendered"] - step.intent["amount"])
            await self._read_order()
        elif step.kind == "open_order":
            order = await self._read_order()
            self._journal.end(step.id, {"status": order.status.value}, ok=order.status != "CONCEPT")
        elif step.kind == "invoice":
            order = await self._read_order()
            known = set(step.intent["known"])
            invoices = [i for i in order.invoices if i.id not in known]
            result = (
                {"invoice_id": invoices[-1].id, "number": invoices[-1].number} if invoices else {}
            )
            self._journal.end(step.id, result, ok=bool(invoices))
            if invoices:
                self._remember_invoice(invoices[-1].id, invoices[-1].number)

    # --- steps every part takes ---

    async def _prefetch_options(self, order: Order) -> None:
        """Read the payment options while the cashier scans, not when the customer pays."""
        with contextlib.suppress(AfostoError):
            await self._options(order, False)

    async def _exactly_once(
        self,
        kind: str,
        intent: dict[str, Any],
        send: Callable[[], Awaitable[T]],
        summary: Callable[[T], dict[str, Any]],
    ) -> T | None:
        """Send a mutation whose answer may be lost, without ever repeating it blindly.

        Returns the answer, or ``None`` when reading back showed that it went through
        (the engine's state then holds the outcome). Only after reading back that it did
        not go through is it sent again."""
        for _ in range(self._settings.read_attempts):
            step = self._journal.begin(self.id, kind, intent)
            try:
                answer = await send()
            except OutcomeUnknown:
                await self._resolve()
                if self._journal.step(step).state == "done":
                    return None
                continue
            except AfostoError as exc:
                self._journal.end(step, ok=False)
                if isinstance(exc, Unauthorized) and self._reload_token():
                    continue  # refused, not run: send it again with the renewed token
                raise
            self._journal.end(step, summary(answer))
            return answer
        raise NotAllowed("Afosto did not confirm this step. Try again.")

    def _set_attempt(self, payment: Payment, *, idle: bool) -> None:
        """The last card payment as last read, and whether it can still be running."""
        self._attempt, self._attempt_idle = payment, idle
        unconfirmed = not idle and not payment.is_paid
        if unconfirmed != self._view.card_unconfirmed:
            self._publish(card_unconfirmed=unconfirmed)

    def _remember_change(self, change: int) -> None:
        self._journal.update_note(self.id, change=change)
        self._publish(change=change)

    def _journaled_change(self) -> int | None:
        """The change of the last cash payment recorded, from its journaled intent (for a
        sale whose note missed it: the till stopped just after recording the cash)."""
        for step in reversed(self._journal.steps(self.id, "pay_cash")):
            if step.state == "done" and (step.result or {}).get("paid"):
                intent = step.intent
                return int(intent["tendered"] - intent["amount"]) if "tendered" in intent else None
        return None

    def _remember_invoice(self, invoice_id: str, number: str) -> None:
        self._invoice_id = invoice_id
        self._journal.update_note(self.id, invoice_id=invoice_id, invoice_number=number)
        self._publish(invoice_number=number, invoice_pending=False)

    # --- applying what Afosto says ---

    def _current(self) -> Order:
        if self._order is None:
            raise NotAllowed("Scan an item first.")
        return self._order

    def _apply(self, order: Order) -> None:
        self._order = order
        self._order_current = True
        self._refresh_lines()

    def _order_sku(self, code: str) -> str:
        """The SKU of the order line a scanned code went to (by the add call's answer)."""
        return self._sku_of.get(code, code)

    def _units_by_code(self) -> dict[str, list[str]]:
        """The order's units each cart code holds: a line's units go to the codes that
        were filed under its SKU, in the cart's order (the last takes what is over)."""
        if self._order is None:
            return {}
        codes: dict[str, list[str]] = {}
        for code in self._wanted:
            codes.setdefault(self._order_sku(code), []).append(code)
        held: dict[str, list[str]] = {}
        for item in self._order.items:
            mine = codes.get(item.sku)
            if not mine:
                continue  # a line the back office added: Afosto's, never the sync's
            units = list(item.ids)
            for code in mine[:-1]:
                take = min(self._wanted[code], len(units))
                held[code], units = units[:take], units[take:]
            held[mine[-1]] = units
        return held

    def _refresh_lines(self, **changes: Any) -> None:
        order_items = self._order.items if self._order else []
        confirmed = {item.sku: item for item in order_items}
        units = self._units_by_code()
        lines = []
        for sku, quantity in self._wanted.items():
            item = confirmed.get(self._order_sku(sku))
            mine = units.get(sku, [])
            if quantity == 0 and not mine:
                continue
            known = self._lines.get(sku)
            if (
                known is not None
                and known[0] == quantity
                and known[1] is item
                and known[2].confirmed == len(mine)
            ):
                lines.append(known[2])  # the same line object: a long sale stays cheap
                continue
            line = Line(
                sku=sku,
                quantity=quantity,
                confirmed=len(mine),
                label=item.label if item else None,
                unit_price=item.total // item.quantity if item and item.quantity else None,
                unit_ids=tuple(mine),
            )
            self._lines[sku] = (quantity, item, line)
            lines.append(line)
        ours = {self._order_sku(code) for code in self._wanted}
        for item in order_items:
            if item.sku not in ours:  # added in Afosto (the back office): shown as it is
                lines.append(
                    Line(
                        sku=item.sku,
                        quantity=item.quantity,
                        confirmed=item.quantity,
                        label=f"{item.label} (added in Afosto)",
                        unit_price=item.total // item.quantity if item.quantity else None,
                        unit_ids=tuple(item.ids),
                        by_afosto=True,
                    )
                )
        order = self._order
        payments = tuple(
            PaymentLine(p.id, p.method_code, p.amount, p.status.value, p.is_paid)
            for p in (order.payments if order else [])
        )
        self._publish(
            lines=tuple(lines),
            total=order.total if order else 0,
            paid=order.paid if order else 0,
            payments=payments,
            **changes,
        )

    def _resting_phase(self) -> Phase:
        """Where the sale waits for the cashier: scanning, or tender once money is in."""
        if self._view.phase is Phase.DONE:
            return Phase.DONE
        return Phase.TENDER if self._view.paid else Phase.SCANNING

    async def close(self) -> None:
        """Stop background work (the journal keeps everything for the next start)."""
        for task in (self._sync_task, self._terminal_task, self._prefetch):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task


def retryable(exc: AfostoError) -> bool:
    return not isinstance(exc, (NotFound, ValidationFailed))


def payment_ended(payment: Payment) -> bool:
    """Afosto shows the payment ended (paid, cancelled or expired): it runs no more."""
    return payment.status is not PaymentStatus.PENDING


def payment_result(payment: Payment) -> dict[str, Any]:
    return {"payment_id": payment.id, "status": payment.status.value, "paid": payment.is_paid}
