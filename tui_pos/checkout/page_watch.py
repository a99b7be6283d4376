"""Watching a payment page: the page payment read every ``page_poll`` seconds until
Afosto shows it paid, cancelled or expired. No push comes from Afosto, and no timer ends
it: at the page's deadline it is read at once, and only Afosto's EXPIRED ends it. Errors
while watching back off (bounded) and never end the payment."""

from __future__ import annotations

import asyncio
import contextlib
import time

from tui_pos.afosto import AfostoError, Payment
from tui_pos.checkout.attempt import PaymentAttempt, ended
from tui_pos.checkout.context import SaleContext, cancel
from tui_pos.checkout.view import PageMethod, PageState, PageView

PAGE_RESULT = {
    "PAID": PageState.PAID,
    "CANCELLED": PageState.CANCELLED,
    "EXPIRED": PageState.EXPIRED,
    "PENDING": PageState.UNKNOWN,
}
"""A page payment's state as read, when nobody watches it (PENDING: it may be paid)."""


def page_view(
    payment: Payment, method: PageMethod, answered: float | None, state: PageState
) -> PageView | None:
    """The page as the cashier sees it; the deadline is the page's lifetime
    (``expires_at - created_at``) from ``answered`` (``time.monotonic()`` when the
    answer came; ``None``: not known). ``None`` when the payment has no page."""
    action = payment.action
    if action is None or action.url is None:
        return None
    deadline = None
    if answered is not None and payment.expires_at is not None and payment.created_at:
        deadline = answered + (payment.expires_at - payment.created_at) / 1000
    return PageView(payment.id, method, action.url, payment.amount, state, deadline)


class PageWatch:
    """The one page being watched, if any: :meth:`run` reads it until it ended."""

    def __init__(self, ctx: SaleContext, attempt: PaymentAttempt) -> None:
        self._ctx = ctx
        self._attempt = attempt
        self._task: asyncio.Task[Payment] | None = None
        self._wake = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def run(self, payment: Payment) -> Payment | None:
        """The payment once it ended; ``None`` when :meth:`stop` stopped watching."""
        self._task = task = asyncio.get_running_loop().create_task(self._poll(payment))
        await asyncio.wait({task})
        if task.cancelled():
            return None
        return task.result()

    def wake(self) -> bool:
        """Read it now (the cashier asks); False when nobody is watching."""
        if not self.running:
            return False
        self._wake.set()
        return True

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def close(self) -> None:
        await cancel(self._task)

    async def _poll(self, payment: Payment) -> Payment:
        ctx = self._ctx
        delay = ctx.settings.retry_interval
        failing = False
        while True:
            await self._pause()
            try:
                async with ctx.lock:
                    read = await ctx.client.get_payment(payment.id)
            except AfostoError as exc:
                ctx.fail(exc)
                failing = True
                delay = await ctx.wait_after(exc, delay)
                continue
            delay = ctx.settings.retry_interval
            if failing:
                failing = False
                ctx.publish(error=None)  # Afosto answers again
            self._attempt.update(read, known=ended(read))
            if ended(read):
                return read

    async def _pause(self) -> None:
        """``page_poll`` seconds, less when the page's deadline comes first; or until
        the cashier asks."""
        wait = self._ctx.settings.page_poll
        page = self._ctx.view.page
        if page is not None and page.deadline is not None:
            left = page.deadline - time.monotonic()
            if 0 < left < wait:
                wait = left
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), wait)
        self._wake.clear()
