"""The simulator itself, independent of transport: one request in, one response out.

``Simulator.handle`` routes ``/graphql`` and the REST payment calls, checks the bearer
token, applies latency and faults, and raises ``DropConnection`` when a fault says the
connection must go down without an answer. ``/_sim/...`` admin calls are served when
``admin`` is on.

[assumed] Bodies must be sent as ``Content-Type: application/json`` (else 415). URLs the
simulator hands out start with the scheme and ``Host`` the request came in on
(``X-Forwarded-Proto`` overrides the scheme). GraphQL auth errors carry the path of the
document's first root field.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from tui_pos.sim import admin_api, graphql_api, pages, rest_api
from tui_pos.sim.errors import DomainError, DropConnection, ErrorCode
from tui_pos.sim.faults import SPOILING_KINDS, Fault, FaultPlan
from tui_pos.sim.responses import SimResponse, graphql_failure, rest_error
from tui_pos.sim.state import Payment, PaymentStatus, Store

logger = logging.getLogger(__name__)

DEMO_TOKEN = "demo-token"


@dataclass(frozen=True)
class Arrival:
    """One API request as it reaches the simulator: its operations (GraphQL root fields
    or the REST call's name), what was sent, and when it came in (``time.monotonic()``,
    before the latency)."""

    operations: tuple[str, ...]
    method: str
    path: str
    body: bytes
    at: float


Hold = Callable[[], Awaitable[None]]
Observer = Callable[[Arrival], Hold | None]
"""Told of each arrival; a hold it returns is awaited once the request has been
processed, before it is answered (so a spy can hold an answer)."""


def _is_json(headers: Mapping[str, str]) -> bool:
    return headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


class Simulator:
    """The simulated Afosto API and its knobs.

    ``latency`` is added to every API request; ``terminal_delay`` is how long a PIN
    transaction takes; ``invoice_delay`` how long an opened order takes to become
    invoiceable; ``terminal_outcomes`` (``"PAID"``, ``"CANCELLED"``, ``"PENDING"``,
    ``"EXPIRED"``) scripts the next transactions, overriding the by-amount rule;
    ``tokens`` are accepted, ``forbidden_tokens`` answered with FORBIDDEN;
    ``observers`` are told of each API request that reaches an operation, before faults.
    ``page_base_url`` is where payment pages are served, when not on the server the API
    request came in on (the demo's API is in-process, its pages on a loopback socket);
    the store's ``page_lifetime``, ``page_outcomes`` and ``page_default`` script them.
    """

    def __init__(
        self,
        *,
        tokens: Iterable[str] = (DEMO_TOKEN,),
        admin: bool = True,
        latency: float = 0.0,
        terminal_delay: float = 2.0,
        invoice_delay: float = 1.0,
    ) -> None:
        self.store = Store()
        self.tokens = set(tokens)
        self.forbidden_tokens: set[str] = set()
        self.admin = admin
        self.latency = latency
        self.terminal_delay = terminal_delay
        self.invoice_delay = invoice_delay
        self.terminal_outcomes: list[str] = []
        self.faults = FaultPlan()
        self.requests: Counter[str] = Counter()
        """How many requests reached each operation (faulted ones included)."""
        self.observers: list[Observer] = []
        """Called with each request's :class:`Arrival` (the requests counted above)."""
        self._transactions: set[asyncio.Task[Payment]] = set()
        self.page_base_url: str | None = None

    def inject(self, operation: str, fault: Fault) -> None:
        """Arms ``fault`` for ``operation`` (a GraphQL root field, REST call name or ``*``)."""
        self.faults.add(operation, fault)

    def clear_faults(self) -> None:
        self.faults.clear()

    def set_terminal_online(self, terminal_id: str, online: bool) -> None:
        if terminal_id not in self.store.terminals:
            raise ValueError(f"unknown terminal {terminal_id!r}")
        self.store.terminals[terminal_id].is_online = online

    async def wait_idle(self) -> None:
        """Waits until every running terminal transaction has settled."""
        while self._transactions:
            await asyncio.wait(set(self._transactions))

    async def handle(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> SimResponse:
        """Answers one HTTP request; raises DropConnection to drop it unanswered."""
        headers = {name.lower(): value for name, value in headers.items()}
        route = path.split("?", 1)[0]
        scheme = headers.get("x-forwarded-proto", "http")
        base_url = f"{scheme}://{headers.get('host', 'localhost')}"
        arrival = Arrival((), method, path, body, time.monotonic())
        self.store.settle_pages()
        try:
            if pages.is_page(route):
                return await self._page(arrival, route)
            if self.admin and route.startswith("/_sim/"):
                return await admin_api.handle(self, method, route, body)
            if self.latency > 0:
                await asyncio.sleep(self.latency)
            if route == "/graphql":
                return await self._graphql(arrival, headers, base_url)
            return await self._rest(arrival, route, headers, base_url)
        except DropConnection:
            raise
        except Exception:
            logger.exception("simulator failed on %s %s", method, route)
            return rest_error(500)

    async def _graphql(
        self, arrival: Arrival, headers: Mapping[str, str], base_url: str
    ) -> SimResponse:
        method, body = arrival.method, arrival.body
        if method != "POST":
            return rest_error(405, "use POST for GraphQL", [("allow", "POST")])
        bad_request = ErrorCode.VALIDATION_ERROR
        if not _is_json(headers):
            return graphql_failure(bad_request, "Content-Type must be application/json", None, 415)
        try:
            request = graphql_api.parse_request(body)
        except graphql_api.BadGraphQLRequest as error:
            return graphql_failure(bad_request, str(error), None, 400)
        fields = request.root_fields
        path: list[str | int] | None = [fields[0]] if fields else None

        async def process() -> SimResponse:
            denied = self._auth_error(headers)
            if denied is not None:
                return graphql_failure(denied.code, denied.message, path)
            context = graphql_api.GraphQLContext(self.store, self.invoice_delay, base_url)
            return graphql_api.execute(request, context)

        return await self._through_faults(arrival, fields, process, path, graphql=True)

    async def _rest(
        self, arrival: Arrival, route: str, headers: Mapping[str, str], base_url: str
    ) -> SimResponse:
        method, body = arrival.method, arrival.body
        try:
            rest_route = rest_api.route(method, route)
        except rest_api.RestError as error:
            return error.response()
        if method in {"POST", "PUT"} and not _is_json(headers):
            return rest_error(415, "Content-Type must be application/json")

        async def process() -> SimResponse:
            denied = self._auth_error(headers)
            if denied is not None:
                return rest_error(denied.code.status, denied.message)
            return await rest_api.dispatch(
                self.store,
                rest_route,
                body,
                base_url,
                self.page_base_url or base_url,
                self._run_terminal_transaction,
            )

        operations = (rest_route.operation,)
        return await self._through_faults(arrival, operations, process, None, graphql=False)

    async def _page(self, arrival: Arrival, route: str) -> SimResponse:
        """A payment page call: no token, but faults apply as to the API."""
        page = pages.route(arrival.method, route)
        if page.operation is None:
            return pages.dispatch(self.store, page)

        async def process() -> SimResponse:
            return pages.dispatch(self.store, page)

        return await self._through_faults(arrival, (page.operation,), process, None, graphql=False)

    async def _through_faults(
        self,
        arrival: Arrival,
        operations: Collection[str],
        process: Callable[[], Awaitable[SimResponse]],
        path: list[str | int] | None,
        *,
        graphql: bool,
    ) -> SimResponse:
        self.requests.update(operations)
        process = self._observed(
            dataclasses.replace(arrival, operations=tuple(operations)), process
        )
        fault = self.faults.take(operations)
        if fault is None:
            return await process()
        if fault.kind == "delay":
            assert fault.seconds is not None
            await asyncio.sleep(fault.seconds)
            return await process()
        if fault.kind == "drop_before":
            raise DropConnection
        if fault.kind == "drop_after":
            await process()
            raise DropConnection
        if fault.kind in SPOILING_KINDS:
            return fault.spoil(await process())
        return fault.response(path, graphql)

    def _observed(
        self, arrival: Arrival, process: Callable[[], Awaitable[SimResponse]]
    ) -> Callable[[], Awaitable[SimResponse]]:
        """Tells the observers of ``arrival``; ``process``, then what they hold it for."""
        holds = [hold for see in list(self.observers) if (hold := see(arrival)) is not None]
        if not holds:
            return process

        async def process_then_hold() -> SimResponse:
            response = await process()
            for hold in holds:
                await hold()
            return response

        return process_then_hold

    def _auth_error(self, headers: Mapping[str, str]) -> DomainError | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return DomainError(ErrorCode.UNAUTHORIZED, "a bearer token is required")
        token = token.strip()
        if token in self.forbidden_tokens:
            return DomainError(ErrorCode.FORBIDDEN, "this token may not use the API")
        if token not in self.tokens:
            return DomainError(ErrorCode.UNAUTHORIZED, "the token is invalid or has expired")
        return None

    async def _run_terminal_transaction(self, payment_id: str) -> Payment:
        """Starts the transaction and waits for it; it settles even if the caller leaves."""
        outcome = self.store.begin_terminal_transaction(payment_id, self.terminal_outcomes)
        task = asyncio.create_task(self._settle_after_delay(payment_id, outcome))
        self._transactions.add(task)
        task.add_done_callback(self._transactions.discard)
        return await asyncio.shield(task)

    async def _settle_after_delay(self, payment_id: str, outcome: PaymentStatus) -> Payment:
        try:
            await asyncio.sleep(self.terminal_delay)
        except asyncio.CancelledError:  # the event loop is shutting down: free the terminal
            self.store.settle_terminal_transaction(payment_id, PaymentStatus.PENDING)
            raise
        return self.store.settle_terminal_transaction(payment_id, outcome)
