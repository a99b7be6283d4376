"""Paying a sale: by PIN terminal (long-polled, with declines, aborts and timeouts), on a
payment page (iDEAL, Payconiq: watched until paid, cancelled or expired) or in cash,
split over several payments. The rule that no new payment starts while an earlier card
or page payment may still be paid lives here, in :meth:`Payments._gate_new_payment`;
that payment's own state is a :class:`~tui_pos.checkout.attempt.PaymentAttempt`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from tui_pos.afosto import AfostoError, Conflict, Order, OutcomeUnknown, Payment, Unavailable
from tui_pos.afosto.assumed import PaymentOptions
from tui_pos.afosto.base import OrderStatus, PaymentStatus
from tui_pos.checkout.attempt import PaymentAttempt, ended, outcome, still_unsure
from tui_pos.checkout.cart import Cart
from tui_pos.checkout.context import SaleContext, cancel
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.finishing import Finishing
from tui_pos.checkout.journal import JournalError, SaleRecord
from tui_pos.checkout.options import (
    NoRoute,
    Route,
    cash_route,
    page_methods,
    page_route,
    pin_route,
)
from tui_pos.checkout.order import SaleOrder
from tui_pos.checkout.page_watch import PAGE_RESULT, PageWatch, page_view
from tui_pos.checkout.steps import (
    AttachMethod,
    ConfirmedFailed,
    CreatePayment,
    MethodAttached,
    PayCash,
    PaymentMade,
    PaymentOutcome,
    StartTerminal,
    Step,
    StepState,
    WatchPage,
)
from tui_pos.checkout.view import PageMethod, PageState, PageView, Phase, TerminalState
from tui_pos.money import format_money

log = logging.getLogger(__name__)
Options = Callable[[Order, bool], Awaitable[PaymentOptions]]
"""``await options(order, refresh)``: the shop's payment methods, terminals and drawers."""

TERMINAL_RESULT = {
    PaymentStatus.PAID: TerminalState.APPROVED,
    PaymentStatus.CANCELLED: TerminalState.DECLINED,
    PaymentStatus.PENDING: TerminalState.ABORTED,
    PaymentStatus.EXPIRED: TerminalState.EXPIRED,
}


