"""A paid sale as its receipt tells it: a typed record the journal keeps with the sale's
final status, so that no paid sale is without its receipt, whenever the till stops.
Nothing here knows how a printer is driven."""

from __future__ import annotations

from dataclasses import dataclass

from tui_pos.checkout.view import SaleView

TENDERS = {"PIN": "Card", "CASH": "Cash"}
"""What a cashier and a customer call each of Afosto's payment method codes."""


def tender_name(method: str) -> str:
    return TENDERS.get(method, method)


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    quantity: int
    unit_price: int
    total: int


@dataclass(frozen=True)
class ReceiptPayment:
    method: str
    """Afosto's method code (``PIN``, ``CASH``)."""
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
    cashier: int | None = None
    """The number of the cashier who took the payment (none before cashiers signed in)."""
    served_by: str | None = None
    """That cashier's name, as the receipt says it."""
    customer: str | None = None
    """Who the sale was for, ``Name (number)``; none without a customer."""


def receipt_of(
    sale_id: int,
    view: SaleView,
    finished_at: float,
    *,
    cashier: int | None = None,
    served_by: str | None = None,
) -> Receipt:
    """The receipt of the paid sale ``view`` shows, taken by ``cashier`` (number), named
    ``served_by``."""
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
        cashier=cashier,
        served_by=served_by,
        customer=view.customer.label if view.customer is not None else None,
    )
