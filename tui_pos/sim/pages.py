"""The payment pages of FOLLOW payments (iDEAL, Payconiq), as a customer's phone sees
them: ``GET /pay/{id}`` shows the amount, shop and method with two forms, ``POST
/pay/{id}/pay`` and ``POST /pay/{id}/cancel`` pay or cancel it. Outside ``/api`` and
without the token, as an external page is [assumed]."""

from __future__ import annotations

import html
from dataclasses import dataclass

from tui_pos.sim.errors import DomainError, ErrorCode
from tui_pos.sim.responses import SimResponse
from tui_pos.sim.state import Payment, PaymentStatus, Store
from tui_pos.sim.tenant import PAYMENT_METHODS

PREFIX = "/pay"
SHOP = "Demo shop"

_OPERATIONS = {
    ("GET", ""): "viewPage",
    ("POST", "pay"): "payPage",
    ("POST", "cancel"): "cancelPage",
}
_OUTCOMES = {"payPage": PaymentStatus.PAID, "cancelPage": PaymentStatus.CANCELLED}


def page_url(page_base: str, payment_id: str) -> str:
    return f"{page_base}{PREFIX}/{payment_id}"


@dataclass(frozen=True)
class PageRoute:
    operation: str | None
    """``None``: no such page or method (answered 404 or 405)."""
    payment_id: str
    status: int = 200


def is_page(path: str) -> bool:
    return path.startswith(PREFIX + "/")


def route(method: str, path: str) -> PageRoute:
    """The page call a request asks for."""
    payment_id, _, action = path[len(PREFIX) + 1 :].partition("/")
    if not payment_id or "/" in action or action not in ("", "pay", "cancel"):
        return PageRoute(None, payment_id, 404)
    operation = _OPERATIONS.get((method, action))
    return PageRoute(operation, payment_id, 200 if operation else 405)


def _euros(cents: int) -> str:
    return f"EUR {cents // 100},{cents % 100:02d}"


def _page(status: int, title: str, body: str) -> SimResponse:
    text = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width'>"
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
    return SimResponse(status, [("content-type", "text/html; charset=utf-8")], text.encode())


def _show(payment: Payment) -> SimResponse:
    name = html.escape(PAYMENT_METHODS[payment.method.method_id].name)
    amount = _euros(payment.amount)
    head = f"<h1>{html.escape(SHOP)}</h1><p>{name}: <b>{amount}</b></p>"
    if payment.status is not PaymentStatus.PENDING:
        return _page(200, f"{SHOP} {amount}", f"{head}<p>{payment.status.value}</p>")
    forms = "".join(
        f"<form method='post' action='{PREFIX}/{payment.id}/{action}'>"
        f"<button>{label}</button></form>"
        for action, label in (("pay", f"Pay {amount}"), ("cancel", "Cancel"))
    )
    return _page(200, f"{SHOP} {amount}", f"{head}<p>PENDING</p>{forms}")


def dispatch(store: Store, page: PageRoute) -> SimResponse:
    """Serves one page call (after :func:`route`)."""
    if page.operation is None:
        return _page(page.status, "Not here", "<p>There is no such page.</p>")
    try:
        if page.operation == "viewPage":
            payment = store.payment(page.payment_id)
            if payment.method.action_type != "FOLLOW":
                raise DomainError(ErrorCode.NOT_FOUND, "no payment page")
            return _show(payment)
        return _show(store.settle_page(page.payment_id, _OUTCOMES[page.operation]))
    except DomainError as error:
        return _page(error.code.status, "Refused", f"<p>{html.escape(error.message)}</p>")
