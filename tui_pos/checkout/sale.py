"""One sale, from the first scan to the invoice, and back on its feet after a crash.

A sale is made of parts that each own their state and their journal steps, sharing a
:class:`~tui_pos.checkout.context.SaleContext` (the client, the journal, the lock, the
view): the order (:mod:`.order`), the cart and its sync (:mod:`.cart`), the payments
and the card payment's attempt (:mod:`.payments`, :mod:`.attempt`), and finishing
(:mod:`.finishing`). Every mutation is journaled as an intent before it is sent; when
its outcome is unknown the part that sent it reads the order or payment back and never
sends it blindly again.
"""

from __future__ import annotations

from tui_pos.afosto import AfostoClient, AfostoError, NotFound
from tui_pos.checkout.cart import Cart
from tui_pos.checkout.context import Listener, SaleContext, retryable
from tui_pos.checkout.customer import CustomerSearch, SaleCustomer
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.finishing import Finishing
from tui_pos.checkout.journal import Journal, JournalError, SaleRecord, SaleStatus
from tui_pos.checkout.order import SaleOrder
from tui_pos.checkout.payments import Options, Payments
from tui_pos.checkout.settings import EngineSettings
from tui_pos.checkout.view import Phase, SaleView


class Sale:
    """One sale. Operations are async; every change publishes a new :class:`SaleView`."""

    def __init__(
        self,
        record: SaleRecord,
        client: AfostoClient,
        journal: Journal,
        settings: EngineSettings,
        options: Options,
    ) -> None:
        self.id = record.id
        self._ctx = ctx = SaleContext(record.id, client, journal, settings)
        ctx.publish(order_number=record.order_number, order_gone=bool(record.note.gone_with_money))
        self._order = SaleOrder(ctx, record)
        self._cart = Cart(ctx, self._order, record)
        self._finishing = Finishing(ctx, self._order, self._cart, record)
        self._payments = Payments(ctx, self._order, self._cart, self._finishing, options, record)
        self._customer = SaleCustomer(ctx, self._order, record)
        self._cart.refresh()
        # What the cashier asks of the sale, each answered by the part that owns it.
        self.set_quantity = self._cart.set_quantity
        self.pay_pin = self._payments.pay_pin
        self.pay_cash = self._payments.pay_cash
        self.pay_page = self._payments.pay_page
        self.watch_page = self._payments.watch_page
        self.check_page = self._payments.check_page
        self.stop_watching_page = self._payments.stop_watching_page
        self.due_now = self._payments.due_now
        self.retry_terminal = self._payments.retry_terminal
        self.check_payment = self._payments.check_payment
        self.stop_waiting = self._payments.stop_waiting
        self.back_to_sale = self._payments.back_to_sale
        self.confirm_terminal_failed = self._payments.confirm_terminal_failed
        self.hold_invoice = self._finishing.hold_invoice
        self.invoice_rest = self._finishing.invoice_rest
        self.finish = self._finishing.finish
        self.fail_unexpectedly = ctx.fail_unexpectedly
        self.attach_customer = self._customer.attach
        self.remove_customer = self._customer.remove
        self.is_customer_card = self._customer.is_card

    def scan(self, code: str, quantity: int = 1) -> None:
        """A scanned or typed code: a customer card puts its customer on the sale (looked
        up in the background), anything else is an item."""
        if self._customer.is_card(code):
            self._customer.scan_card(code)
        else:
            self._cart.scan(code, quantity)

    async def search_customers(self, query: str) -> CustomerSearch:
        """Customers by number, name, email or phone, to pick one (a read only)."""
        return await self._customer.search(query)

    @property
    def view(self) -> SaleView:
        return self._ctx.view

    @property
    def cashier(self) -> tuple[int, str] | None:
        """Who is signed in (number, name): the receipt says who served."""
        return self._ctx.cashier

    @cashier.setter
    def cashier(self, cashier: tuple[int, str] | None) -> None:
        self._ctx.cashier = cashier

    @property
    def sale_id(self) -> int:
        """The sale's number in the journal (its receipt and printouts are by it)."""
        return self._ctx.sale_id

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener`` with every new view (from the event loop's thread)."""
        self._ctx.subscribe(listener)

    def report(self, problem: str) -> None:
        """Show a problem found outside the engine (a scan to repeat, a scanner unplugged)."""
        self._ctx.publish(error=problem)

    def void(self, code: str) -> None:
        self._cart.set_quantity(code, 0)

    async def recover(self) -> None:
        """After a restart: each part settles its steps of unknown outcome (in the order
        they were sent), the order is read back, the last card or page payment restored; then
        the sale resumes where it was: finishing, on the terminal screen, watching the
        payment page (until it ends or the cashier stops), or sending lines.
        While Afosto cannot be reached it keeps trying, backing off (nothing is sent)."""
        ctx = self._ctx
        delay, failed = ctx.settings.retry_interval, False
        while True:
            try:
                async with ctx.lock:
                    await ctx.resolve()
                    if self._order.id is not None and self._order.last is None:
                        await self._order.read()
                    if failed:
                        ctx.publish(error=None)  # Afosto answers again
                    await self._payments.recover()
                break
            except (JournalError, NotAllowed) as exc:
                ctx.fail(exc)
                return
            except NotFound as exc:
                if not await self._gone_at_recovery(exc):
                    return
            except AfostoError as exc:
                ctx.fail(exc)
                if not retryable(exc):
                    return
                failed = True
                delay = await ctx.wait_after(exc, delay)
        if self._finishing.settled():
            await self._finishing.finish()
            return
        attempt = self._payments.attempt
        if attempt.unconfirmed and attempt.on_page:  # the customer may still pay the page
            await self._payments.watch_page()
            return
        ctx.publish(phase=Phase.TERMINAL if attempt.unconfirmed else ctx.resting_phase())
        if any(line.pending for line in ctx.view.lines):
            self._cart.kick()

    async def _gone_at_recovery(self, exc: NotFound) -> bool:
        """A NOT_FOUND while reading the sale back: when its own order is gone, go on with
        a new one (True: recover again) or keep it for support (False, said in words)."""
        ctx = self._ctx
        try:
            async with ctx.lock:
                if await self._order.is_gone():
                    await self._order.gone()
                    return True
        except (NotAllowed, JournalError, AfostoError) as other:
            ctx.publish(phase=ctx.resting_phase())
            ctx.fail(other)
            return False
        ctx.fail(exc)
        return False

    def set_aside(self) -> None:
        """Keep a sale whose order is gone (money was taken on it) for support: it is
        never deleted, the doctor lists it, and the till sells on."""
        if not self._ctx.view.order_gone:
            raise NotAllowed("Only a sale whose order is gone from Afosto can be set aside.")
        self._ctx.journal.set_status(self.id, SaleStatus.SET_ASIDE)

    async def close(self) -> None:
        """Stop background work (the journal keeps everything for the next start)."""
        await self._cart.close()
        await self._payments.close()
        await self._customer.close()
