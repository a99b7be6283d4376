"""Pydantic models of what the Afosto API answers. Money is ``int`` cents, never float."""

from __future__ import annotations

from typing import Any

from pydantic import StrictInt, field_validator, model_validator

from tui_pos.afosto.assumed import (
    CustomerParty,
    OrderAction,
    OrderPayment,
    PaymentOptions,
    PaymentRef,
)
from tui_pos.afosto.base import Model, Money, OrderStatus, PaymentStatus


class OrderItem(Model):
    """One order line; ``ids`` holds one id per unit."""

    ids: list[str]
    sku: str
    label: str
    quantity: StrictInt
    subtotal: Money
    total: Money


class ProceedingOption(Model):
    type: str | None = None
    method: str | None = None
    url: str | None = None


class Proceeding(Model):
    action: str | None = None
    options: list[ProceedingOption] = []


class ProceedingStep(Model):
    is_action_required: bool
    proceeding: Proceeding | None = None


class OrderOptions(Model):
    proceeding_step: ProceedingStep | None = None
    payment: PaymentOptions


class OrderCustomer(CustomerParty):
    """The contact or organisation on an order; ``Order.customer`` is None without one."""


class Invoice(Model):
    id: str
    number: str
    total: Money
    created_at: StrictInt
    pdf_url: str | None = None


class Order(Model):
    """An order as the till reads it; ``options`` is only there when asked for."""

    id: str
    number: str
    status: OrderStatus
    currency: str
    subtotal: Money
    total: Money
    items: list[OrderItem]
    actions: list[OrderAction]
    payments: list[OrderPayment]
    invoices: list[Invoice]
    options: OrderOptions | None = None
    customer: OrderCustomer | None = None

    @property
    def unit_ids(self) -> list[str]:
        """Every unit id on the order, line by line."""
        return [unit for item in self.items for unit in item.ids]

    @property
    def paid(self) -> int:
        """Cents paid so far."""
        return sum(p.amount for p in self.payments if p.is_paid)

    @property
    def due(self) -> int:
        """Cents still to pay."""
        return max(self.total - self.paid, 0)

    def action_ids(self, name: str) -> list[str]:
        """The ids of the named action (``invoice``), empty when it is not there."""
        return [i for action in self.actions if action.action == name for i in action.ids]


class PaymentAction(Model):
    """What to do next with a payment: ``START`` (terminal), ``PAY`` (cash), ``FOLLOW``."""

    type: str
    url: str | None = None


class Payment(Model):
    """A payment as the REST API answers it."""

    id: str
    order_id: str
    amount: Money
    currency: str
    status: PaymentStatus
    is_paid: bool
    method: PaymentRef
    terminal_id: str | None = None
    action: PaymentAction | None = None
    created_at: StrictInt | None = None
    expires_at: StrictInt | None = None
    """[assumed] A ``FOLLOW`` payment's page stops taking payment then (unix ms)."""

    @field_validator("expires_at", mode="before")
    @classmethod
    def _shown_only(cls, value: object) -> object:
        """Only shown (the time left): in another shape it is not known, and the
        payment stays readable (its status is what matters)."""
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class CustomerInput(Model):
    """Who to put on an order: a contact's or an organisation's id, exactly one."""

    contact_id: str | None = None
    organisation_id: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> CustomerInput:
        if (self.contact_id is None) == (self.organisation_id is None):
            raise ValueError("exactly one of contact_id and organisation_id")
        return self

    @classmethod
    def of(cls, party: CustomerParty) -> CustomerInput:
        """The input that names this contact or organisation."""
        if party.kind == "contact":
            return cls(contact_id=party.id)
        return cls(organisation_id=party.id)

    def wire(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


class CreateOrderInput(Model):
    """``createOrder``'s input; ``customer`` attaches one from the start."""

    channel_id: str
    currency: str = "EUR"
    customer: CustomerInput | None = None

    def wire(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)
