"""The simulated backend's domain: orders, payments, invoices and PIN terminals.

Synchronous rules with no I/O; every refusal raises a ``DomainError``. The HTTP layers
(``graphql_api``, ``rest_api``) translate requests into calls on ``Store``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from tui_pos.sim.catalog import CATALOG
from tui_pos.sim.customers import Customer, Directory
from tui_pos.sim.errors import DomainError, ErrorCode
from tui_pos.sim.tenant import CHANNELS, OFFLINE_AT_START, PAYMENT_METHODS, Choice

MAX_QUANTITY = 999
"""The largest quantity one item of an addItemsToOrder batch may ask for [assumed]."""

SUPPORTED_CURRENCY = "EUR"

ACTION_TYPES = {"PIN": "START", "CASH": "PAY", "IDEAL": "FOLLOW", "PAYCONIQ": "FOLLOW"}
"""How a payment of each method proceeds: terminal, manual or external page."""

PAGE_LIFETIME = 600.0
"""Seconds a payment page takes payment before it expires [assumed]."""


class OrderStatus(StrEnum):
    CONCEPT = "CONCEPT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class PaymentStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


_OUTCOME_BY_CENTS = {
    13: PaymentStatus.CANCELLED,  # card declined
    14: PaymentStatus.PENDING,  # customer aborted on the device
    15: PaymentStatus.EXPIRED,  # terminal timed out
}


def outcome_for_amount(amount: int) -> PaymentStatus:
    """How the simulated terminal settles a transaction, by the amount's last two digits.

    A simulator convention for tests and training, not Afosto behaviour.
    """
    return _OUTCOME_BY_CENTS.get(amount % 100, PaymentStatus.PAID)


def new_id(prefix: str) -> str:
    """A fresh id such as ``pay_3f2a...``."""
    return f"{prefix}{uuid.uuid4().hex[:16]}"


def now_ms() -> int:
    """The wall-clock time in unix milliseconds."""
    return time.time_ns() // 1_000_000


def _refuse(message: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, message)


def _not_found(message: str) -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, message)


@dataclass
class Line:
    """An order line: one SKU, one id per unit."""

    sku: str
    label: str
    unit_price: int
    unit_ids: list[str]

    @property
    def quantity(self) -> int:
        return len(self.unit_ids)

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class AttachedMethod:
    """The payment method attached to an order, with where it is routed."""

    method_id: str
    code: str
    terminal_id: str | None = None
    drawer_id: str | None = None
    issuer_id: str | None = None

    @property
    def action_type(self) -> str:
        return ACTION_TYPES[self.code]


@dataclass(frozen=True)
class PageOutcome:
    """What happens to a payment page by itself: paid, cancelled or expired ``after``
    seconds from its creation (a knob for tests and the demo)."""

    status: PaymentStatus
    after: float


@dataclass
class Payment:
    """A payment on an order, created for the method attached at the time."""

    id: str
    order_id: str
    amount: int
    currency: str
    method: AttachedMethod
    created_at: int
    status: PaymentStatus = PaymentStatus.PENDING
    in_transaction: bool = False
    start_count: int = 0
    expires_at: int | None = None
    """A FOLLOW payment's page takes payment until then (unix ms) [assumed]."""
    scripted: tuple[PaymentStatus, int] | None = None
    """A page's outcome by itself and when (unix ms), from :class:`PageOutcome`."""

    @property
    def is_paid(self) -> bool:
        return self.status is PaymentStatus.PAID


@dataclass
class Invoice:
    id: str
    number: str
    order_id: str
    unit_ids: list[str]
    total: int
    created_at: int


