"""Every Afosto API shape that no public source shows, in one place.

The contract (``shared/afosto-api.md``) marks these ``[assumed]``. When the live API
turns out to differ, this module is the one edit. The README lists the same items.
"""

from __future__ import annotations

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
