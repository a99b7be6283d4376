"""The simulator's state saved as plain JSON and restored, in this process or another.

``save`` turns a ``Store`` into JSON-ready data, ``restore`` makes a ``Store`` that
answers for the same orders, payments, invoices and terminals exactly as before (same
ids, numbers, statuses and invoice actions). The catalogue is the module's own and is
not saved. Wall-clock times (``created_at``, unix ms) are kept as they are; the store's
monotonic ``ready_at`` is saved as the seconds still to wait (to the ms), so that a
ready order stays ready. A terminal transaction does not outlive its process: a payment
saved while on a terminal is restored off it, still PENDING, as when the simulator
shuts down.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tui_pos.sim.state import (
    AttachedMethod,
    Invoice,
    Line,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    Store,
    Terminal,
)

FORMAT = 1
"""The version of the saved data's layout."""


def save(store: Store) -> dict[str, Any]:
    """The store's state as JSON-ready data."""
    return {
        "format": FORMAT,
        "next_order_number": store.next_order_number,
        "next_invoice_number": store.next_invoice_number,
        "sku_aliases": dict(store.sku_aliases),
        "terminals": [asdict(terminal) for terminal in store.terminals.values()],
        "payments": [_payment(payment) for payment in store.payments.values()],
        "invoices": [asdict(invoice) for invoice in store.invoices.values()],
        "orders": [_order(store, order) for order in store.orders.values()],
    }


def restore(data: dict[str, Any]) -> Store:
    """A new store holding the state ``save`` returned (for ``Simulator.store``)."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a simulator snapshot of format {FORMAT}")
    store = Store()
    store.next_order_number = data["next_order_number"]
    store.next_invoice_number = data["next_invoice_number"]
    store.sku_aliases = dict(data["sku_aliases"])
    store.terminals = {
        saved["id"]: Terminal(**saved | {"busy_with": None}) for saved in data["terminals"]
    }
    store.payments = {saved["id"]: _load_payment(saved) for saved in data["payments"]}
    store.invoices = {saved["id"]: Invoice(**saved) for saved in data["invoices"]}
    store.orders = {saved["id"]: _load_order(store, saved) for saved in data["orders"]}
    store.unit_orders = {
        unit_id: order.id for order in store.orders.values() for unit_id in order.unit_ids()
    }
    return store


def _payment(payment: Payment) -> dict[str, Any]:
    return asdict(payment) | {"status": payment.status.value}


def _load_payment(saved: dict[str, Any]) -> Payment:
    return Payment(
        **saved
        | {
            "method": AttachedMethod(**saved["method"]),
            "status": PaymentStatus(saved["status"]),
            "in_transaction": False,
        }
    )


def _order(store: Store, order: Order) -> dict[str, Any]:
    ready_in = (
        None if order.ready_at is None else round(max(order.ready_at - store.clock(), 0.0), 3)
    )
    return {
        "id": order.id,
        "number": order.number,
        "channel_id": order.channel_id,
        "currency": order.currency,
        "customer": order.customer,
        "status": order.status.value,
        "lines": [asdict(line) for line in order.lines],
        "method": None if order.method is None else asdict(order.method),
        "payment_ids": [payment.id for payment in order.payments],
        "invoice_ids": [invoice.id for invoice in order.invoices],
        "ready_in": ready_in,
        "invoiced": sorted(order.invoiced),
        "open_count": order.open_count,
        "open_attempts": order.open_attempts,
    }


def _load_order(store: Store, saved: dict[str, Any]) -> Order:
    ready_in = saved["ready_in"]
    return Order(
        id=saved["id"],
        number=saved["number"],
        channel_id=saved["channel_id"],
        currency=saved["currency"],
        customer=saved["customer"],
        status=OrderStatus(saved["status"]),
        lines=[Line(**line) for line in saved["lines"]],
        method=None if saved["method"] is None else AttachedMethod(**saved["method"]),
        payments=[store.payments[payment_id] for payment_id in saved["payment_ids"]],
        invoices=[store.invoices[invoice_id] for invoice_id in saved["invoice_ids"]],
        ready_at=None if ready_in is None else store.clock() + ready_in,
        invoiced=set(saved["invoiced"]),
        open_count=saved["open_count"],
        open_attempts=saved["open_attempts"],
    )
