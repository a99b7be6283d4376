"""Paying a sale: by PIN terminal (long-polled, with declines, aborts and timeouts) or in
cash, split over several payments, and never a new payment while a card payment may run.

A card payment whose outcome is unknown (the long-poll timed out or dropped, the cashier
stopped waiting, the till restarted) stays "not confirmed" until Afosto shows it ended,
the terminal answered for it, or the cashier confirms the terminal shows it failed: no
timer ends it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from tui_pos.afosto import AfostoError, Conflict, Order, OutcomeUnknown, Payment, Unavailable
from tui_pos.afosto.assumed import PaymentOptions
from tui_pos.afosto.base import OrderStatus, PaymentStatus
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.finishing import Finishing
from tui_pos.checkout.items import ItemSync
from tui_pos.checkout.journal import JournalError
from tui_pos.checkout.options import NoRoute, Route, cash_route, pin_route, refuse_remote
from tui_pos.checkout.sale_base import payment_ended, payment_result
from tui_pos.checkout.view import Phase, TerminalState
from tui_pos.money import format_money

log = logging.getLogger(__name__)

TERMINAL_RESULT = {
    PaymentStatus.PAID: TerminalState.APPROVED,
    PaymentStatus.CANCELLED: TerminalState.DECLINED,
    PaymentStatus.PENDING: TerminalState.ABORTED,
    PaymentStatus.EXPIRED: TerminalState.EXPIRED,
}


class Payments(ItemSync, Finishing):
    """Card and cash payments; the items are settled first, the sale finished after."""

    async def pay_pin(self, amount: int | None = None, terminal_id: str | None = None) -> None:
        """Take ``amount`` (default: all that is due) on a PIN terminal and wait for it.
        While the last card payment is not confirmed, this checks that one instead."""
        if self._view.card_unconfirmed:
            self._publish(phase=Phase.TERMINAL)
            await self.check_payment()
            return
        try:
            self._publish(busy=True, error=None)
            self._paying = True  # the cart stays as the payment's amount was taken from it
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
        finally:
            self._paying = False

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
            self._after_failure()
            self._fail(exc)

    async def due_now(self) -> int | None:
        """What is due once Afosto has confirmed every scan, for a pay screen to show;
        ``None``, with the reason on screen, when no new payment can start now."""
        try:
            self._publish(busy=True, error=None)
            async with self._lock:
                due = (await self._payable_order()).due
        except (NotAllowed, JournalError, AfostoError) as exc:
            self._publish(busy=False, phase=self._resting_phase())
            self._fail(exc)
            await self._maybe_finish()  # an earlier card payment, read back, paid it all
            return None
        self._publish(busy=False)
        return due

    def confirm_terminal_failed(self) -> None:
        """The cashier confirms that the terminal's own display shows the unconfirmed card
        payment failed: journaled with the time and the payment, then a new payment may
        start. If the card was charged after all, the sale is paid twice."""
        attempt = self._attempt
        if attempt is None or not self._view.card_unconfirmed:
            return
        try:
            confirmed = [*self._journal.sale(self.id).note.get("confirmed_failed", [])]
            starts = self._journal.steps(self.id, "start_terminal")
            after = starts[-1].id if starts else 0  # a start after this one is unsure again
            confirmed.append({"payment_id": attempt.id, "at": time.time(), "after_step": after})
            self._journal.update_note(self.id, confirmed_failed=confirmed)
        except JournalError as exc:
            self._fail(exc)
            return
        log.warning(
            "sale %s: cashier confirmed card payment %s failed on the terminal",
            self._view.order_number,
            attempt.id,
        )
        self._set_attempt(attempt, idle=True)
        self._publish(
            terminal=TerminalState.ABORTED, busy=False, error="Marked as failed by the cashier."
        )

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
        self._set_attempt(payment, idle=self._attempt_idle or payment_ended(payment))
        self._after_terminal(payment)
        await self._maybe_finish()

    async def pay_cash(self, tendered: int, amount: int | None = None) -> None:
        """Take ``amount`` (default: all that is due) in cash; ``tendered`` is handed over."""
        try:
            self._paying = True
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
                await self._mark_cash_paid(payment, tendered)
                self._publish(busy=False, phase=self._resting_phase())
        except (NotAllowed, NoRoute, JournalError, AfostoError) as exc:
            self._publish(busy=False, phase=self._resting_phase())
            self._fail(exc)
        finally:
            self._paying = False
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

    async def _payable_order(self) -> Order:
        """Checks before any money moves: every scan confirmed, no card payment that may
        still run; returns the order as Afosto has it."""
        self._journal.check_writable()
        if self._order is None and not any(self._wanted.values()):
            raise NotAllowed("Scan an item first.")
        await self._settle_items_locked()
        await self._resolve()
        await self._gate_new_payment()
        # The order as the last answer left it (every call's answer is applied, and an
        # unsure one was read back above): reading it again would cost a round trip.
        order = self._order if self._order_current else await self._read_order()
        assert order is not None
        if order.status is not OrderStatus.CONCEPT or (order.items and not order.due):
            raise NotAllowed("This sale is already paid.")
        if not order.items:
            raise NotAllowed("Scan an item first.")
        if not self._view.synced:
            raise NotAllowed("Some items are not confirmed by Afosto yet. Wait a moment.")
        return order

    async def _prepare_payment(self, amount: int | None) -> int:
        """Checks before any money moves; returns the amount to take."""
        due = (await self._payable_order()).due
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
        if payment_ended(payment):
            self._set_attempt(payment, idle=True)
            await self._read_order()  # it may have paid some or all of the sale
            return
        self._set_attempt(payment, idle=False)
        raise NotAllowed(
            "The last card payment is not confirmed: it may still go through on the "
            "terminal. No new payment until it is checked."
        )

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

    async def _mark_cash_paid(self, payment: Payment, tendered: int) -> None:
        """Record the cash; what was handed over is journaled first, so the change shows
        after any restart."""
        intent = {"payment_id": payment.id, "amount": payment.amount, "tendered": tendered}
        await self._exactly_once(
            "pay_cash",
            intent,
            lambda: self._client.pay_cash(payment.id, payment.amount),
            payment_result,
        )
        self._remember_change(tendered - payment.amount)
        await self._read_order()

    async def _run_terminal(self, payment: Payment, label: str | None) -> None:
        attempt = self._attempt  # this very payment, perhaps, still running on the terminal?
        running = attempt is not None and attempt.id == payment.id and not self._attempt_idle
        self._set_attempt(payment, idle=False)
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
            self._unconfirmed_because = "You stopped waiting; the payment may still go through."
            await self.check_payment()
            return
        exc = task.exception()
        if isinstance(exc, Conflict):  # this start did not run; an earlier one may
            self._journal.end(step, ok=False)
            self._set_attempt(payment, idle=not running)
            self._publish(terminal=TerminalState.BUSY, busy=False)
            self._fail(exc)
            return
        if isinstance(exc, AfostoError) and refused_unrun(exc):
            # Refused before this start ran (offline, auth, a limit): that says nothing of
            # an earlier start of the same payment, which may still be running.
            self._journal.end(step, ok=False)
            self._set_attempt(payment, idle=not running)
            state = TerminalState.UNKNOWN if running else TerminalState.FAILED
            self._publish(terminal=state, busy=False)
            raise exc
        if exc is not None and not isinstance(exc, Exception):
            raise exc  # the process is going down
        if exc is not None:  # no answer, or one the till cannot read: it may have run
            if not isinstance(exc, OutcomeUnknown):
                log.error("terminal start: unexpected %r", exc, exc_info=exc)
            self._unconfirmed_because = "The terminal's answer did not come through."
            self._fail(exc)
            await self.check_payment()
            return
        settled = task.result()
        self._journal.end(step, payment_result(settled))
        self._set_attempt(settled, idle=True)
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

    def _after_failure(self) -> None:
        """A step failed while the terminal screen showed it busy: leave keys that work."""
        if self._view.terminal in (TerminalState.WAITING, TerminalState.CHECKING):
            unsure = self._view.card_unconfirmed
            self._publish(terminal=TerminalState.UNKNOWN if unsure else TerminalState.FAILED)
        self._publish(busy=False)

    def _after_terminal(self, payment: Payment) -> None:
        if payment.is_paid:
            state = TerminalState.APPROVED
        elif payment.status is PaymentStatus.PENDING and not self._attempt_idle:
            state = TerminalState.UNKNOWN
        else:
            state = TERMINAL_RESULT[payment.status]
        error = None
        if state is TerminalState.UNKNOWN:
            error = f"{self._unconfirmed_because} Look at the terminal, then check again."
        if state is TerminalState.APPROVED:  # on to the rest of the sale, or its end
            self._publish(terminal=state, busy=False, error=None, phase=self._resting_phase())
            return
        self._publish(terminal=state, busy=False, error=error)


def refused_unrun(exc: AfostoError) -> bool:
    """Afosto refused the terminal start without running it. A 5xx is not that: a
    gateway may give up on a long-poll that the terminal is still running."""
    if isinstance(exc, OutcomeUnknown):
        return False
    return not (isinstance(exc, Unavailable) and exc.status is not None)