class Payments:
    """Card and cash payments; the cart is settled first, the sale finished after."""

    def __init__(
        self,
        ctx: SaleContext,
        order: SaleOrder,
        cart: Cart,
        finishing: Finishing,
        options: Options,
        record: SaleRecord,
    ) -> None:
        self._ctx = ctx
        self._order = order
        self._cart = cart
        self._finishing = finishing
        self._options = options
        self.attempt = PaymentAttempt(ctx)
        self._page = PageWatch(ctx, self.attempt)
        self._made: Payment | None = None
        """A payment whose making was not answered, found on the order by reading back."""
        self._attached: tuple[str, str | None] | None = None
        """The method and terminal or drawer on the order, as this till attached them."""
        self._terminal_task: asyncio.Task[Payment] | None = None
        self._prefetch: asyncio.Task[None] | None = None
        ctx.publish(change=record.note.change if record.note.change is not None else self._change())
        order.on_create(self._prefetch_options)
        order.on_forget(self._order_gone)
        ctx.on_unresolved(AttachMethod, self._resolve_attach)
        ctx.on_unresolved(CreatePayment, self._resolve_create)
        ctx.on_unresolved(StartTerminal, self._resolve_start)
        ctx.on_unresolved(PayCash, self._resolve_cash)
        ctx.on_unresolved(WatchPage, self._resolve_watch)

    # --- what the cashier does ---

    async def pay_pin(self, amount: int | None = None, terminal_id: str | None = None) -> None:
        """Take ``amount`` (default: all that is due) on a PIN terminal and wait for it.
        While the last card payment is not confirmed, this checks that one instead."""
        ctx = self._ctx
        if ctx.view.card_unconfirmed:
            ctx.publish(phase=Phase.TERMINAL)
            await self.check_payment()
            return
        if self._page_open():
            await self.watch_page()
            return
        with self._cart.frozen():  # the amount is taken from the cart as it stands
            try:
                preferred = ctx.settings.terminal_id
                payment, route = await self._new_payment(
                    amount, lambda options: pin_route(options, preferred, terminal_id)
                )
                await self._run_terminal(payment, route.label)
            except (NotAllowed, JournalError, AfostoError) as exc:
                ctx.publish(busy=False, phase=ctx.resting_phase())
                ctx.fail(exc)
                await self._finishing.maybe_finish()  # an earlier card payment paid it all

    async def retry_terminal(self) -> None:
        """Start the same unpaid payment on the terminal again."""
        try:
            if not self.attempt.known:  # read it back before starting it again
                await self.check_payment()
                if self.attempt.payment is not None and self.attempt.payment.is_paid:
                    return  # it went through after all, and the sale has moved on
            payment = self.attempt.payment
            if payment is None or payment.is_paid or self.attempt.on_page:
                raise NotAllowed("There is no unpaid card payment to retry.")
            self._ctx.journal.check_writable()
            await self._run_terminal(payment, self.attempt.terminal)
        except (NotAllowed, JournalError, AfostoError) as exc:
            self._after_failure()
            self._ctx.fail(exc)

    async def due_now(self) -> int | None:
        """What is due once Afosto has confirmed every scan, for a pay screen to show;
        ``None``, with the reason on screen, when no new payment can start now. While
        the last page payment may still be paid, its page shows again instead."""
        ctx = self._ctx
        if self._page_open():
            await self.watch_page()
            return None
        try:
            ctx.publish(busy=True, error=None)
            async with ctx.lock:
                due = (await self._payable_order()).due
        except (NotAllowed, JournalError, AfostoError) as exc:
            ctx.publish(busy=False, phase=ctx.resting_phase())
            ctx.fail(exc)
            await self._finishing.maybe_finish()  # an earlier card payment, read back, paid it
            return None
        ctx.publish(busy=False)
        return due

    def confirm_terminal_failed(self) -> None:
        """The cashier confirms that the terminal's own display shows the unconfirmed card
        payment failed: journaled with the time and the payment, then a new payment may
        start. If the card was charged after all, the sale is paid twice."""
        ctx, payment = self._ctx, self.attempt.payment
        if payment is None or not ctx.view.card_unconfirmed:
            return
        try:
            starts = ctx.journal.steps(ctx.sale_id, StartTerminal)
            entry = ConfirmedFailed(payment.id, time.time(), starts[-1].id if starts else 0)
            ctx.journal.edit_note(
                ctx.sale_id,
                lambda note: replace(note, confirmed_failed=(*note.confirmed_failed, entry)),
            )
        except JournalError as exc:
            ctx.fail(exc)
            return
        since = self.attempt.since
        log.warning(
            "sale %s: cashier confirmed card payment %s failed on the terminal (%s)",
            ctx.view.order_number,
            payment.id,
            "started before the till restarted"
            if since is None
            else f"started {time.monotonic() - since:.0f} s before",
        )
        self.attempt.update(payment, known=True)
        ctx.publish(
            terminal=TerminalState.ABORTED, busy=False, error="Marked as failed by the cashier."
        )

    def back_to_sale(self) -> None:
        """Leave the terminal result for the cart (never while the terminal waits)."""
        view = self._ctx.view
        if view.phase is Phase.TERMINAL and view.terminal is not TerminalState.WAITING:
            self._ctx.publish(phase=self._ctx.resting_phase())
        watching = view.page is not None and view.page.state is PageState.WAITING
        if view.phase is Phase.PAGE and not watching:
            self._ctx.publish(phase=self._ctx.resting_phase())

    def stop_waiting(self) -> None:
        """The cashier stops waiting for the terminal; the payment is then checked."""
        if self._terminal_task is not None and not self._terminal_task.done():
            self._terminal_task.cancel()

    async def check_payment(self) -> None:
        """Read the last card payment back (after a lost answer or stopping the wait)."""
        ctx, attempt = self._ctx, self.attempt.payment
        if attempt is None:
            return
        if self.attempt.on_page:
            await self.watch_page()
            return
        ctx.publish(terminal=TerminalState.CHECKING, busy=True)
        try:
            async with ctx.lock:
                await ctx.resolve()
                payment = await ctx.read(lambda: ctx.client.get_payment(attempt.id))
                await self._order.read()
        except AfostoError as exc:
            ctx.publish(terminal=TerminalState.UNKNOWN, busy=False)
            ctx.fail(exc)
            return
        self.attempt.update(payment, known=self.attempt.known or ended(payment))
        self._after_terminal(payment)
        await self._finishing.maybe_finish()

    async def pay_cash(self, tendered: int, amount: int | None = None) -> None:
        """Take ``amount`` (default: all that is due) in cash; ``tendered`` is handed over."""
        ctx = self._ctx
        try:
            with self._cart.frozen():
                async with ctx.lock:
                    amount = await self._prepare_payment(amount)
                    if tendered < amount:
                        raise NotAllowed("The cash handed over is less than the amount to pay.")
                    drawer = ctx.settings.drawer_id
                    route = await self._route(lambda options: cash_route(options, drawer))
                    ctx.publish(phase=Phase.CASH, busy=True, error=None)
                    await self._attach(route)
                    payment = await self._create_payment(amount)
                    await self._mark_cash_paid(payment, tendered)
                    ctx.publish(busy=False, phase=ctx.resting_phase())
        except (NotAllowed, JournalError, AfostoError) as exc:
            ctx.publish(busy=False, phase=ctx.resting_phase())
            ctx.fail(exc)
        await self._finishing.maybe_finish()

    # --- before any money moves ---

    async def _route(self, pick: Callable[[PaymentOptions], Route]) -> Route:
        """Route with the session's payment options; when that fails, read them fresh once
        (a terminal may have come online since)."""
        order = self._order.require()
        try:
            return pick(await self._read_options(order, False))
        except NoRoute:
            return pick(await self._read_options(order, True))

    async def _read_options(self, order: Order, refresh: bool) -> PaymentOptions:
        """The payment options; the page methods among them are published."""
        options = await self._options(order, refresh)
        methods = page_methods(options)
        if methods != self._ctx.view.page_methods:
            self._ctx.publish(page_methods=methods)
        return options

    async def _payable_order(self) -> Order:
        """Checks before any money moves: every scan confirmed, no card payment that may
        still run; returns the order as Afosto has it."""
        ctx = self._ctx
        ctx.journal.check_writable()
        if self._order.last is None and self._cart.empty:
            raise NotAllowed("Scan an item first.")
        await self._cart.settle()
        await ctx.resolve()
        await self._gate_new_payment()
        # The order as the last answer left it (every call's answer is applied, and an
        # unsure one was read back above): reading it again would cost a round trip.
        order = self._order.current or await self._order.read()
        if order.status is not OrderStatus.CONCEPT or (order.items and not order.due):
            raise NotAllowed("This sale is already paid.")
        if not order.items:
            raise NotAllowed("Scan an item first.")
        if not ctx.view.synced:
            raise NotAllowed("Some items are not confirmed by Afosto yet. Wait a moment.")
        return order

    async def _new_payment(
        self, amount: int | None, pick: Callable[[PaymentOptions], Route]
    ) -> tuple[Payment, Route]:
        """Checked, routed, the method attached and the payment made: ``amount`` (default
        all that is due) by the route ``pick`` chooses."""
        ctx = self._ctx
        ctx.publish(busy=True, error=None)
        async with ctx.lock:
            amount = await self._prepare_payment(amount)
            route = await self._route(pick)
            await self._attach(route)
            return await self._create_payment(amount), route

    async def _prepare_payment(self, amount: int | None) -> int:
        """Checks before any money moves; returns the amount to take."""
        due = (await self._payable_order()).due
        amount = due if amount is None else amount
        if not 0 < amount <= due:
            shown = format_money(due, self._ctx.settings.locale)
            raise NotAllowed(f"The amount must be more than 0 and at most what is due ({shown}).")
        return amount

    async def _gate_new_payment(self) -> None:
        """Never a new payment while an earlier one may still be running on a terminal:
        read that one back first (the check the cashier is asked for)."""
        ctx, payment = self._ctx, self.attempt.payment
        if payment is None or payment.is_paid or self.attempt.known:
            return
        read = await ctx.read(lambda: ctx.client.get_payment(payment.id))
        if ended(read):
            self.attempt.update(read, known=True)
            self._page_read(read)
            await self._order.read()  # it may have paid some or all of the sale
            return
        self.attempt.update(read, known=False)
        if self.attempt.on_page:
            raise NotAllowed(
                f"The {self.attempt.terminal} payment is not confirmed: the customer may "
                "still pay it on the page. No new payment until it is checked."
            )
        raise NotAllowed(
            "The last card payment is not confirmed: it may still go through on the "
            "terminal. No new payment until it is checked."
        )

    # --- the steps ---

    async def _attach(self, route: Route) -> None:
        """Attach the method with its terminal or drawer, unless it is attached already."""
        target = route.terminal or route.drawer
        wanted = (route.method.id, target.id if target else None)
        if self._attached == wanted:
            return
        order_id = self._order.require().id
        order = await self._ctx.exactly_once(
            AttachMethod(*wanted),
            lambda: self._ctx.client.add_payment_method(
                order_id,
                route.method.id,
                terminal_id=route.terminal.id if route.terminal else None,
                drawer_id=route.drawer.id if route.drawer else None,
            ),
            lambda order: MethodAttached(),
        )
        self._attached = wanted
        if order is not None:
            self._order.apply(order)

    async def _resolve_attach(self, step: Step[AttachMethod]) -> None:
        """Not readable from the order: attached again when needed, which is harmless."""
        await self._order.read()
        self._attached = None
        self._ctx.journal.end(step.id, MethodAttached(read_back=True), ok=False)

    async def _create_payment(self, amount: int) -> Payment:
        order = self._order.require()
        known = tuple(payment.id for payment in order.payments)
        payment = await self._ctx.exactly_once(
            CreatePayment(amount, known),
            lambda: self._ctx.client.create_payment(order.id, amount),
            lambda payment: PaymentMade(payment.id),
        )
        self._order.stale()  # the order lists one more payment now
        if payment is not None:
            return payment
        found, self._made = self._made, None  # read back: the resolver found it
        if found is None:
            raise NotAllowed("Afosto did not confirm the payment. Try again.")
        return found

    async def _resolve_create(self, step: Step[CreatePayment]) -> None:
        ctx = self._ctx
        order = await self._order.read()
        known = set(step.intent.known)
        new = [payment for payment in order.payments if payment.id not in known]
        if not new:
            ctx.journal.end(step.id, PaymentMade(read_back=True), ok=False)
            return
        self._made = await ctx.read(lambda: ctx.client.get_payment(new[-1].id))
        payment = self._made
        ctx.journal.end(step.id, PaymentMade(payment.id, read_back=True))

    async def _mark_cash_paid(self, payment: Payment, tendered: int) -> None:
        """Record the cash; what was handed over is journaled first, so the change shows
        after any restart."""
        await self._ctx.exactly_once(
            PayCash(payment.id, payment.amount, tendered),
            lambda: self._ctx.client.pay_cash(payment.id, payment.amount),
            outcome,
        )
        self._remember_change(tendered - payment.amount)
        await self._order.read()

    async def _resolve_cash(self, step: Step[PayCash]) -> None:
        ctx, intent = self._ctx, step.intent
        payment = await ctx.read(lambda: ctx.client.get_payment(intent.payment_id))
        ctx.journal.end(step.id, outcome(payment, read_back=True), ok=payment.is_paid)
        if payment.is_paid and intent.tendered is not None and intent.amount is not None:
            self._remember_change(intent.tendered - intent.amount)
        await self._order.read()

    def _remember_change(self, change: int) -> None:
        self._ctx.journal.edit_note(self._ctx.sale_id, lambda note: replace(note, change=change))
        self._ctx.publish(change=change)

    def _change(self) -> int | None:
        """The change of the last cash payment recorded, from its journaled intent (for a
        sale whose note missed it: the till stopped just after recording the cash)."""
        for step in reversed(self._ctx.journal.steps(self._ctx.sale_id, PayCash)):
            result = step.result
            if step.state is StepState.DONE and isinstance(result, PaymentOutcome) and result.paid:
                tendered, amount = step.intent.tendered, step.intent.amount
                return None if tendered is None or amount is None else tendered - amount
        return None

    # --- the terminal ---

    async def _run_terminal(self, payment: Payment, label: str | None) -> None:
        ctx, attempt = self._ctx, self.attempt
        # This very payment, perhaps, still running on the terminal from an earlier start?
        running = attempt.payment is not None and attempt.payment.id == payment.id
        running = running and not attempt.known
        attempt.started(payment, label)
        ctx.publish(
            phase=Phase.TERMINAL,
            terminal=TerminalState.WAITING,
            terminal_label=label,
            attempt_amount=payment.amount,
            busy=True,
            error=None,
        )
        async with ctx.lock:
            step = ctx.journal.begin(ctx.sale_id, StartTerminal(payment.id))
            task = asyncio.get_running_loop().create_task(ctx.client.start_terminal(payment))
            self._terminal_task = task
            await asyncio.wait({task})
        if task.cancelled():  # the cashier stopped waiting: the outcome is unknown
            attempt.unsure_because = "You stopped waiting; the payment may still go through."
            await self.check_payment()
            return
        exc = task.exception()
        if isinstance(exc, Conflict):  # this start did not run; an earlier one may
            ctx.journal.end(step, ok=False)
            attempt.update(payment, known=not running)
            ctx.publish(terminal=TerminalState.BUSY, busy=False)
            ctx.fail(exc)
            return
        if isinstance(exc, AfostoError) and refused_unrun(exc):
            # Refused before this start ran (offline, auth, a limit): that says nothing of
            # an earlier start of the same payment, which may still be running.
            ctx.journal.end(step, ok=False)
            attempt.update(payment, known=not running)
            state = TerminalState.UNKNOWN if running else TerminalState.FAILED
            ctx.publish(terminal=state, busy=False)
            raise exc
        if exc is not None and not isinstance(exc, Exception):
            raise exc  # the process is going down
        if exc is not None:  # no answer, or one the till cannot read: it may have run
            if not isinstance(exc, OutcomeUnknown):
                log.error("terminal start: unexpected %r", exc, exc_info=exc)
            attempt.unsure_because = "The terminal's answer did not come through."
            ctx.fail(exc)
            await self.check_payment()
            return
        settled = task.result()
        ctx.journal.end(step, outcome(settled))
        attempt.update(settled, known=True)
        self._order.stale()
        order = self._order.last
        if (
            settled.is_paid
            and order is not None
            and order.status is OrderStatus.CONCEPT
            and settled.amount >= order.due
        ):
            # This payment pays all that was due: open the order straight away, its
            # answer is the order read back (one round trip less before the invoice).
            ctx.publish(terminal=TerminalState.APPROVED, busy=False, error=None)
            await self._finishing.finish(read=False)
            return
        async with ctx.lock:
            await self._order.read()
        self._after_terminal(settled)
        await self._finishing.maybe_finish()

    async def _resolve_start(self, step: Step[StartTerminal]) -> None:
        ctx = self._ctx
        payment_id = step.intent.payment_id
        payment = await ctx.read(lambda: ctx.client.get_payment(payment_id))
        ctx.journal.end(step.id, outcome(payment, read_back=True))
        self.attempt.update(payment, known=ended(payment))
        await self._order.read()

    def _after_failure(self) -> None:
        """A step failed while the terminal screen showed it busy: leave keys that work."""
        view = self._ctx.view
        if view.terminal in (TerminalState.WAITING, TerminalState.CHECKING):
            unsure = view.card_unconfirmed
            self._ctx.publish(terminal=TerminalState.UNKNOWN if unsure else TerminalState.FAILED)
        self._ctx.publish(busy=False)

    def _after_terminal(self, payment: Payment) -> None:
        if payment.is_paid:
            state = TerminalState.APPROVED
        elif payment.status is PaymentStatus.PENDING and not self.attempt.known:
            state = TerminalState.UNKNOWN
        else:
            state = TERMINAL_RESULT[payment.status]
        ctx = self._ctx
        if state is TerminalState.APPROVED:  # on to the rest of the sale, or its end
            ctx.publish(terminal=state, busy=False, error=None, phase=ctx.resting_phase())
            return
        error = None
        if state is TerminalState.UNKNOWN:
            error = f"{self.attempt.unsure_because} Look at the terminal, then check again."
        ctx.publish(terminal=state, busy=False, error=error)

    # --- payment pages ---

    async def pay_page(self, method_code: str, amount: int | None = None) -> None:
        """Take ``amount`` (default: all that is due) on a payment page (iDEAL, Payconiq)
        that the customer opens from the QR code, and watch it until it is paid,
        cancelled or expired, or the cashier stops watching. While the last page payment
        may still be paid, this watches that one instead."""
        ctx = self._ctx
        if self._page_open():
            await self.watch_page()
            return
        with self._cart.frozen():  # the amount is taken from the cart as it stands
            try:
                payment, route = await self._new_payment(
                    amount, lambda options: page_route(options, method_code)
                )
                answered = time.monotonic()
                method = PageMethod(route.method.code, route.method.name)
                page = page_view(payment, method, answered, PageState.WAITING)
                if page is None:
                    raise NotAllowed("Afosto gave no payment page for this payment.")
                await self._watch(payment, page)
            except (NotAllowed, JournalError, AfostoError) as exc:
                ctx.publish(busy=False, phase=ctx.resting_phase())
                ctx.fail(exc)
                await self._finishing.maybe_finish()  # an earlier payment paid it all

    def _page_open(self) -> bool:
        """The last payment is on a page the customer may still pay."""
        return self.attempt.unconfirmed and self.attempt.on_page

    async def watch_page(self) -> None:
        """Watch the last page payment again (stopped, or after a restart): read it, then
        show it and watch it while the customer may still pay it. While it is watched
        already, it is read now: never a second watch beside the first."""
        ctx, payment = self._ctx, self.attempt.payment
        if payment is None or not self.attempt.on_page or not self.attempt.unconfirmed:
            return
        if self._page.wake():
            return
        with self._cart.frozen():
            try:
                ctx.publish(busy=True, error=None)
                async with ctx.lock:
                    read = await ctx.read(lambda: ctx.client.get_payment(payment.id))
                self.attempt.update(read, known=ended(read))
                if ended(read):
                    await self._page_ended(read)
                    return
                page = ctx.view.page
                if page is None or page.payment_id != read.id:
                    method = PageMethod(read.method.code, self.attempt.terminal or "")
                    page = page_view(read, method, None, PageState.WAITING)
                if page is None:
                    raise NotAllowed("Afosto gave no payment page for this payment.")
                await self._watch(read, replace(page, state=PageState.WAITING))
            except (NotAllowed, JournalError, AfostoError) as exc:
                ctx.publish(busy=False)
                ctx.fail(exc)

    def check_page(self) -> bool:
        """Read the page payment now, while it is watched; False when nobody watches it
        (then :meth:`watch_page`)."""
        return self._page.wake()

    def stop_watching_page(self) -> None:
        """The cashier stops watching: the payment is unknown until read back ended, and
        no new payment starts until then."""
        self._page.stop()

    async def _watch(self, payment: Payment, page: PageView) -> None:
        """Journaled before the page shows, then read until it ended or the cashier
        stops watching."""
        ctx = self._ctx
        step = ctx.journal.begin(ctx.sale_id, WatchPage(payment.id))
        self.attempt.started(payment, page.method.name, on_page=True)
        ctx.publish(
            phase=Phase.PAGE, page=page, attempt_amount=payment.amount, busy=False, error=None
        )
        settled = await self._page.run(payment)
        if settled is None:  # stopped watching: the customer may still pay it
            last = self.attempt.payment or payment
            ctx.journal.end(step, outcome(last, read_back=True))
            self._page_read(last)
            ctx.publish(
                error="You stopped watching the page: the customer may still pay it. "
                "F5 checks it again."
            )
            return
        ctx.journal.end(step, outcome(settled))
        await self._page_ended(settled)

    async def _page_ended(self, payment: Payment) -> None:
        """Paid: on to the next payment or to finishing; cancelled or expired: the
        cashier tries again (a new payment) or takes another method."""
        ctx = self._ctx
        self.attempt.update(payment, known=True)
        self._page_read(payment)
        async with ctx.lock:
            await self._order.read()
        if payment.is_paid:
            ctx.publish(busy=False, error=None, phase=ctx.resting_phase())
            await self._finishing.maybe_finish()
        else:
            ctx.publish(busy=False, phase=Phase.PAGE)

    def _page_read(self, payment: Payment) -> None:
        """Show the page payment as read, when it is the one on screen."""
        page = self._ctx.view.page
        if page is not None and page.payment_id == payment.id:
            self._ctx.publish(page=replace(page, state=PAGE_RESULT[payment.status.value]))

    async def _resolve_watch(self, step: Step[WatchPage]) -> None:
        """The till stopped while it watched the page: read the payment back."""
        ctx = self._ctx
        if self._page.running:  # this till is watching it right now
            return
        payment_id = step.intent.payment_id
        payment = await ctx.read(lambda: ctx.client.get_payment(payment_id))
        ctx.journal.end(step.id, outcome(payment, read_back=True))
        self.attempt.on_page = True
        self.attempt.terminal = self.attempt.terminal or payment.method.code
        self.attempt.update(payment, known=ended(payment))
        await self._order.read()

    async def _recover_page(self, step: Step[WatchPage], order: Order) -> None:
        """The last page payment, unpaid on the order: read it; while it may still be
        paid it is shown again (its time left unknown), for :meth:`watch_page`."""
        ctx, payment_id = self._ctx, step.intent.payment_id
        listed = {payment.id: payment for payment in order.payments}
        if payment_id not in listed or listed[payment_id].is_paid:
            return
        payment = await ctx.read(lambda: ctx.client.get_payment(payment_id))
        if not ctx.view.page_methods:  # for the method's name
            with contextlib.suppress(AfostoError):
                await self._read_options(order, False)
        methods = {m.code: m for m in ctx.view.page_methods}
        code = payment.method.code
        method = methods.get(code, PageMethod(code, code.title()))
        self.attempt.on_page, self.attempt.terminal = True, method.name
        self.attempt.update(payment, known=ended(payment))
        page = page_view(payment, method, None, PAGE_RESULT[payment.status.value])
        ctx.publish(page=page, attempt_amount=payment.amount)

    # --- after a restart, and when the order is gone ---

    async def recover(self) -> None:
        """Bring back the last card or page payment from the journal while it is unpaid."""
        ctx, order = self._ctx, self._order.last
        starts = ctx.journal.steps(ctx.sale_id, StartTerminal)
        watches = ctx.journal.steps(ctx.sale_id, WatchPage)
        if watches and order is not None and (not starts or watches[-1].id > starts[-1].id):
            await self._recover_page(watches[-1], order)
            return
        if order is not None and not ctx.view.page_methods:
            self._prefetch_options(order)  # the tender screen lists the page methods
        if not starts or order is None:
            return
        payment_id = starts[-1].intent.payment_id
        listed = {payment.id: payment for payment in order.payments}
        if payment_id not in listed or listed[payment_id].is_paid:
            return
        payment = await ctx.read(lambda: ctx.client.get_payment(payment_id))
        confirmed = ctx.journal.note(ctx.sale_id).confirmed_failed
        after = max((c.after_step for c in confirmed if c.payment_id == payment_id), default=-1)
        unsure = still_unsure(starts, payment_id, after)
        self.attempt.update(payment, known=not unsure or ended(payment))
        self._after_terminal(payment)
        ctx.publish(attempt_amount=payment.amount)

    def _order_gone(self) -> None:
        """The order is gone with nothing paid on it: nothing ran, nothing is attached."""
        self._attached = None
        self.attempt.forget()

    def _prefetch_options(self, order: Order) -> None:
        """Read the payment options while the cashier scans, not when the customer pays."""

        async def prefetch() -> None:
            with contextlib.suppress(AfostoError):  # read again when the customer pays
                await self._read_options(order, False)

        self._prefetch = self._ctx.spawn(prefetch())

    async def close(self) -> None:
        await cancel(self._terminal_task)
        await cancel(self._prefetch)
        await self._page.close()


def refused_unrun(exc: AfostoError) -> bool:
    """Afosto refused the terminal start without running it. A 5xx is not that: a
    gateway may give up on a long-poll that the terminal is still running."""
    if isinstance(exc, OutcomeUnknown):
        return False
    return not (isinstance(exc, Unavailable) and exc.status is not None)
