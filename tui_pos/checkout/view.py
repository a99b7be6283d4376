"""What the sale looks like from outside: immutable snapshots the UI renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    """Where the sale is; the UI shows one screen per phase."""

    SCANNING = "scanning"
    TENDER = "tender"
    TERMINAL = "terminal"
    PAGE = "page"
    """A payment page (iDEAL, Payconiq) the customer pays from the QR code."""
    CASH = "cash"
    OPENING = "opening"
    INVOICING = "invoicing"
    DONE = "done"


class TerminalState(StrEnum):
    """The PIN terminal as the cashier needs to know it."""

    IDLE = "idle"
    WAITING = "waiting"
    APPROVED = "approved"
    DECLINED = "declined"
    ABORTED = "aborted"
    EXPIRED = "expired"
    BUSY = "busy"
    CHECKING = "checking"
    UNKNOWN = "unknown"
    FAILED = "failed"


class PageState(StrEnum):
    """A payment page as the cashier needs to know it."""

    WAITING = "waiting"
    """The till reads it every second or two: the customer may pay now."""
    PAID = "paid"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    """Nobody watches it (stopped, or the till restarted): it may still be paid."""


@dataclass(frozen=True)
class PageMethod:
    """A method paid on a payment page that Afosto offers for the order."""

    code: str
    name: str


@dataclass(frozen=True)
class PageView:
    """The payment page of the last page payment."""

    payment_id: str
    method: PageMethod
    url: str
    amount: int
    state: PageState
    deadline: float | None
    """When the page stops taking payment, on ``time.monotonic()``; ``None`` when not
    known (after a restart, or Afosto did not say). Only Afosto's EXPIRED ends the payment."""

    @property
    def unconfirmed(self) -> bool:
        """The customer may still pay it: no new payment may start."""
        return self.state in (PageState.WAITING, PageState.UNKNOWN)


@dataclass(frozen=True)
class Line:
    """One cart line: what the cashier asked for and what Afosto has confirmed."""

    sku: str
    quantity: int
    confirmed: int = 0
    label: str | None = None
    unit_price: int | None = None
    unit_ids: tuple[str, ...] = ()
    by_afosto: bool = False
    """Put on the order in Afosto (the back office), not by the till: the till shows it,
    charges it, and never removes it."""

    @property
    def pending(self) -> bool:
        """The API has not yet confirmed this line as it stands."""
        return self.quantity != self.confirmed

    @property
    def total(self) -> int | None:
        return None if self.unit_price is None else self.unit_price * self.quantity


@dataclass(frozen=True)
class PaymentLine:
    id: str
    method: str
    amount: int
    status: str
    is_paid: bool


@dataclass(frozen=True)
class Customer:
    """A contact or an organisation on the sale, as the cashier reads it."""

    kind: str
    """``contact`` or ``organisation``."""
    id: str
    number: str
    name: str
    detail: str | None = None
    """An email or phone number that tells two of the same name apart."""

    @property
    def label(self) -> str:
        """``Name (number)``, as the header and the receipt say it."""
        return f"{self.name} ({self.number})"


@dataclass(frozen=True)
class SaleView:
    """A snapshot of one sale; every change to the sale publishes a new one."""

    phase: Phase = Phase.SCANNING
    order_number: str | None = None
    lines: tuple[Line, ...] = ()
    total: int = 0
    paid: int = 0
    payments: tuple[PaymentLine, ...] = ()
    terminal: TerminalState = TerminalState.IDLE
    terminal_label: str | None = None
    attempt_amount: int | None = None
    card_unconfirmed: bool = False
    """A card payment may still go through on the terminal: no new payment until it is
    checked (or the cashier confirms the terminal shows it failed)."""
    page: PageView | None = None
    page_methods: tuple[PageMethod, ...] = ()
    """The page methods (iDEAL, Payconiq) Afosto offers for the order, once read."""
    busy: bool = False
    error: str | None = None
    change: int | None = None
    invoice_number: str | None = None
    invoice_url: str | None = None
    """The invoice's PDF, for the receipt's QR code."""
    invoice_pending: bool = False
    held: tuple[str, ...] = field(default=())
    """SKUs left out of the invoice made at the end (invoiced later)."""
    order_gone: bool = False
    """The sale's order is gone from Afosto with money taken on it: kept for support,
    the cashier sets it aside (``Till.set_aside``) and sells on."""
    customer: Customer | None = None
    """Who the sale is for, as the order last read says (or, before it is read after a
    restart, as the journal does)."""

    @property
    def due(self) -> int:
        return max(self.total - self.paid, 0)

    @property
    def synced(self) -> bool:
        return not any(line.pending for line in self.lines)