@dataclass
class Order:
    id: str
    number: str
    channel_id: str
    currency: str
    customer: dict[str, str | None] | None
    status: OrderStatus = OrderStatus.CONCEPT
    lines: list[Line] = field(default_factory=list)
    method: AttachedMethod | None = None
    payments: list[Payment] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    ready_at: float | None = None
    """Store-clock time at which processing after opening finishes."""
    invoiced: set[str] = field(default_factory=set)
    open_count: int = 0
    open_attempts: int = 0

    @property
    def total(self) -> int:
        """Prices include VAT and there are no discounts, so subtotal == total."""
        return sum(line.total for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(payment.amount for payment in self.payments if payment.is_paid)

    @property
    def due(self) -> int:
        return self.total - self.paid

    def unit_ids(self) -> list[str]:
        return [unit_id for line in self.lines for unit_id in line.unit_ids]

    def unit_price(self, unit_id: str) -> int:
        return next(line.unit_price for line in self.lines if unit_id in line.unit_ids)


@dataclass
class Terminal:
    id: str
    label: str
    is_online: bool
    busy_with: str | None = None
    """The payment whose transaction is running, if any."""


def _reject_duplicates(ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise _refuse(f"id {item_id} is listed more than once")
        seen.add(item_id)


def _check_route(
    field_name: str, value: str | None, choices: Sequence[Choice], code: str, *, optional: bool
) -> None:
    """A method with choices needs one of them (unless ``optional``); a method without
    any takes none [assumed]."""
    if not choices:
        if value is not None:
            raise _refuse(f"{field_name} is not used for {code} payments")
        return
    if value is None:
        if optional:
            return
        raise _refuse(f"{field_name} is required for {code} payments")
    if value not in {choice.id for choice in choices}:
        raise _not_found(f"{field_name} {value} not found")


class Store:
    """All orders, payments, invoices and terminals of the demo tenant."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.today: Callable[[], time.struct_time] = time.gmtime
        """The calendar invoice numbers take their year from (tests fix it)."""
        self.clock = clock
        self.orders: dict[str, Order] = {}
        self.payments: dict[str, Payment] = {}
        self.invoices: dict[str, Invoice] = {}
        self.terminals: dict[str, Terminal] = {
            choice.id: Terminal(choice.id, choice.label, choice.id not in OFFLINE_AT_START)
            for spec in PAYMENT_METHODS.values()
            for choice in spec.terminals
        }
        self.unit_orders: dict[str, str] = {}
        """The order each unit id is on."""
        self.sku_aliases: dict[str, str] = {}
        """Codes Afosto files under another SKU (a barcode mapped to an article, a code
        in another case): ``addItemsToOrder`` puts them on the line of that SKU."""
        self.page_lifetime = PAGE_LIFETIME
        self.page_outcomes: list[PageOutcome] = []
        """Scripts the next payment pages, one each (consumed); then ``page_default``."""
        self.page_default: PageOutcome | None = None
        # [assumed] numbering: orders "1000001", "1000002", ...; invoices "F2026-000001"
        self.next_order_number = 1000001
        self.next_invoice_number = 1
        self.customers = Directory()
        """The tenant's contacts and organisations."""

    # Orders

    def create_order(
        self,
        channel_id: str | None,
        currency: str | None = None,
        customer: Mapping[str, str | None] | None = None,
    ) -> Order:
        """A new CONCEPT order; API tokens must name the channel."""
        if not channel_id:
            raise _refuse("channel_id is required when not using a storefront token")
        if channel_id not in CHANNELS:
            raise _not_found(f"channel {channel_id} not found")
        currency = SUPPORTED_CURRENCY if currency is None else currency
        if currency != SUPPORTED_CURRENCY:
            raise _refuse(f"currency {currency} is not supported; the channel sells in EUR")
        order = Order(
            id=str(uuid.uuid4()),
            number=str(self.next_order_number),
            channel_id=channel_id,
            currency=currency,
            customer=None if customer is None else self._customer_input(customer),
        )
        self.next_order_number += 1
        self.orders[order.id] = order
        return order

    def order(self, order_id: str) -> Order:
        try:
            return self.orders[order_id]
        except KeyError:
            raise _not_found(f"order {order_id} not found") from None

    def _concept(self, order_id: str) -> Order:
        order = self.order(order_id)
        if order.status is not OrderStatus.CONCEPT:
            raise _refuse("order is not a concept")
        return order

    def add_items(self, order_id: str, items: Sequence[tuple[str, int]]) -> Order:
        """Adds (sku, quantity) pairs, all or none; one line per SKU, one id per unit."""
        order = self._concept(order_id)
        if not items:
            raise _refuse("items must not be empty")
        for sku, quantity in items:
            if self.sku_aliases.get(sku, sku) not in CATALOG:
                raise _refuse(f"unknown sku {sku}")
            if not 1 <= quantity <= MAX_QUANTITY:
                raise _refuse(f"quantity of {sku} must be between 1 and {MAX_QUANTITY}")
        lines = {line.sku: line for line in order.lines}
        for asked, quantity in items:
            sku = self.sku_aliases.get(asked, asked)
            line = lines.get(sku)
            if line is None:
                product = CATALOG[sku]
                line = lines[sku] = Line(sku, product.label, product.price, [])
                order.lines.append(line)
            unit_ids = [new_id("itm_") for _ in range(quantity)]
            line.unit_ids.extend(unit_ids)
            self.unit_orders.update(dict.fromkeys(unit_ids, order.id))
        return order

    # Customers

    def _customer_input(self, customer: Mapping[str, str | None]) -> dict[str, str | None]:
        """A ``CustomerInput`` checked: exactly one id given, and it exists [assumed]."""
        given = {key: value for key, value in customer.items() if value is not None}
        if len(given) != 1:
            raise _refuse("give exactly one of contact_id and organisation_id")
        ((key, customer_id),) = given.items()
        found = self.customers.by_id.get(customer_id)
        if found is None or found.input_key != key:
            kind = key.removesuffix("_id")
            raise _not_found(f"{kind} {customer_id} not found")
        return {key: customer_id}

    def customer_of(self, order: Order) -> Customer | None:
        """The contact or organisation on the order, if any."""
        if order.customer is None:
            return None
        (customer_id,) = (value for value in order.customer.values() if value is not None)
        return self.customers.by_id[customer_id]

    def search_customers(self, query: str, limit: int) -> list[Customer]:
        try:
            return self.customers.search(query, limit)
        except ValueError as error:
            raise _refuse(str(error)) from None

    def add_customer(self, order_id: str, customer: Mapping[str, str | None]) -> Order:
        """Attaches or replaces the order's customer while it is a CONCEPT; attaching the
        one already on it changes nothing [assumed]."""
        order = self._concept(order_id)
        order.customer = self._customer_input(customer)
        return order

    def remove_customer(self, order_id: str) -> Order:
        """Takes the customer off a CONCEPT order (none on it: nothing changes) [assumed]."""
        order = self._concept(order_id)
        order.customer = None
        return order

    def delete_order(self, order_id: str) -> None:
        """The order is gone (deleted in the back office, or expired): every call on it
        is NOT_FOUND from now on."""
        order = self.order(order_id)
        del self.orders[order_id]
        for unit_id in order.unit_ids():
            self.unit_orders.pop(unit_id, None)

    def remove_items(self, order_id: str, ids: Sequence[str]) -> Order:
        """Removes units by id, all or none [assumed]; empty lines disappear."""
        order = self._concept(order_id)
        if not ids:
            raise _refuse("ids must not be empty")
        _reject_duplicates(ids)
        on_order = set(order.unit_ids())
        for unit_id in ids:
            if unit_id not in on_order:
                raise _not_found(f"item {unit_id} not found on order {order.number}")
        new_total = order.total - sum(order.unit_price(unit_id) for unit_id in ids)
        if new_total < order.paid:
            raise _refuse(
                f"removing these items brings the total to {new_total}, "
                f"below the {order.paid} already paid"
            )
        removed = set(ids)
        for line in order.lines:
            line.unit_ids = [unit_id for unit_id in line.unit_ids if unit_id not in removed]
        order.lines = [line for line in order.lines if line.unit_ids]
        for unit_id in removed:
            del self.unit_orders[unit_id]
        return order

    def attach_payment_method(
        self,
        order_id: str,
        method_id: str,
        terminal_id: str | None = None,
        drawer_id: str | None = None,
        issuer_id: str | None = None,
    ) -> Order:
        """Attaches (or replaces) the order's payment method; offline terminals are allowed."""
        order = self._concept(order_id)
        spec = PAYMENT_METHODS.get(method_id)
        if spec is None:
            raise _not_found(f"payment method {method_id} not found")
        _check_route("terminal_id", terminal_id, spec.terminals, spec.code, optional=False)
        _check_route("drawer_id", drawer_id, spec.drawers, spec.code, optional=False)
        # [assumed] at a counter the customer picks the bank on the payment page
        _check_route("issuer_id", issuer_id, spec.issuers, spec.code, optional=True)
        order.method = AttachedMethod(spec.id, spec.code, terminal_id, drawer_id, issuer_id)
        return order

    def open_order(self, order_id: str, processing_time: float) -> Order:
        """CONCEPT -> OPEN once fully paid; items become invoiceable after processing_time."""
        order = self.order(order_id)
        order.open_attempts += 1
        if order.status is not OrderStatus.CONCEPT:
            raise _refuse("order is not a concept")
        if not order.lines:
            raise _refuse("order has no items")
        if order.due > 0:
            raise _refuse(f"order is not fully paid: {order.due} of {order.total} still due")
        order.status = OrderStatus.OPEN
        order.open_count += 1
        order.ready_at = self.clock() + processing_time
        return order

    def invoiceable_ids(self, order: Order) -> list[str]:
        """The ids of the order's invoice action: empty until processing has finished."""
        if order.ready_at is None or self.clock() < order.ready_at:
            return []
        return [unit_id for unit_id in order.unit_ids() if unit_id not in order.invoiced]

    def invoice_items(self, ids: Sequence[str], invoice_id: str | None = None) -> Invoice:
        """Invoices units of one order's invoice action, on a new or an existing invoice."""
        if not ids:
            raise _refuse("items must not be empty")
        _reject_duplicates(ids)
        order_ids = {self.unit_orders.get(unit_id) for unit_id in ids}
        if len(order_ids) > 1:
            raise _refuse("items must all belong to one order")
        order_id = order_ids.pop()
        ready = set() if order_id is None else set(self.invoiceable_ids(self.orders[order_id]))
        for unit_id in ids:
            if unit_id not in ready:
                raise _refuse(f"item {unit_id} is not listed in an invoice action")
        assert order_id is not None  # every id was ready, so it belongs to an order
        order = self.orders[order_id]
        amount = sum(order.unit_price(unit_id) for unit_id in ids)
        if invoice_id is None:
            invoice = Invoice(
                id=new_id("inv_"),
                number=f"F{self.today().tm_year}-{self.next_invoice_number:06d}",
                order_id=order.id,
                unit_ids=list(ids),
                total=amount,
                created_at=now_ms(),
            )
            self.next_invoice_number += 1
            self.invoices[invoice.id] = invoice
            order.invoices.append(invoice)
        else:
            invoice = self._invoice_of(order, invoice_id)
            invoice.unit_ids.extend(ids)
            invoice.total += amount
        order.invoiced.update(ids)
        return invoice

    def _invoice_of(self, order: Order, invoice_id: str) -> Invoice:
        invoice = self.invoices.get(invoice_id)
        if invoice is None:
            raise _not_found(f"invoice {invoice_id} not found")
        if invoice.order_id != order.id:
            raise _refuse(f"invoice {invoice.number} belongs to another order")
        return invoice

    # Payments

    def create_payment(self, order_id: str, amount: int) -> Payment:
        """A PENDING payment for the attached method; split payments allowed, no overpaying.

        [assumed] Only PAID payments count against what is due; pending ones reserve
        nothing, so two payments running at once can overpay (``snapshot`` shows it).
        """
        order = self._concept(order_id)
        if order.method is None:
            raise _refuse("attach a payment method to the order first")
        if amount <= 0:
            raise _refuse("amount must be greater than 0")
        if amount > order.due:
            raise _refuse(f"amount {amount} exceeds the {order.due} still due")
        payment = Payment(
            id=new_id("pay_"),
            order_id=order.id,
            amount=amount,
            currency=order.currency,
            method=order.method,
            created_at=now_ms(),
        )
        if payment.method.action_type == "FOLLOW":
            self._open_page(payment)
        self.payments[payment.id] = payment
        order.payments.append(payment)
        return payment

    def _open_page(self, payment: Payment) -> None:
        payment.expires_at = payment.created_at + round(self.page_lifetime * 1000)
        script = self.page_outcomes.pop(0) if self.page_outcomes else self.page_default
        if script is not None:
            payment.scripted = (script.status, payment.created_at + round(script.after * 1000))

    def settle_pages(self) -> None:
        """Payment pages whose scripted moment or ``expires_at`` has come take that
        outcome: decided lazily, on this clock, whenever the simulator is asked."""
        now = now_ms()
        for payment in self.payments.values():
            if payment.status is not PaymentStatus.PENDING or payment.expires_at is None:
                continue
            if payment.scripted is not None and payment.scripted[1] <= now:
                payment.status = payment.scripted[0]
            elif payment.expires_at <= now:
                payment.status = PaymentStatus.EXPIRED

    def settle_page(self, payment_id: str, outcome: PaymentStatus) -> Payment:
        """The customer pays or cancels on the page; only a PENDING page takes it."""
        self.settle_pages()
        payment = self.payment(payment_id)
        if payment.method.action_type != "FOLLOW":
            raise _not_found(f"payment {payment.id} has no payment page")
        if payment.status is not PaymentStatus.PENDING:
            raise DomainError(
                ErrorCode.CONFLICT, f"payment {payment.id} is {payment.status.value.lower()}"
            )
        payment.status = outcome
        return payment

    def payment(self, payment_id: str) -> Payment:
        try:
            return self.payments[payment_id]
        except KeyError:
            raise _not_found(f"payment {payment_id} not found") from None

    def begin_terminal_transaction(
        self, payment_id: str, scripted: list[str] | None = None
    ) -> PaymentStatus:
        """Puts the payment on its terminal; returns how the transaction will settle.

        The outcome is the first of ``scripted`` (consumed) if any, else by amount.
        A busy terminal answers CONFLICT (409, contract); [assumed] an offline terminal
        refuses with VALIDATION_ERROR, and an unpaid payment may be restarted.
        """
        payment = self.payment(payment_id)
        if payment.method.action_type != "START":
            raise _refuse(f"payment {payment.id} is not a terminal payment")
        if payment.is_paid:
            raise _refuse(f"payment {payment.id} is already paid")
        assert payment.method.terminal_id is not None
        terminal = self.terminals[payment.method.terminal_id]
        if not terminal.is_online:
            raise _refuse(f"terminal {terminal.label} is offline")
        if terminal.busy_with is not None:
            raise DomainError(
                ErrorCode.CONFLICT,
                f"terminal {terminal.label} is busy with payment {terminal.busy_with}",
            )
        outcome = PaymentStatus(scripted.pop(0)) if scripted else outcome_for_amount(payment.amount)
        terminal.busy_with = payment.id
        payment.status = PaymentStatus.PENDING
        payment.in_transaction = True
        payment.start_count += 1
        return outcome

    def settle_terminal_transaction(self, payment_id: str, outcome: PaymentStatus) -> Payment:
        """The terminal reports: the payment takes the outcome and the terminal is free."""
        payment = self.payment(payment_id)
        assert payment.method.terminal_id is not None
        payment.status = outcome
        payment.in_transaction = False
        self.terminals[payment.method.terminal_id].busy_with = None
        return payment

    def pay_manually(self, payment_id: str, amount: int) -> Payment:
        """Marks a PAY (cash) payment paid; repeating it changes nothing [assumed]."""
        payment = self.payment(payment_id)
        if payment.method.action_type != "PAY":
            raise _refuse(
                f"payment {payment.id} is not a manual payment "
                f"(its action is {payment.method.action_type})"
            )
        if amount != payment.amount:
            raise _refuse(f"amount {amount} does not match the payment's amount {payment.amount}")
        payment.status = PaymentStatus.PAID
        return payment

    # Inspection

    def snapshot(self) -> dict[str, Any]:
        """Everything, as JSON-ready data for invariant checks in tests."""
        return {
            "orders": [self._order_snapshot(order) for order in self.orders.values()],
            "terminals": [asdict(terminal) for terminal in self.terminals.values()],
        }

    def _customer_snapshot(self, order: Order) -> dict[str, str] | None:
        customer = self.customer_of(order)
        if customer is None:
            return None
        kind = "contact" if customer.is_contact else "organisation"
        return {"kind": kind, "id": customer.id, "number": customer.number, "name": customer.name}

    def _order_snapshot(self, order: Order) -> dict[str, Any]:
        return {
            "id": order.id,
            "number": order.number,
            "status": order.status.value,
            "channel_id": order.channel_id,
            "currency": order.currency,
            "customer": self._customer_snapshot(order),
            "total": order.total,
            "paid": order.paid,
            "due": order.due,
            "open_count": order.open_count,
            "open_attempts": order.open_attempts,
            "payment_method": asdict(order.method) if order.method else None,
            "lines": [
                {
                    "sku": line.sku,
                    "label": line.label,
                    "unit_price": line.unit_price,
                    "quantity": line.quantity,
                    "ids": list(line.unit_ids),
                }
                for line in order.lines
            ],
            "payments": [
                {
                    "id": payment.id,
                    "amount": payment.amount,
                    "status": payment.status.value,
                    "is_paid": payment.is_paid,
                    "method": asdict(payment.method),
                    "action_type": payment.method.action_type,
                    "start_count": payment.start_count,
                    "in_transaction": payment.in_transaction,
                    "expires_at": payment.expires_at,
                }
                for payment in order.payments
            ],
            "invoices": [
                {
                    "id": invoice.id,
                    "number": invoice.number,
                    "total": invoice.total,
                    "ids": list(invoice.unit_ids),
                }
                for invoice in order.invoices
            ],
            "invoiceable_ids": self.invoiceable_ids(order),
            "invoiced_ids": [unit_id for unit_id in order.unit_ids() if unit_id in order.invoiced],
        }
