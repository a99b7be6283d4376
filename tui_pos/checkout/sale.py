"""One sale, from the first scan to the invoice, and back on its feet after a crash.

The cart the cashier wants is journaled first; a background sync brings the Afosto
order in line with it, batching scans that arrive while a call is in flight. Every
mutation is journaled as an intent before it is sent; when its outcome is unknown the
engine reads the order or payment back and never sends it blindly again.
"""

from __future__ import annotations

from tui_pos.afosto import AfostoError, NotFound
from tui_pos.afosto.base import OrderStatus
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import JournalError, SaleStatus, Step
from tui_pos.checkout.payments import Payments
from tui_pos.checkout.sale_base import payment_ended, retryable
from tui_pos.checkout.view import Phase


class Sale(Payments):
    """One sale. Operations are async; every change publishes a new :class:`SaleView`.

    Its parts: :class:`ItemSync` (the cart), :class:`Payments`, :class:`Finishing`, on
    :class:`SaleBase` (state, view, reading back); here, recovery after a restart."""

    async def recover(self) -> None:
        """After a restart: read the order and payments back and resume at the right step.
        While Afosto cannot be reached it keeps trying, backing off (nothing is sent)."""
        delay, failed = self._settings.retry_interval, False
        while True:
            try:
                async with self._lock:
                    await self._resolve_and_learn()
                    if self._order_id is not None and self._order is None:
                        await self._read_order()
                    if failed:
                        self._publish(error=None)  # Afosto answers again
                    await self._restore_attempt()
                break
            except (JournalError, NotAllowed) as exc:
                self._fail(exc)
                return
            except NotFound as exc:
                if not await self._gone_at_recovery(exc):
                    return
            except AfostoError as exc:
                self._fail(exc)
                if not retryable(exc):
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

    async def _gone_at_recovery(self, exc: NotFound) -> bool:
        """A NOT_FOUND while reading the sale back: when its own order is gone, go on with
        a new one (True: recover again) or keep it for support (False, said in words)."""
        try:
            async with self._lock:
                if await self._order_is_gone():
                    await self._order_gone()
                    return True
        except (NotAllowed, JournalError, AfostoError) as other:
            self._publish(phase=self._resting_phase())
            self._fail(other)
            return False
        self._fail(exc)
        return False

    def set_aside(self) -> None:
        """Keep a sale whose order is gone (money was taken on it) for support: it is
        never deleted, the doctor lists it, and the till sells on."""
        if not self._view.order_gone:
            raise NotAllowed("Only a sale whose order is gone from Afosto can be set aside.")
        self._journal.set_status(self.id, SaleStatus.SET_ASIDE)

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
        payment = await self._read(lambda: self._client.get_payment(payment_id))
        confirmed = self._journal.sale(self.id).note.get("confirmed_failed", [])
        after = max(
            (
                entry.get("after_step", 0)
                for entry in confirmed
                if entry["payment_id"] == payment_id
            ),
            default=-1,
        )
        unsure = still_unsure(starts, payment_id, after)
        self._set_attempt(payment, idle=not unsure or payment_ended(payment))
        self._after_terminal(payment)
        self._publish(attempt_amount=payment.amount)


def still_unsure(starts: list[Step], payment_id: str, after: int) -> bool:
    """Whether the terminal may still be running ``payment_id``, by its journaled starts
    after step ``after`` (the cashier's last "it failed", -1 for none): read back PENDING
    makes it unsure, the terminal's own answer or an ended payment sure; a start refused
    unrun (409, offline) says nothing of an earlier one."""
    unsure = False
    for step in starts:
        if step.intent.get("payment_id") != payment_id or step.id <= after:
            continue
        result = step.result or {}
        if result.get("read_back"):
            unsure = result.get("status") == "PENDING"
        elif "status" in result:
            unsure = False
    return unsure
