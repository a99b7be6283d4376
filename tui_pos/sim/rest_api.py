"""The REST payment calls under ``/api/commerce/payments/management`` [assumed paths].

Bodies travel as ``{"data": {...}}``; refusals are ``{"error": {"code", "message",
"details"}}`` with the matching HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tui_pos.sim.errors import DomainError
from tui_pos.sim.pages import page_url
from tui_pos.sim.responses import Headers, SimResponse, json_response, rest_error
from tui_pos.sim.state import Payment, Store

PREFIX = "/api/commerce/payments/management"

_ROUTES: dict[str, dict[str, str]] = {
    # path shape -> HTTP method -> operation name
    "": {"POST": "createPayment"},
    "{id}": {"GET": "getPayment"},
    "{id}/start": {"GET": "startPayment"},
    "{id}/pay": {"PUT": "payPayment"},
}


class RestError(Exception):
    """A request refused before it reaches the domain (bad route, method or body)."""

    def __init__(self, status: int, message: str, headers: Headers = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers

    def response(self) -> SimResponse:
        return rest_error(self.status, self.message, self.headers)


@dataclass(frozen=True)
class RestRoute:
    operation: str
    payment_id: str | None


def route(method: str, path: str) -> RestRoute:
    """The operation a REST request asks for; raises RestError 404 or 405."""
    if path != PREFIX and not path.startswith(PREFIX + "/"):
        raise RestError(404, f"no route for {path}")
    parts = path[len(PREFIX) + 1 :].split("/") if path != PREFIX else []
    payment_id = parts[0] if parts else None
    shape = "/".join(["{id}", *parts[1:]]) if parts else ""
    methods = _ROUTES.get(shape) if payment_id != "" else None
    if methods is None:
        raise RestError(404, f"no route for {path}")
    if method not in methods:
        raise RestError(405, f"{method} is not allowed here", [("allow", ", ".join(methods))])
    return RestRoute(methods[method], payment_id)


def payment_json(payment: Payment, base_url: str, page_base: str) -> dict[str, Any]:
    """The contract's REST payment; ``drawer_id`` is an [assumed] addition, and so is
    ``expires_at`` (FOLLOW payments only). A FOLLOW payment's page is under ``page_base``."""
    action_type = payment.method.action_type
    own_url = f"{base_url}{PREFIX}/{payment.id}"
    url = {
        "START": f"{own_url}/start",
        "PAY": f"{own_url}/pay",
        "FOLLOW": page_url(page_base, payment.id),
    }[action_type]
    extra = {} if payment.expires_at is None else {"expires_at": payment.expires_at}
    return {
        "id": payment.id,
        "order_id": payment.order_id,
        "amount": payment.amount,
        "currency": payment.currency,
        "status": payment.status.value,
        "is_paid": payment.is_paid,
        "method": {"id": payment.method.method_id, "code": payment.method.code},
        "terminal_id": payment.method.terminal_id,
        "drawer_id": payment.method.drawer_id,
        "action": {"type": action_type, "url": url},
        "created_at": payment.created_at,
        **extra,
    }


def _data(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except ValueError:
        raise RestError(400, "body is not valid JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise RestError(422, 'body must be {"data": {...}}')
    data: dict[str, Any] = payload["data"]
    return data


def _cents(data: dict[str, Any], name: str) -> int:
    value = data.get(name)
    if type(value) is not int:  # 10.0, "10", true are all refused
        raise RestError(422, f"{name} must be an integer number of cents")
    return value


def _string(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise RestError(422, f"{name} is required")
    return value


async def dispatch(
    store: Store,
    rest_route: RestRoute,
    body: bytes,
    base_url: str,
    page_base: str,
    run_terminal: Callable[[str], Awaitable[Payment]],
) -> SimResponse:
    """Carries out one REST call; ``run_terminal`` holds a terminal transaction to its end."""
    try:
        payment_id = rest_route.payment_id or ""
        if rest_route.operation == "createPayment":
            data = _data(body)
            payment = store.create_payment(_string(data, "order_id"), _cents(data, "amount"))
            return json_response(201, {"data": payment_json(payment, base_url, page_base)})
        if rest_route.operation == "getPayment":
            payment = store.payment(payment_id)
        elif rest_route.operation == "startPayment":
            payment = await run_terminal(payment_id)
        else:
            payment = store.pay_manually(payment_id, _cents(_data(body), "amount"))
        return json_response(200, {"data": payment_json(payment, base_url, page_base)})
    except RestError as error:
        return error.response()
    except DomainError as error:
        return rest_error(error.code.status, error.message)
