"""A finished sale as its receipt tells it, and the printouts the till made (receipts,
drawer kicks): typed records the journal keeps, so that a receipt is never lost and never
printed twice by itself. Nothing here knows how a printer is driven."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tui_pos.checkout.view import SaleView

METHOD_NAMES = {"PIN": "Card", "CASH": "Cash"}
"""Afosto's payment method codes as a cashier and a customer say them."""


def method_name(code: str) -> str:
    return METHOD_NAMES.get(code, code.title())


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    quantity: int
    unit_price: int
    total: int


@dataclass(frozen=True)
class ReceiptPayment:
    method: str
    """Afosto's method code (``PIN``, ``CASH``): :func:`method_name` says it."""
    amount: int


@dataclass(frozen=True)
class Receipt:
    """What the receipt of one paid sale says; the shop's lines come from the settings
    when it is printed, the invoice from the sale's note (it may come later)."""

    sale_id: int
    order_number: str
    finished_at: float
    """Wall-clock time the sale was paid, printed as the receipt's date and time."""
    lines: tuple[ReceiptLine, ...]
    total: int
    payments: tuple[ReceiptPayment, ...]
    change: int | None = None
    invoice_number: str | None = None
    invoice_url: str | None = None
    """The invoice's PDF (the digital receipt): a QR code on the paper."""


def receipt_of(sale_id: int, view: SaleView, finished_at: float) -> Receipt:
    """The receipt of the paid sale ``view`` shows."""
    lines = tuple(
        ReceiptLine(line.label or line.sku, line.quantity, line.unit_price or 0, line.total or 0)
        for line in view.lines
        if line.quantity
    )
    payments = tuple(ReceiptPayment(p.method, p.amount) for p in view.payments if p.is_paid)
    return Receipt(
        sale_id=sale_id,
        order_number=view.order_number or str(sale_id),
        finished_at=finished_at,
        lines=lines,
        total=view.total,
        payments=payments,
        change=view.change,
        invoice_number=view.invoice_number,
        invoice_url=view.invoice_url,
    )


class PrintKind(StrEnum):
    RECEIPT = "receipt"
    DRAWER = "drawer"
    """The drawer kicked open for a cash payment."""
    NO_SALE = "no_sale"
    """The drawer opened by the cashier's "no sale" key."""
    TEST = "test"


class PrintState(StrEnum):
    SENT = "sent"
    """Started, its end never recorded (the till stopped): it may have printed."""
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Printout:
    """One job the till sent to the printer, journaled before it went and after."""

    id: int
    kind: PrintKind
    sale_id: int | None
    copy: bool
    state: PrintState
    problem: str | None
    """What went wrong, in the cashier's words."""
    partly: bool
    """Some of it may have reached the printer (it failed midway, or after)."""
    sent_at: float

    @property
    def may_have_printed(self) -> bool:
        return self.state is not PrintState.FAILED or self.partly
