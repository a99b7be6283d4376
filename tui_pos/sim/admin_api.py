"""Admin endpoints under ``/_sim/`` for tests that drive the simulator over HTTP.

- ``GET /_sim/state``: every order with its lines, unit ids, payments, invoices and
  open counts, the terminals, request counts per operation and the armed faults.
- ``GET /_sim/faults``, ``POST /_sim/faults`` (a ``Fault`` plus ``operation``),
  ``DELETE /_sim/faults``.
- ``GET /_sim/settings``, ``POST /_sim/settings``: latency, terminal and invoice delays,
  scripted terminal outcomes, terminal online flags, accepted and forbidden tokens,
  ``sku_aliases`` (codes that ``addItemsToOrder`` files under another SKU), and payment
  pages: ``page_lifetime`` (seconds), ``page_outcomes`` (the next pages' ``{status,
  after}``: PAID, CANCELLED or EXPIRED after that many seconds) and ``page_default``
  (the same for every page after those, or null).
- The back office: ``POST /_sim/orders/{id}/items`` (``{"items": [{"sku", "quantity"}]}``)
  adds items to an order behind the till's back; ``DELETE /_sim/orders/{id}`` deletes it
  (as an expired or deleted order: NOT_FOUND from then on).

No token is needed; the simulator serves these only when built with ``admin=True``.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from tui_pos.sim.errors import DomainError
from tui_pos.sim.faults import Fault
from tui_pos.sim.responses import SimResponse, json_response, rest_error
from tui_pos.sim.state import PageOutcome, PaymentStatus

if TYPE_CHECKING:
    from tui_pos.sim.app import Simulator


_FAULT = TypeAdapter(Fault)
_FAULT_FIELDS = frozenset(field.name for field in fields(Fault))


def _fault_request(body: bytes) -> tuple[str, Fault]:
    """The operation and the fault a POST body names; a ValueError says what is wrong.
    (pydantic takes no ``extra="forbid"`` for a stdlib dataclass: unknown fields are
    refused here.)"""
    payload = json.loads(body)
    if not isinstance(payload, dict) or not isinstance(payload.get("operation"), str):
        raise ValueError("a fault is a JSON object with an operation")
    operation = payload.pop("operation")
    if unknown := payload.keys() - _FAULT_FIELDS:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    return operation, _FAULT.validate_python(payload)


class _PageOutcomeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal[PaymentStatus.PAID, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED]
    after: float = Field(ge=0)

    def outcome(self) -> PageOutcome:
        return PageOutcome(self.status, self.after)


def _page_json(outcome: PageOutcome | None) -> dict[str, Any] | None:
    return None if outcome is None else {"status": outcome.status.value, "after": outcome.after}


class _SettingsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latency: float | None = Field(default=None, ge=0)
    terminal_delay: float | None = Field(default=None, ge=0)
    invoice_delay: float | None = Field(default=None, ge=0)
    terminal_outcomes: list[PaymentStatus] | None = None
    terminals_online: dict[str, bool] | None = None
    tokens: list[str] | None = None
    forbidden_tokens: list[str] | None = None
    sku_aliases: dict[str, str] | None = None
    page_lifetime: float | None = Field(default=None, gt=0)
    page_outcomes: list[_PageOutcomeRequest] | None = None
    page_default: _PageOutcomeRequest | None = None
    """Left out: unchanged; ``null``: no default any more."""


class _ItemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str
    quantity: int


class _ItemsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[_ItemRequest]


def _settings(sim: Simulator) -> dict[str, Any]:
    return {
        "latency": sim.latency,
        "terminal_delay": sim.terminal_delay,
        "invoice_delay": sim.invoice_delay,
        "terminal_outcomes": list(sim.terminal_outcomes),
        "terminals_online": {
            terminal.id: terminal.is_online for terminal in sim.store.terminals.values()
        },
        "tokens": sorted(sim.tokens),
        "forbidden_tokens": sorted(sim.forbidden_tokens),
        "sku_aliases": dict(sim.store.sku_aliases),
        "page_lifetime": sim.store.page_lifetime,
        "page_outcomes": [_page_json(outcome) for outcome in sim.store.page_outcomes],
        "page_default": _page_json(sim.store.page_default),
    }


def _update_settings(sim: Simulator, update: _SettingsRequest) -> None:
    unknown = set(update.terminals_online or {}) - set(sim.store.terminals)
    if unknown:
        raise ValueError(f"unknown terminals: {', '.join(sorted(unknown))}")
    if update.latency is not None:
        sim.latency = update.latency
    if update.terminal_delay is not None:
        sim.terminal_delay = update.terminal_delay
    if update.invoice_delay is not None:
        sim.invoice_delay = update.invoice_delay
    if update.terminal_outcomes is not None:
        sim.terminal_outcomes[:] = [outcome.value for outcome in update.terminal_outcomes]
    for terminal_id, online in (update.terminals_online or {}).items():
        sim.set_terminal_online(terminal_id, online)
    if update.tokens is not None:
        sim.tokens = set(update.tokens)
    if update.forbidden_tokens is not None:
        sim.forbidden_tokens = set(update.forbidden_tokens)
    if update.sku_aliases is not None:
        sim.store.sku_aliases = dict(update.sku_aliases)
    if update.page_lifetime is not None:
        sim.store.page_lifetime = update.page_lifetime
    if update.page_outcomes is not None:
        sim.store.page_outcomes[:] = [outcome.outcome() for outcome in update.page_outcomes]
    if "page_default" in update.model_fields_set:
        default = update.page_default
        sim.store.page_default = None if default is None else default.outcome()


def _back_office(sim: Simulator, method: str, route: str, body: bytes) -> SimResponse:
    """``/_sim/orders/{id}/items`` (POST) and ``/_sim/orders/{id}`` (DELETE)."""
    parts = route.split("/")[3:]  # "", "_sim", "orders", then the rest
    try:
        if len(parts) == 2 and parts[1] == "items" and method == "POST":
            request = _ItemsRequest.model_validate_json(body)
            items = [(item.sku, item.quantity) for item in request.items]
            order = sim.store.add_items(parts[0], items)
            return json_response(201, {"data": {"id": order.id, "total": order.total}})
        if len(parts) == 1 and method == "DELETE":
            sim.store.delete_order(parts[0])
            return json_response(200, {"data": None})
    except DomainError as error:
        return rest_error(error.code.status, error.message)
    except ValueError as error:
        return rest_error(422, str(error))
    return rest_error(405, f"{method} is not allowed here")


async def handle(sim: Simulator, method: str, route: str, body: bytes) -> SimResponse:
    """Serves one ``/_sim/...`` request."""
    if route.startswith("/_sim/orders/"):
        return _back_office(sim, method, route, body)
    allowed = {
        "/_sim/state": ("GET",),
        "/_sim/faults": ("GET", "POST", "DELETE"),
        "/_sim/settings": ("GET", "POST"),
    }.get(route)
    if allowed is None:
        return rest_error(404, f"no route for {route}")
    if method not in allowed:
        return rest_error(405, f"{method} is not allowed here", [("allow", ", ".join(allowed))])
    try:
        if route == "/_sim/state":
            state = {
                **sim.store.snapshot(),
                "requests": dict(sim.requests),
                "faults": sim.faults.describe(),
            }
            return json_response(200, {"data": state})
        if route == "/_sim/settings":
            if method == "POST":
                _update_settings(sim, _SettingsRequest.model_validate_json(body))
            return json_response(200, {"data": _settings(sim)})
        if method == "POST":
            sim.inject(*_fault_request(body))
        elif method == "DELETE":
            sim.clear_faults()
        return json_response(201 if method == "POST" else 200, {"data": sim.faults.describe()})
    except ValueError as error:  # pydantic's ValidationError and bad JSON included
        return rest_error(422, str(error))
