"""The sale's customer: found by search or by a customer card, put on the order (made
with it before the first item, attached after), replaced or removed, each change
journaled; what the view shows is what the order says."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass

from tui_pos.afosto import (
    AfostoError,
    CustomerMatch,
    NotFound,
    Order,
    OrderCustomer,
    ValidationFailed,
)
from tui_pos.afosto.base import OrderStatus
from tui_pos.checkout.context import SaleContext, cancel
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.journal import JournalError, SaleRecord
from tui_pos.checkout.order import ORDER_GONE_PAID, SaleOrder, customer_input
from tui_pos.checkout.steps import (
    AttachCustomer,
    CreateOrder,
    CustomerSet,
    RemoveCustomer,
    Step,
    StepState,
)
from tui_pos.checkout.view import Customer, Phase
from tui_pos.checkout.words import explain

log = logging.getLogger(__name__)

MIN_QUERY = 2
"""Afosto's search takes no shorter query."""
SEARCH_LIMIT = 20
"""Matches one search shows at most."""
OPEN_ORDER = "The customer can no longer change: the order is already open in Afosto."


@dataclass(frozen=True)
class CustomerSearch:
    """What a search found, best first, or words saying why there is nothing to pick."""

    query: str
    matches: tuple[Customer, ...] = ()
    words: str | None = None


def customer_of(party: CustomerMatch | OrderCustomer) -> Customer:
    """A contact or organisation of Afosto's as the sale shows it."""
    detail = None
    if party.contact is not None:
        detail = party.contact.email or party.contact.phone
    return Customer(party.kind, party.id, party.number, party.name, detail)


