"""One sale, from the first scan to the invoice, and back on its feet after a crash.

The cart the cashier wants is journaled first; a background sync brings the Afosto
order in line with it, batching scans that arrive while a call is in flight. Every
mutation is journaled as an intent before it is sent; when its outcome is unknown the
engine reads the order or payment back and never sends it blindly again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from tui_pos.afosto import (
    AfostoClient,
    AfostoError,
    Conflict,
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
from tui_pos.afosto.base import OrderStatus, PaymentStatus
from tui_pos.checkout.codes import check_code
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import Journal, JournalError, SaleRecord, SaleStatus, Step
from tui_pos.checkout.options import NoRoute, Route, cash_route, pin_route, refuse_remote
from tui_pos.checkout.settings import EngineSettings
from tui_pos.checkout.view import Line, PaymentLine, Phase, SaleView, TerminalState
from tui_pos.checkout.words import explain
from tui_pos.money import format_money

T = TypeVar("T")
Listener = Callable[[SaleView], None]

MAX_QUANTITY = 999
FINISH_TRIES = 3
"""Tries to open and invoice a paid sale before the outbox takes it over."""

TERMINAL_RESULT = {
    PaymentStatus.PAID: TerminalState.APPROVED,
    PaymentStatus.CANCELLED: TerminalState.DECLINED,
    PaymentStatus.PENDING: TerminalState.ABORTED,
    PaymentStatus.EXPIRED: TerminalState.EXPIRED,
}


class Sale:
    """One sale. Operations are async; every change publishes a new :class:`SaleView`."""

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
        self._lines: dict[str, tuple[int, OrderItem | None, Line]] = {}
        """Each SKU's line as last published, with the quantity and item it came from."""
        """``_order`` is Afosto's order as it stands: no payment was made since it was read."""
        self._wanted = journal.cart(record.id)
        self._refused: set[str] = set()
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
        self._attempt_started = 0.0
        note = record.note
        self._held: set[str] = set(note.get("held", []))
        self._invoice_id: str | None = note.get("invoice_id")
        self._view = SaleView(
            order_number=record.order_number,
            change=note.get("change"),
            invoice_number=note.get("invoice_number"),
            invoice_pending=record.status is SaleStatus.INVOICE_PENDING,
            held=tuple(sorted(self._held)),
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
        self._publish(error=explain(exc) if not isinstance(exc, NotAllowed) else str(exc))

    # --- items ---

    def scan(self, code: str, quantity: int = 1) -> None:
        """Add ``quantity`` of a scanned or typed code; the line shows at once."""
        try:
            check_code(code)
            self._check_open_for_items()
            self._set_wanted(code, self._wanted.get(code, 0) + quantity)
        except (NotAllowed, JournalError) as exc:
            self._fail(exc)

    def set_quantity(self, sku: str, quantity: int) -> None:
        """Set a line's quantity; 0 voids it."""
        try:
            self._check_open_for_items()
            if sku not in self._wanted:
                raise NotAllowed(f"{sku} is not in this sale.")
            self._set_wanted(sku, quantity)
        except (NotAllowed, JournalError) as exc:
            self._fail(exc)

    def void(self, sku: str) -> None:
        self.set_quantity(sku, 0)

    def _check_open_for_items(self) -> None:
        if self._view.phase not in (Phase.SCANNING, Phase.TENDER):
            raise NotAllowed("The sale is being paid; items can no longer change.")

    def _set_wanted(self, sku: str, quantity: int) -> None:
        if not 0 <= quantity <= MAX_QUANTITY:
            raise NotAllowed(f"A quantity must be between 0 and {MAX_QUANTITY}.")
        self._journal.set_quantity(self.id, sku, quantity)
        self._wanted[sku] = quantity
        self._refused.discard(sku)
        self._last_change = time.monotonic()
        if self._first_unsent is None:
            self._first_unsent = self._last_change
        self._refresh_lines(error=None)
        self._kick_sync()

    def _kick_sync(self) -> None:
        if self._sync_task is None or self._sync_task.done():
            self._sync_task = asyncio.get_running_loop().create_task(self._sync_loop())

    async def settle_items(self) -> None:
        """Wait until Afosto holds the cart as the cashier wants it (or refused lines)."""
        while self._sync_task is not None and not self._sync_task.done():
            await asyncio.shield(self._sync_task)

    async def _sync_loop(self) -> None:
        delay = self._settings.retry_interval
        failed = False  # clear only the error this loop showed, not a refusal
        while True:
            try:
                if self._order_id is not None:  # the order is created at once, items batched
                    await self._batch_wait()
                async with self._lock:
                    if not await self._sync_once():
                        self._publish(busy=False, **({"error": None} if failed else {}))
                        return
                delay = self._settings.retry_interval
            except (NotAllowed, JournalError) as exc:
                self._publish(busy=False)
                self._fail(exc)
                return
            except AfostoError as exc:
                self._fail(exc)
                if not _retryable(exc):
                    self._publish(busy=False)
                    return
                failed = True
                delay = await self._wait_after(exc, delay)

    async def _batch_wait(self) -> None:
        """Let a burst of scans end (``batch_quiet``), so that it goes in one call; never
        holding a scan back longer than ``batch_max``."""
        settings = self._settings
        while self._first_unsent is not None:
            until = min(
                self._last_change + settings.batch_quiet, self._first_unsent + settings.batch_max
            )
            wait = until - time.monotonic()
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _sync_once(self) -> bool:
        """One call towards the wanted cart; False when nothing is left to do."""
        await self._resolve()
        if self._order is None and self._order_id is not None:
            await self._read_order()  # a resumed sale has its order: never make a second
        if self._order is None and not any(self._wanted.values()):
            return False
        self._publish(busy=True)
        if self._order is None:
            await self._create_order()
            return True
        have = self._units_by_sku()
        surplus = [
            unit for sku, units in have.items() for unit in units[self._wanted.get(sku, 0) :]
        ]
        missing = {
            sku: quantity - len(have.get(sku, []))
            for sku, quantity in self._wanted.items()
            if quantity > len(have.get(sku, [])) and sku not in self._refused
        }
        self._first_unsent = None  # this call carries every change made so far
        if surplus:
            await self._remove(surplus, have)
        elif missing:
            await self._add(missing)
        return bool(surplus or missing)

    async def _add(self, missing: dict[str, int]) -> None:
        try:
            await self._mutate("add_items", {"items": missing})
        except ValidationFailed as exc:
            if len(missing) == 1:
                (sku,) = missing
                self._refuse(sku, exc)
                return
            for sku, quantity in missing.items():  # find the line Afosto refuses
                try:
                    await self._mutate("add_items", {"items": {sku: quantity}})
                except ValidationFailed as single:
                    self._refuse(sku, single)

    async def _remove(self, surplus: list[str], have: dict[str, list[str]]) -> None:
        try:
            await self._mutate("remove_items", {"ids": surplus})
        except ValidationFailed as exc:  # e.g. it would leave less than is already paid
            for sku, units in have.items():
                if self._wanted.get(sku, 0) < len(units):
                    self._journal.set_quantity(self.id, sku, len(units))
                    self._wanted[sku] = len(units)
            self._refresh_lines(error=f"Not removed. {exc.message}")

    def _refuse(self, sku: str, exc: ValidationFailed) -> None:
        """Drop a line Afosto will not take back to what it holds, and say why."""
        self._refused.add(sku)
        confirmed = len(self._units_by_sku().get(sku, []))
        self._journal.set_quantity(self.id, sku, confirmed)
        self._wanted[sku] = confirmed
        self._refresh_lines(error=f"Not added: {sku}. {exc.message}")

    async def _create_order(self) -> None:
        settings = self._settings
        step = self._journal.begin(self.id, "create_order", {"channel_id": settings.channel_id})
        try:
            order = await self._client.create_order(settings.channel_id, settings.currency)
        except OutcomeUnknown:
            # The answer is lost and no order id came back: nothing can be read back.
            self._journal.end(step, {"lost": True}, ok=False)
            raise
        except AfostoError:
            self._journal.end(step, ok=False)
            raise
        self._journal.set_order(self.id, order.id, order.number)
        self._journal.end(step, {"order_id": order.id})
        self._order_id = order.id
        self._prefetch = asyncio.get_running_loop().create_task(self._prefetch_options(order))
        self._apply(order)
        self._publish(order_number=order.number)

    async def _mutate(self, kind: str, data: dict[str, Any]) -> None:
        """Add or remove units: journal the intent, send, and read back if unsure."""
        assert self._order_id is not None
        step = self._journal.begin(self.id, kind, {"order_id": self._order_id, **data})
        try:
            if kind == "add_items":
                order = await self._client.add_items(self._order_id, data["items"])
            else:
                order = await self._client.remove_items(self._order_id, data["ids"])
        except OutcomeUnknown:
            await self._resolve()
            raise  # read back; the caller waits before sending what is still missing
        except AfostoError:
            self._journal.end(step, ok=False)
            raise
        self._journal.end(step, {"units": len(order.unit_ids)})
        self._apply(order)

    def _units_by_sku(self) -> dict[str, list[str]]:
        if self._order is None:
            return {}
        return {item.sku: list(item.ids) for item in self._order.items}

    # --- reading state back ---

    async def _read(self, read: Callable[[], Awaitable[T]]) -> T:
        """Read with patience: an unknown outcome must be resolved before anything else."""
        delay = self._settings.retry_interval
        for attempt in range(self._settings.read_attempts):
            try:
                return await read()
            except AfostoError as exc:
                if attempt == self._settings.read_attempts - 1 or not _retryable(exc):
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
        await asyncio.sleep(wait)
        return min(delay * 2, self._settings.retry_interval * 8)

    def _reload_token(self) -> bool:
        """After a 401, take a rotated token from its file; True when it changed."""
        source = self._settings.token_source
        if source is None:
            return False
        with contextlib.suppress(Exception):
            token = source()
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
            result = _payment_result(payment) | {"read_back": True}
            self._journal.end(step.id, result, ok=payment.is_paid or step.kind == "start_terminal")
            if step.kind == "start_terminal":
                self._attempt = payment
                self._attempt_started = step.sent_at
                self._attempt_idle = payment.status is not PaymentStatus.PENDING
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

    # --- payments ---

    async def pay_pin(self, amount: int | None = None, terminal_id: str | None = None) -> None:
        """Take ``amount`` (default: all that is due) on a PIN terminal and wait for it."""
        try:
            self._publish(busy=True, error=None)
            async with self._lock:
                amount = await self._prepare_payment(amount)
                route = await self._route(
                    lambda options: pin_route(options, self._settings.terminal_id, terminal_id)
                )
                await self._attach(route)
                payment = await self._create_payment(amount)
            await self._run_terminal(payment, route.label)
        except (NotAllowed, NoRoute, JournalError, AfostoError) as exc:
            self._publish(busy=False, phase=self._resting_phase())
            self._fail(exc)
            await self._maybe_finish()  # an earlier card payment, read back, paid it all

    async def retry_terminal(self) -> None:
        """Start the same unpaid payment on the terminal again."""
        try:
            if not self._attempt_idle:  # read it back before starting it again
                await self.check_payment()
                if self._attempt is not None and self._attempt.is_paid:
                    return  # it went through after all, and the sale has moved on
            attempt = self._attempt
            if attempt is None or attempt.is_paid:
                raise NotAllowed("There is no unpaid card payment to retry.")
            self._journal.check_writable()
            await self._run_terminal(attempt, self._view.terminal_label)
        except (NotAllowed, JournalError, AfostoError) as exc:
            self._fail(exc)

    def back_to_sale(self) -> None:
        """Leave the terminal result for the cart (never while the terminal waits)."""
        if self._view.phase is Phase.TERMINAL and self._view.terminal is not TerminalState.WAITING:
            self._publish(phase=self._resting_phase())

    def stop_waiting(self) -> None:
        """The cashier stops waiting for the terminal; the payment is then checked."""
        if self._terminal_task is not None and not self._terminal_task.done():
            self._terminal_task.cancel()

    async def check_payment(self) -> None:
        """Read the last card payment back (after a lost answer or stopping the wait)."""
        attempt = self._attempt
        if attempt is None:
            return
        self._publish(terminal=TerminalState.CHECKING, busy=True)
        try:
            async with self._lock:
                await self._resolve()
                payment = await self._read(lambda: self._client.get_payment(attempt.id))
                await self._read_order()
        except AfostoError as exc:
            self._publish(terminal=TerminalState.UNKNOWN, busy=False)
            self._fail(exc)
            return
        self._attempt = payment
        settled = time.time() - self._attempt_started > self._settings.terminal_settle
        if payment.status is not PaymentStatus.PENDING or settled:
            self._attempt_idle = True
        self._after_terminal(payment)
        await self._maybe_finish()

    async def pay_cash(self, tendered: int, amount: int | None = None) -> None:
        """Take ``amount`` (default: all that is due) in cash; ``tendered`` is handed over."""
        try:
            async with self._lock:
                amount = await self._prepare_payment(amount)
                if tendered < amount:
                    raise NotAllowed("The cash handed over is less than the amount to pay.")
                route = await self._route(
                    lambda options: cash_route(options, self._settings.drawer_id)
                )
                self._publish(phase=Phase.CASH, busy=True, error=None)
                await self._attach(route)
                payment = await self._create_payment(amount)
                await self._mark_cash_paid(payment)
                change = tendered - amount
                self._journal.update_note(self.id, change=change, tendered=tendered)
                self._publish(change=change, busy=False, phase=self._resting_phase())
        except (NotAllowed, NoRoute, JournalError, AfostoError) as exc:
            self._publish(busy=False, phase=self._resting_phase())
            self._fail(exc)
        await self._maybe_finish()

    def refuse_method(self, code: str) -> None:
        """Tell the cashier why a method (iDEAL, a payment link) is not taken here."""
        try:
            refuse_remote(code)
        except NoRoute as exc:
            self._fail(exc)

    async def _route(self, pick: Callable[[PaymentOptions], Route]) -> Route:
        """Route with the session's payment options; when that fails, read them fresh once
        (a terminal may have come online since)."""
        order = self._current()
        try:
            return pick(await self._options(order, False))
        except NoRoute:
            return pick(await self._options(order, True))

    async def _prefetch_options(self, order: Order) -> None:
        """Read the payment options while the cashier scans, not when the customer pays."""
        with contextlib.suppress(AfostoError):
            await self._options(order, False)

    async def _prepare_payment(self, amount: int | None) -> int:
        """Checks before any money moves; returns the amount to take."""
        self._journal.check_writable()
        await self._settle_items_locked()
        await self._resolve()
        await self._gate_new_payment()
        # The order as the last answer left it (every call's answer is applied, and an
        # unsure one was read back above): reading it again would cost a round trip.
        order = self._order if self._order_current else await self._read_order()
        assert order is not None
        if order.status is not OrderStatus.CONCEPT:
            raise NotAllowed("This sale is already paid.")
        if not order.items:
            raise NotAllowed("Scan an item first.")
        if not self._view.synced:
            raise NotAllowed("Some items are not confirmed by Afosto yet. Wait a moment.")
        due = order.due
        amount = due if amount is None else amount
        if not 0 < amount <= due:
            shown = format_money(due, self._settings.locale)
            raise NotAllowed(f"The amount must be more than 0 and at most what is due ({shown}).")
        return amount

    async def _settle_items_locked(self) -> None:
        """Run any item sync still to do inside the lock the caller already holds."""
        while await self._sync_once():
            pass

    async def _gate_new_payment(self) -> None:
        """Never a new payment while an earlier one may still be running on a terminal:
        read that one back first (the check the cashier is asked for)."""
        attempt = self._attempt
        if attempt is None or attempt.is_paid or self._attempt_idle:
            return
        payment = await self._read(lambda: self._client.get_payment(attempt.id))
        self._attempt = payment
        settled = time.time() - self._attempt_started > self._settings.terminal_settle
        if payment.status is not PaymentStatus.PENDING or settled:
            self._attempt_idle = True
            await self._read_order()  # it may have paid some or all of the sale
            return
        raise NotAllowed(
            "The last card payment is not confirmed. Check the terminal, then check again."
        )

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

    async def _attach(self, route: Route) -> None:
        """Attach the method with its terminal or drawer, unless it is attached already."""
        target = route.terminal or route.drawer
        wanted = (route.method.id, target.id if target else None)
        if self._attached == wanted:
            return
        order_id = self._current().id
        order = await self._exactly_once(
            "attach_method",
            {"route": list(wanted)},
            lambda: self._client.add_payment_method(
                order_id,
                route.method.id,
                terminal_id=route.terminal.id if route.terminal else None,
                drawer_id=route.drawer.id if route.drawer else None,
            ),
            lambda order: {},
        )
        self._attached = wanted
        if order is not None:
            self._apply(order)

    async def _create_payment(self, amount: int) -> Payment:
        order = self._current()
        intent = {"amount": amount, "known": [p.id for p in order.payments]}
        payment = await self._exactly_once(
            "create_payment",
            intent,
            lambda: self._client.create_payment(order.id, amount),
            lambda payment: {"payment_id": payment.id},
        )
        self._order_current = False  # the order lists one more payment now
        if payment is None:  # found on the order by reading back
            assert self._attempt is not None
            return self._attempt
        return payment

    async def _mark_cash_paid(self, payment: Payment) -> None:
        await self._exactly_once(
            "pay_cash",
            {"payment_id": payment.id},
            lambda: self._client.pay_cash(payment.id, payment.amount),
            _payment_result,
        )
        await self._read_order()

    async def _run_terminal(self, payment: Payment, label: str | None) -> None:
        attempt = self._attempt  # this very payment, perhaps, still running on the terminal?
        running = attempt is not None and attempt.id == payment.id and not self._attempt_idle
        self._attempt, self._attempt_idle = payment, False
        self._attempt_started = time.time()
        self._publish(
            phase=Phase.TERMINAL,
            terminal=TerminalState.WAITING,
            terminal_label=label,
            attempt_amount=payment.amount,
            busy=True,
            error=None,
        )
        async with self._lock:
            step = self._journal.begin(self.id, "start_terminal", {"payment_id": payment.id})
            task = asyncio.get_running_loop().create_task(self._client.start_terminal(payment))
            self._terminal_task = task
            await asyncio.wait({task})
        if task.cancelled():  # the cashier stopped waiting: the outcome is unknown
            await self.check_payment()
            return
        exc = task.exception()
        if isinstance(exc, Conflict):  # this start did not run; an earlier one may
            self._journal.end(step, ok=False)
            self._attempt_idle = not running
            self._publish(terminal=TerminalState.BUSY, busy=False)
            self._fail(exc)
            return
        if isinstance(exc, OutcomeUnknown):
            self._fail(exc)
            await self.check_payment()
            return
        if isinstance(exc, AfostoError):  # refused before it started (offline, auth)
            self._journal.end(step, ok=False)
            self._attempt_idle = True
            self._publish(terminal=TerminalState.FAILED, busy=False)
        if exc is not None:
            raise exc
        settled = task.result()
        self._journal.end(step, _payment_result(settled))
        self._attempt, self._attempt_idle = settled, True
        self._order_current = False
        order = self._order
        if (
            settled.is_paid
            and order is not None
            and order.status is OrderStatus.CONCEPT
            and settled.amount >= order.due
        ):
            # This payment pays all that was due: open the order straight away, its
            # answer is the order read back (one round trip less before the invoice).
            self._publish(terminal=TerminalState.APPROVED, busy=False, error=None)
            await self.finish(read=False)
            return
        async with self._lock:
            await self._read_order()
        self._after_terminal(settled)
        await self._maybe_finish()

    def _after_terminal(self, payment: Payment) -> None:
        if payment.is_paid:
            state = TerminalState.APPROVED
        elif payment.status is PaymentStatus.PENDING and not self._attempt_idle:
            state = TerminalState.UNKNOWN
        else:
            state = TERMINAL_RESULT[payment.status]
        error = None
        if state is TerminalState.UNKNOWN:
            error = "The terminal may still be busy. Look at it, then check again."
        if state is TerminalState.APPROVED:  # on to the rest of the sale, or its end
            self._publish(terminal=state, busy=False, error=None, phase=self._resting_phase())
            return
        self._publish(terminal=state, busy=False, error=error)

    # --- finishing ---

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
                paid = self._view.phase in (Phase.OPENING, Phase.INVOICING)
                retryable = isinstance(exc, AfostoError) and _retryable(exc)
                if not paid or not (retryable or isinstance(exc, NotAllowed)):
                    return
                if isinstance(exc, AfostoError) and retryable and attempt < FINISH_TRIES - 1:
                    delay = await self._wait_after(exc, delay)
                    continue
                # Paid in full, but Afosto cannot open or invoice it now: it ends as "paid,
                # invoice pending" and the outbox finishes it, as after a slow invoice.
                with contextlib.suppress(JournalError):
                    self._journal.set_status(self.id, SaleStatus.INVOICE_PENDING)
                    self._publish(phase=Phase.DONE, invoice_pending=True)
                return

    async def _finish_once(self, *, read: bool) -> None:
        async with self._lock:
            await self._resolve()
            order = await self._read_order() if read else self._current()
            if order.status is OrderStatus.CONCEPT:
                if read and order.due:
                    raise NotAllowed("The sale is not fully paid yet.")
                self._publish(phase=Phase.OPENING, busy=True)
                await self._open()
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
                held = {unit for item in order.items if item.sku in self._held for unit in item.ids}
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

    def _remember_invoice(self, invoice_id: str, number: str) -> None:
        self._invoice_id = invoice_id
        self._journal.update_note(self.id, invoice_id=invoice_id, invoice_number=number)
        self._publish(invoice_number=number, invoice_pending=False)

    # --- recovery ---

    async def recover(self) -> None:
        """After a restart: read the order and payments back and resume at the right step.
        While Afosto cannot be reached it keeps trying, backing off (nothing is sent)."""
        delay, failed = self._settings.retry_interval, False
        while True:
            try:
                async with self._lock:
                    await self._resolve()
                    if self._order_id is not None and self._order is None:
                        await self._read_order()
                    if failed:
                        self._publish(error=None)  # Afosto answers again
                    await self._restore_attempt()
                break
            except JournalError as exc:
                self._fail(exc)
                return
            except AfostoError as exc:
                self._fail(exc)
                if not _retryable(exc):
                    return
                failed = True
                delay = await self._wait_after(exc, delay)
        order = self._order
        settled = order is not None and (order.status is not OrderStatus.CONCEPT or not order.due)
        if order is not None and settled and order.items:
            await self.finish()
            return
        attempt = self._attempt
        unsure = attempt is not None and not attempt.is_paid and not self._attempt_idle
        self._publish(phase=Phase.TERMINAL if unsure else self._resting_phase())
        if any(line.pending for line in self._view.lines):
            self._kick_sync()

    async def _restore_attempt(self) -> None:
        """Bring back the last card payment from the journal while it is unpaid."""
        starts = self._journal.steps(self.id, "start_terminal")
        if not starts or self._order is None:
            return
        last = starts[-1]
        payment_id = last.intent["payment_id"]
        listed = {p.id: p for p in self._order.payments}
        if payment_id not in listed or listed[payment_id].is_paid:
            return
        result = last.result or {}
        self._attempt = await self._read(lambda: self._client.get_payment(payment_id))
        self._attempt_started = last.sent_at
        unsure = result.get("read_back") and result.get("status") == "PENDING"
        self._attempt_idle = not unsure or self._attempt.status is not PaymentStatus.PENDING
        self._after_terminal(self._attempt)
        self._publish(attempt_amount=self._attempt.amount)

    # --- applying what Afosto says ---

    def _current(self) -> Order:
        if self._order is None:
            raise NotAllowed("Scan an item first.")
        return self._order

    def _apply(self, order: Order) -> None:
        self._order = order
        self._order_current = True
        self._refresh_lines()

    def _refresh_lines(self, **changes: Any) -> None:
        confirmed = {item.sku: item for item in self._order.items} if self._order else {}
        lines = []
        for sku, quantity in self._wanted.items():
            item = confirmed.get(sku)
            if quantity == 0 and item is None:
                continue
            known = self._lines.get(sku)
            if known is not None and known[0] == quantity and known[1] is item:
                lines.append(known[2])  # the same line object: a long sale stays cheap
                continue
            line = Line(
                sku=sku,
                quantity=quantity,
                confirmed=item.quantity if item else 0,
                label=item.label if item else None,
                unit_price=item.total // item.quantity if item and item.quantity else None,
                unit_ids=tuple(item.ids) if item else (),
            )
            self._lines[sku] = (quantity, item, line)
            lines.append(line)
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


def _retryable(exc: AfostoError) -> bool:
    return not isinstance(exc, (NotFound, ValidationFailed))


def _payment_result(payment: Payment) -> dict[str, Any]:
    return {"payment_id": payment.id, "status": payment.status.value, "paid": payment.is_paid}
