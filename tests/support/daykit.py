"""The shop's day in tests: paid sales written through the journal's own API, as the
engine writes them (:meth:`Journal.set_status` with the receipt)."""

from __future__ import annotations

import time

from tui_pos.checkout import Journal, SaleStatus
from tui_pos.checkout.receipt import Receipt, ReceiptLine, ReceiptPayment


def receipt_for(
    sale_id: int,
    payments: list[tuple[str, int]],
    *,
    change: int | None = None,
    cashier: int | None = None,
    served_by: str | None = None,
) -> Receipt:
    """The receipt of a sale paid with ``payments`` (method code, amount applied)."""
    total = sum(amount for _, amount in payments)
    return Receipt(
        sale_id=sale_id,
        order_number=str(1000000 + sale_id),
        finished_at=time.time(),
        lines=(ReceiptLine("Item", 1, total, total),),
        total=total,
        payments=tuple(ReceiptPayment(method, amount) for method, amount in payments),
        change=change,
        cashier=cashier,
        served_by=served_by,
    )


def pay(
    journal: Journal,
    payments: list[tuple[str, int]],
    *,
    change: int | None = None,
    cashier: int | None = None,
    served_by: str | None = None,
    status: SaleStatus = SaleStatus.DONE,
) -> Receipt:
    """A new sale, paid with ``payments``, ended with its receipt."""
    sale_id = journal.new_sale(started_by=cashier)
    receipt = receipt_for(sale_id, payments, change=change, cashier=cashier, served_by=served_by)
    journal.set_status(sale_id, status, receipt=receipt)
    return receipt
