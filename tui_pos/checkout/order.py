"""The sale's order as Afosto last showed it: made on the first scan, read back, and
what the sale does when the order is gone from Afosto (deleted in the back office,
expired): with nothing paid the cart goes on a new order; with money taken on it the
sale is kept for support, and the cashier sets it aside and sells on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tui_pos.afosto import AfostoError, CustomerInput, NotFound, Order, OutcomeUnknown
from tui_pos.checkout.context import SaleContext
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import SaleRecord
from tui_pos.checkout.steps import (
    CreateOrder,
    OrderMade,
    PayCash,
    PaymentOutcome,
    StartTerminal,
    Step,
    StepState,
    WatchPage,
)
from tui_pos.checkout.view import Customer

ORDER_GONE_PAID = (
    "This sale's order is gone from Afosto, but money was taken on it. "
    "Ctrl+X sets the sale aside for support; then sell on."
)
Hook = Callable[[], None]


def customer_input(customer: Customer) -> CustomerInput:
    """The input that names the sale's customer to Afosto."""
    if customer.kind == "contact":
        return CustomerInput(contact_id=customer.id)
    return CustomerInput(organisation_id=customer.id)


class SaleOrder:
    """The order: its id, Afosto's copy as last read, and who is told when it changes."""

    def __init__(self, ctx: SaleContext, record: SaleRecord) -> None:
        self._ctx = ctx
        self.id = record.order_id
        self._order: Order | None = None
        self._current = False
        """Afosto's order as it stands: no payment was made since it was read."""
        self._on_apply: list[Hook] = []
        self._on_create: list[Callable[[Order], None]] = []
        self._on_forget: list[Hook] = []
        ctx.on_unresolved(CreateOrder, self._resolve_create)

    def on_apply(self, hook: Hook) -> None:
        self._on_apply.append(hook)

    def on_create(self, hook: Callable[[Order], None]) -> None:
        self._on_create.append(hook)

    def on_forget(self, hook: Hook) -> None:
        """``hook`` drops what a part kept of an order that is gone."""
        self._on_forget.append(hook)

    @property
    def last(self) -> Order | None:
        """Afosto's order as last read (``None`` before the first scan)."""
        return self._order

    @property
    def current(self) -> Order | None:
        """The order as last read, if no payment was made since."""
        return self._order if self._current else None

    def stale(self) -> None:
        """A payment was made: the order lists one more than it shows."""
        self._current = False

    def require(self) -> Order:
        if self._order is None:
            raise NotAllowed("Scan an item first.")
        return self._order

    def apply(self, order: Order) -> None:
        """Afosto's answer: the order as it stands now."""
        self._order, self._current = order, True
        for hook in self._on_apply:
            hook()

    async def read(self) -> Order:
        order_id = self.id
        if order_id is None:
            raise NotAllowed("Scan an item first.")
        order = await self._ctx.read(lambda: self._ctx.client.get_order(order_id))
        self.apply(order)
        return order

    async def create(self, customer: Customer | None = None) -> None:
        """Make the sale's order, with ``customer`` on it when one was chosen first."""
        ctx, settings = self._ctx, self._ctx.settings
        step = ctx.journal.begin(ctx.sale_id, CreateOrder(settings.channel_id, customer))
        wanted = None if customer is None else customer_input(customer)
        try:
            order = await ctx.client.create_order(settings.channel_id, settings.currency, wanted)
        except OutcomeUnknown:
            # The answer is lost and no order id came back: nothing can be read back.
            ctx.journal.end(step, OrderMade(lost=True), ok=False)
            raise
        except AfostoError:
            ctx.journal.end(step, ok=False)
            raise
        ctx.journal.set_order(ctx.sale_id, order.id, order.number)
        ctx.journal.end(step, OrderMade(order.id))
        self.id = order.id
        for hook in self._on_create:
            hook(order)
        self.apply(order)
        ctx.publish(order_number=order.number)

    async def _resolve_create(self, step: Step[CreateOrder]) -> None:
        self._ctx.journal.end(step.id, OrderMade(lost=True), ok=False)

    # --- gone from Afosto ---

    async def is_gone(self) -> bool:
        """After a NOT_FOUND: whether it is this order that Afosto no longer knows,
        read once more to be sure."""
        if self.id is None:
            return False
        try:
            await self._ctx.client.get_order(self.id)
        except NotFound:
            return True
        return False

    async def gone(self) -> None:
        """The order is gone from Afosto. With nothing paid, the cart goes on a new
        order; with money taken, the sale is kept for support, never deleted
        (:class:`NotAllowed` says so)."""
        ctx, gone, money = self._ctx, self.id, self._money_taken()
        for step in ctx.journal.unresolved(ctx.sale_id):  # they were on the order that is gone
            ctx.journal.end(step.id, ok=False)
        if money:
            ctx.journal.edit_note(
                ctx.sale_id, lambda note: replace(note, order_gone=gone, gone_with_money=money)
            )
            ctx.publish(order_gone=True, busy=False, error=ORDER_GONE_PAID)
            raise NotAllowed(ORDER_GONE_PAID)
        if gone is not None:
            ctx.journal.edit_note(
                ctx.sale_id, lambda note: replace(note, lost_orders=(*note.lost_orders, gone))
            )
        self._order, self.id, self._current = None, None, False
        for hook in self._on_forget:
            hook()
        for hook in self._on_apply:
            hook()
        ctx.publish(
            order_number=None,
            error="This sale's order is gone from Afosto. The items were put on a new order.",
        )

    def _money_taken(self) -> int:
        """Cents paid, or perhaps paid, on the order (a card payment whose outcome was
        never known counts as 1): by the order last read and by the journal."""
        ctx = self._ctx
        paid = self._order.paid if self._order is not None else 0
        page = ctx.view.page
        if ctx.view.card_unconfirmed or (page is not None and page.unconfirmed):
            paid = max(paid, 1)  # read back PENDING: it may still be charged
        for step in ctx.journal.steps(ctx.sale_id):
            if not isinstance(step.intent, StartTerminal | WatchPage | PayCash):
                continue
            result = step.result
            if step.state is StepState.SENT or (isinstance(result, PaymentOutcome) and result.paid):
                paid = max(paid, 1)
        return paid
