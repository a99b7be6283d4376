"""Every Afosto API shape that no public source shows, in one place.

The contract (``shared/afosto-api.md``) marks these ``[assumed]``. When the live API
turns out to differ, this module is the one edit. The README lists the same items.
"""

from __future__ import annotations

from pydantic import model_validator

from tui_pos.afosto.base import Model, Money, PaymentStatus

# --- REST payment paths: only the cash ``/{id}/pay`` path is documented. ---
PAYMENTS_PATH = "/api/commerce/payments/management"
"""POST here creates a payment; ``/{id}`` reads one; ``/{id}/pay`` marks cash paid."""

TERMINAL_BUSY_STATUS = 409
# --- Payment pages: a FOLLOW payment's page, paid from the customer's phone. ---
FOLLOW_ACTION = "FOLLOW"
"""``action.type`` of a payment paid on an external page at ``action.url`` [doc]; its
REST payment carries ``expires_at`` (unix ms) [assumed]."""

PAGE_METHOD_CODES = ("IDEAL", "PAYCONIQ")
"""The method codes whose payments are paid on a page (``FOLLOW``), in the order the
till offers them; attached without ``issuer_id`` (the customer picks a bank on the
page) [assumed]."""

PAGE_ENDED = (PaymentStatus.PAID, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED)
"""A page payment is ``PENDING`` until paid, cancelled on the page, or expired at
``expires_at``; only reading it tells (no push) [assumed]."""
"""A second start while the terminal is still in a transaction answers this."""

# --- GraphQL: the mutation to remove units, and the selections of assumed types. ---
REMOVE_ITEMS_MUTATION = "removeItemsFromOrder"
"""Takes ``{order_id, ids}`` with unit ids and returns ``OrderPayload``."""

PAYMENT_OPTIONS_SELECTION = """
    payment {
      methods {
        id code name
        terminals { id label is_online }
        drawers { id label }
        issuers { id label }
      }
    }
"""
"""Where payment methods, terminals and drawers sit under ``Order.options``."""

ORDER_STATE_SELECTION = """
    actions { action ids }
    payments { id amount status is_paid method_code }
"""
"""The shapes of ``Order.actions`` and ``Order.payments``."""


class OrderAction(Model):
    """An action the order offers, e.g. ``{action: "invoice", ids: [...]}``."""

    action: str
    ids: list[str]


class OrderPayment(Model):
    """A payment as listed on the order (mirrors the REST payment)."""

    id: str
    amount: Money
    status: PaymentStatus
    is_paid: bool
    method_code: str


class Terminal(Model):
    id: str
    label: str
    is_online: bool


class Drawer(Model):
    id: str
    label: str


class Issuer(Model):
    id: str
    label: str


class PaymentMethod(Model):
    """A payment method; only PIN has terminals, only CASH has drawers."""

    id: str
    code: str
    name: str
    terminals: list[Terminal] = []
    drawers: list[Drawer] = []
    issuers: list[Issuer] = []


class PaymentOptions(Model):
    methods: list[PaymentMethod]


class PaymentRef(Model):
    """The method on a REST payment: ``{"id", "code"}``."""

    id: str
    code: str


# --- Customers: the search, attaching later, and the contact's and organisation's
# ``number`` and ``phone`` (``CustomerInput`` and ``Order.customer`` are documented). ---
SEARCH_CUSTOMERS_QUERY = "searchCustomers"
"""Takes ``(query, limit)`` and returns ``[CustomerMatch!]!``, best first."""

ADD_CUSTOMER_MUTATION = "addCustomerToOrder"
"""Takes ``{order_id, customer: CustomerInput}`` and returns ``OrderPayload``."""

REMOVE_CUSTOMER_MUTATION = "removeCustomerFromOrder"
"""Takes ``{order_id}`` and returns ``OrderPayload``."""

CUSTOMER_SELECTION = """
    contact { id number given_name family_name email phone }
    organisation { id number name }
"""
"""The fields of ``Contact`` and ``Organisation`` under ``Order.customer`` and a match."""


class Contact(Model):
    """A person; ``number`` (on the customer card) and ``phone`` are assumed."""

    id: str
    number: str
    given_name: str
    family_name: str
    email: str | None = None
    phone: str | None = None


class Organisation(Model):
    """A company; ``number`` (on the customer card) is assumed."""

    id: str
    number: str
    name: str


class CustomerParty(Model):
    """A contact or an organisation, exactly one of the two: the shape of
    ``Order.customer`` [doc] and of a search match [assumed]."""

    contact: Contact | None = None
    organisation: Organisation | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> CustomerParty:
        if (self.contact is None) == (self.organisation is None):
            raise ValueError("exactly one of contact and organisation")
        return self

    @property
    def kind(self) -> str:
        """``contact`` or ``organisation``."""
        return "contact" if self.contact is not None else "organisation"

    @property
    def id(self) -> str:
        party = self.contact or self.organisation
        assert party is not None
        return party.id

    @property
    def number(self) -> str:
        party = self.contact or self.organisation
        assert party is not None
        return party.number

    @property
    def name(self) -> str:
        """The name a cashier reads: given and family name, or the organisation's."""
        if self.contact is not None:
            return f"{self.contact.given_name} {self.contact.family_name}".strip()
        assert self.organisation is not None
        return self.organisation.name


class CustomerMatch(CustomerParty):
    """One answer of ``searchCustomers``."""