class SaleCustomer:
    """Who the sale is for, kept on the Afosto order."""

    def __init__(self, ctx: SaleContext, order: SaleOrder, record: SaleRecord) -> None:
        self._ctx = ctx
        self._order = order
        pattern = ctx.settings.customer_card_pattern
        self._card = re.compile(pattern) if pattern else None
        self._card_task: asyncio.Task[None] | None = None
        order.on_apply(self._publish)
        order.on_forget(lambda: ctx.publish(customer=None))  # it went with the order
        ctx.on_unresolved(AttachCustomer, self._resolve_attach)
        ctx.on_unresolved(RemoveCustomer, self._resolve_remove)
        ctx.publish(customer=self._journaled(record.id))

    # --- what the cashier does ---

    async def search(self, query: str) -> CustomerSearch:
        """Customers by number, name, email or phone: a read, nothing journaled, and
        never behind the lock (the cashier types while the sale talks to Afosto)."""
        wanted = query.strip()
        if len(wanted) < MIN_QUERY:
            return CustomerSearch(query, words=f"Type at least {MIN_QUERY} characters.")
        try:
            found = await self._ctx.client.search_customers(wanted, SEARCH_LIMIT)
        except AfostoError as exc:
            log.warning("customer search failed: %s", exc.message)
            return CustomerSearch(query, words=f"No search: {explain(exc)}")
        if not found:
            return CustomerSearch(query, words=f'No customer matches "{wanted}".')
        return CustomerSearch(query, tuple(customer_of(match) for match in found))

    def is_card(self, code: str) -> bool:
        """Whether a scanned code is a customer card (before it is taken for a product)."""
        return self._card is not None and self._card.fullmatch(code) is not None

    def scan_card(self, code: str) -> None:
        """A customer card was scanned: its customer is looked up and attached in the
        background (a card scanned meanwhile waits its turn)."""
        previous = self._card_task

        async def after_previous() -> None:
            if previous is not None:
                await asyncio.wait([previous])
            await self._attach_card(code)

        self._card_task = self._ctx.spawn(after_previous())

    async def close(self) -> None:
        await cancel(self._card_task)

    async def _attach_card(self, code: str) -> None:
        """Put the customer whose card this is on the sale: the one exact match of its
        number; else words, and the sale goes on with the customer it had."""
        try:
            found = await self._ctx.client.search_customers(code, SEARCH_LIMIT)
        except AfostoError as exc:
            log.warning("customer card %s not looked up: %s", code, exc.message)
            self._ctx.publish(error=f"Customer card not read: {explain(exc)}")
            return
        exact = [m for m in found if m.number.casefold() == code.casefold()]
        if len(exact) != 1:
            self._ctx.publish(error=f"No customer has card {code}. Search with F5 instead.")
            return
        await self.attach(customer_of(exact[0]))

    async def attach(self, customer: Customer) -> None:
        """Put ``customer`` on the sale (replacing any); on failure, words, and the sale
        keeps the customer it had."""
        await self._change(customer)

    async def remove(self) -> None:
        """Take the customer off the sale."""
        await self._change(None)

    # --- sending ---

    async def _change(self, customer: Customer | None) -> None:
        ctx = self._ctx
        try:
            self._check_open()  # at once, when the sale is being paid already
            async with ctx.lock:
                self._check_open()  # and once it is this change's turn: a payment may
                await ctx.resolve()  # have started while it waited
                if self._order.last is None and self._order.id is not None:
                    await self._order.read()
                order = self._order.last
                if order is None:
                    if customer is not None:  # before the first item: made with it
                        await self._order.create(customer)
                    else:
                        ctx.publish(customer=None)
                    ctx.publish(error=None)
                    return
                try:
                    await self._send(order, customer)
                except ValidationFailed as exc:
                    log.warning("sale %s: customer refused: %s", ctx.view.order_number, exc.message)
                    opened = (await self._order.read()).status is not OrderStatus.CONCEPT
                    ctx.publish(error=OPEN_ORDER if opened else explain(exc))
                    return
            ctx.publish(error=None)
        except (NotAllowed, JournalError) as exc:
            ctx.fail(exc)
        except NotFound as exc:
            log.warning("sale %s: customer not found: %s", ctx.view.order_number, exc.message)
            ctx.publish(error="Afosto does not know this customer or this sale's order.")
        except AfostoError as exc:
            ctx.publish(error=f"The customer did not change: {explain(exc)}")
            log.warning("sale %s: customer not changed: %s", ctx.view.order_number, exc.message)

    async def _send(self, order: Order, customer: Customer | None) -> None:
        ctx, order_id = self._ctx, order.id
        now = order.customer.id if order.customer is not None else None
        if now == (customer.id if customer is not None else None):
            return  # already so: nothing to send
        if customer is None:
            answer = await ctx.exactly_once(
                RemoveCustomer(order_id),
                lambda: ctx.client.remove_customer_from_order(order_id),
                lambda _: CustomerSet(None),
            )
        else:
            wanted = customer_input(customer)
            answer = await ctx.exactly_once(
                AttachCustomer(order_id, customer),
                lambda: ctx.client.add_customer_to_order(order_id, wanted),
                lambda _: CustomerSet(customer.id),
            )
        if answer is not None:  # None: read back, and the resolver applied it
            self._order.apply(answer)

    def _check_open(self) -> None:
        view = self._ctx.view
        if view.order_gone:
            raise NotAllowed(ORDER_GONE_PAID)
        if view.phase not in (Phase.SCANNING, Phase.TENDER):
            raise NotAllowed("The sale is being paid; its customer can no longer change.")

    # --- reading back ---

    async def _resolve_attach(self, step: Step[AttachCustomer]) -> None:
        await self._read_back(step.id, step.intent.customer.id)

    async def _resolve_remove(self, step: Step[RemoveCustomer]) -> None:
        await self._read_back(step.id, None)

    async def _read_back(self, step_id: int, wanted: str | None) -> None:
        """A customer change of unknown outcome: the order read back says whether it
        went through (done) or not (failed: it may be sent again)."""
        order = await self._order.read()
        found = order.customer.id if order.customer is not None else None
        self._ctx.journal.end(step_id, CustomerSet(found, read_back=True), ok=found == wanted)

    # --- what the view shows ---

    def _publish(self) -> None:
        order = self._order.last
        if order is None:
            return  # no order read (yet): the journal's customer stands
        shown = None if order.customer is None else customer_of(order.customer)
        if shown != self._ctx.view.customer:
            self._ctx.publish(customer=shown)

    def _journaled(self, sale_id: int) -> Customer | None:
        """The customer the journal last put on the sale, until the order is read."""
        customer = None
        for step in self._ctx.journal.steps(sale_id):
            if step.state is not StepState.DONE:
                continue
            intent = step.intent
            if isinstance(intent, CreateOrder | AttachCustomer):
                customer = intent.customer
            elif isinstance(intent, RemoveCustomer):
                customer = None
        return customer
