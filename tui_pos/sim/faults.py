"""Faults the simulator can inject into chosen requests, for tests and cashier training.

A fault is armed for one operation: a GraphQL root field (``createOrder``, ``order``, ...),
a REST payment call (``createPayment``, ``getPayment``, ``startPayment``, ``payPayment``)
or ``*`` for any request. It hits the next ``times`` matching requests (``None``: until
cleared). The first armed fault that matches a request is the one applied.

[assumed] A ``status`` fault answers with the REST error body even on ``/graphql`` (as
a gateway would); a ``graphql_error`` fault on a REST call answers the REST error with
the code's HTTP status.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from tui_pos.sim.errors import ErrorCode
from tui_pos.sim.responses import SimResponse, graphql_failure, json_response, rest_error

GRAPHQL_OPERATIONS = frozenset(
    {
        "order",
        "createOrder",
        "addItemsToOrder",
        "removeItemsFromOrder",
        "addPaymentMethodToOrder",
        "openOrder",
        "invoiceItems",
        "searchCustomers",
        "addCustomerToOrder",
        "removeCustomerFromOrder",
    }
)
REST_OPERATIONS = frozenset({"createPayment", "getPayment", "startPayment", "payPayment"})
PAGE_OPERATIONS = frozenset({"viewPage", "payPage", "cancelPage"})
"""The payment page's calls (:mod:`tui_pos.sim.pages`), by the customer's phone."""
ANY_OPERATION = "*"

FaultKind = Literal[
    "status",  # answer with an HTTP status (and Retry-After) without processing
    "graphql_error",  # answer HTTP 200 with the GraphQL error for `code`, without processing
    "delay",  # wait `seconds`, then process normally
    "drop_before",  # drop the connection without processing
    "drop_after",  # process fully, then drop the connection instead of answering
    "not_json",  # answer 200 with an HTML page, without processing
    "wrong_shape",  # answer 200 with JSON of the wrong shape, without processing
    "bad_gzip",  # process fully, then answer with Content-Encoding: gzip over a plain body
    "drip",  # process fully, then send the answer's body one byte every `seconds`
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
SPOILING_KINDS = frozenset({"bad_gzip", "drip"})
"""Kinds that let the request be processed and spoil its answer on the way out."""

_PARAMETERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind -> (required, optional) parameters; other kinds take none
    "status": (("status",), ("retry_after",)),
    "graphql_error": (("code",), ()),
    "delay": (("seconds",), ()),
    "drip": (("seconds",), ()),
}
_ALL_PARAMETERS = ("status", "retry_after", "code", "seconds")

_NOT_JSON_BODY = b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>\n"


@dataclass(frozen=True)
class DrippedResponse(SimResponse):
    """An answer whose body the server sends one byte every ``every`` seconds (its status
    line and headers at once)."""

    every: float = 1.0


@dataclass(frozen=True)
class Fault:
    """What to do to a request instead of (or around) answering it normally."""

    kind: FaultKind
    status: int | None = None
    retry_after: int | None = None
    code: ErrorCode | None = None
    seconds: float | None = None
    times: int | None = 1

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.code is not None:
            object.__setattr__(self, "code", ErrorCode(self.code))
        required, optional = _PARAMETERS.get(self.kind, ((), ()))
        given = {name for name in _ALL_PARAMETERS if getattr(self, name) is not None}
        for name in required:
            if name not in given:
                raise ValueError(f"a {self.kind} fault needs {name}")
        for name in given - {*required, *optional}:
            raise ValueError(f"{name} does not apply to a {self.kind} fault")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        if self.seconds is not None and self.seconds <= 0:
            raise ValueError("seconds must be positive")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1, or None for until cleared")

    def response(self, path: list[str | int] | None, graphql: bool) -> SimResponse:
        """The canned answer of a fault that replaces processing."""
        if self.kind == "status":
            assert self.status is not None
            headers = [] if self.retry_after is None else [("retry-after", str(self.retry_after))]
            return rest_error(self.status, headers=headers)
        if self.kind == "graphql_error":
            assert self.code is not None
            message = f"simulated {self.code.value.lower().replace('_', ' ')}"
            if graphql:
                return graphql_failure(self.code, message, path)
            return rest_error(self.code.status, message)
        if self.kind == "not_json":
            return SimResponse(200, [("content-type", "text/html")], _NOT_JSON_BODY)
        if self.kind == "wrong_shape":
            return json_response(200, {"data": {"unexpected": True}})
        raise ValueError(f"a {self.kind} fault does not replace the answer")

    def spoil(self, response: SimResponse) -> SimResponse:
        """The processed ``response`` as a spoiling fault sends it instead."""
        if self.kind == "bad_gzip":
            headers = [(k, v) for k, v in response.headers if k.lower() != "content-encoding"]
            headers.append(("content-encoding", "gzip"))
            return SimResponse(response.status, headers, response.body)
        if self.kind == "drip":
            assert self.seconds is not None
            return DrippedResponse(response.status, response.headers, response.body, self.seconds)
        raise ValueError(f"a {self.kind} fault does not spoil the answer")


@dataclass
class _Armed:
    operation: str
    fault: Fault
    remaining: int | None


class FaultPlan:
    """The armed faults, in the order they were injected."""

    def __init__(self) -> None:
        self._armed: list[_Armed] = []

    def add(self, operation: str, fault: Fault) -> None:
        known = GRAPHQL_OPERATIONS | REST_OPERATIONS | PAGE_OPERATIONS | {ANY_OPERATION}
        if operation not in known:
            raise ValueError(f"unknown operation {operation!r}; one of {', '.join(sorted(known))}")
        self._armed.append(_Armed(operation, fault, fault.times))

    def take(self, operations: Collection[str]) -> Fault | None:
        """The fault for a request to these operations, if any, using up one of its hits."""
        for armed in self._armed:
            if armed.operation == ANY_OPERATION or armed.operation in operations:
                if armed.remaining is not None:
                    armed.remaining -= 1
                    if armed.remaining == 0:
                        self._armed.remove(armed)
                return armed.fault
        return None

    def clear(self) -> None:
        self._armed.clear()

    def describe(self) -> list[dict[str, Any]]:
        return [
            {"operation": armed.operation, "remaining": armed.remaining, **asdict(armed.fault)}
            for armed in self._armed
        ]
