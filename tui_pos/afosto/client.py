"""The Afosto API client: GraphQL and the REST payment calls over one ``httpx.AsyncClient``.

It knows HTTP, GraphQL and the models; it knows nothing of sales or screens. Every
failure becomes one of the errors in :mod:`tui_pos.afosto.errors`: each exception class
httpx has is classified in :data:`HTTPX_ERRORS`, anything else from below is an unknown
outcome, and every request (its answer's body included) has one deadline.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from email.utils import parsedate_to_datetime
from time import monotonic, time
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from tui_pos.afosto import documents
from tui_pos.afosto.assumed import (
    ADD_CUSTOMER_MUTATION,
    PAYMENTS_PATH,
    REMOVE_CUSTOMER_MUTATION,
    REMOVE_ITEMS_MUTATION,
    SEARCH_CUSTOMERS_QUERY,
    TERMINAL_BUSY_STATUS,
    CustomerMatch,
)
from tui_pos.afosto.errors import (
    AfostoError,
    Conflict,
    Forbidden,
    InvalidResponse,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    Unauthorized,
    Unavailable,
    ValidationFailed,
)
from tui_pos.afosto.models import CreateOrderInput, CustomerInput, Invoice, Order, Payment

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

GRAPHQL_CODES = {
    "UNAUTHORIZED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "VALIDATION_ERROR": 422,
    "RATE_LIMITED": 429,
    "INTERNAL_SERVER_ERROR": 500,
}
"""The contract's ``extensions.code`` values and their HTTP numbers."""

RATE_LIMIT_BACKOFF = (1.0, 2.0, 4.0)
"""Seconds to wait before each retry of a rate-limited request, as the contract says."""

HTTPX_ERRORS: dict[type[Exception], type[AfostoError]] = {
    # Nothing reached the server, or it refused the request before it could run it.
    httpx.ConnectError: Unavailable,
    httpx.ConnectTimeout: Unavailable,
    httpx.PoolTimeout: Unavailable,  # waited for a free connection: nothing was sent
    httpx.ProxyError: Unavailable,  # the proxy refused to connect us
    httpx.UnsupportedProtocol: Unavailable,
    httpx.LocalProtocolError: Unavailable,  # h11 refused to send what we asked
    httpx.InvalidURL: Unavailable,
    httpx.CookieConflict: Unavailable,
    httpx.StreamConsumed: Unavailable,  # a request body that cannot be sent (again)
    httpx.RequestNotRead: Unavailable,
    # The request may have reached the server and run: read the state back.
    httpx.HTTPError: OutcomeUnknown,
    httpx.RequestError: OutcomeUnknown,
    httpx.TransportError: OutcomeUnknown,
    httpx.TimeoutException: OutcomeUnknown,
    httpx.ReadTimeout: OutcomeUnknown,
    httpx.WriteTimeout: OutcomeUnknown,  # part of it went: the server may have it all
    httpx.NetworkError: OutcomeUnknown,
    httpx.ReadError: OutcomeUnknown,
    httpx.WriteError: OutcomeUnknown,
    httpx.CloseError: OutcomeUnknown,
    httpx.ProtocolError: OutcomeUnknown,
    httpx.RemoteProtocolError: OutcomeUnknown,  # e.g. the server hung up on us
    httpx.StreamError: OutcomeUnknown,
    httpx.StreamClosed: OutcomeUnknown,
    httpx.ResponseNotRead: OutcomeUnknown,
    # An answer came back that cannot be read (it may have run).
    httpx.DecodingError: InvalidResponse,  # e.g. Content-Encoding: gzip over a plain body
    httpx.TooManyRedirects: InvalidResponse,
    httpx.HTTPStatusError: InvalidResponse,  # only raise_for_status raises it; we don't
}
"""Every exception class httpx has, and the error it becomes. A test enumerates httpx's
classes, so that a new one fails it until it is classified here; at run time a class
missing here is classified by its nearest listed base, else as an unknown outcome."""

_DESCRIBED: dict[type[AfostoError], str] = {
    Unavailable: "cannot reach the API",
    OutcomeUnknown: "no answer from the API",
    InvalidResponse: "the answer cannot be read",
}


def error_for_exception(exc: Exception, name: str) -> AfostoError:
    """The typed error for an exception raised by httpx (or below it) during ``name``."""
    listed = (HTTPX_ERRORS[base] for base in type(exc).__mro__ if base in HTTPX_ERRORS)
    cls = next(listed, OutcomeUnknown)  # unknown to us: it may have been sent
    return cls(f"{name}: {_DESCRIBED.get(cls, 'no answer from the API')} ({_describe(exc)})")


def error_for_status(status: int, message: str, retry_after: float | None = None) -> AfostoError:
    """The error class for an HTTP status (or a GraphQL error's ``status``)."""
    if status == 429:
        return RateLimited(message, retry_after=retry_after)
    if status == 504:  # the gateway gave up waiting; the backend may still finish
        return OutcomeUnknown(message, status=status)
    classes: dict[int, type[AfostoError]] = {
        400: ValidationFailed,
        401: Unauthorized,
        403: Forbidden,
        404: NotFound,
        TERMINAL_BUSY_STATUS: Conflict,
        422: ValidationFailed,
    }
    cls = classes.get(status, Unavailable if status >= 500 else AfostoError)
    return cls(message, status=status)


MAX_RETRY_AFTER = 60.0
"""The longest Retry-After the till keeps: a longer one (a day, or a date while the
till's clock is far behind, a board without a clock after boot) would stop the till for
as long; it tries again after this instead."""


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta seconds or an HTTP date), at most
    :data:`MAX_RETRY_AFTER`."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time()
        except (TypeError, ValueError, OverflowError):
            return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class AfostoClient:
    """A long-lived client for one Afosto tenant.

    ``timeout`` bounds every normal request as a whole (connecting, sending and reading
    the whole answer: a server that drips its answer is cut off there) and each read in
    it; ``terminal_timeout`` does so for the terminal long-poll, which is held open until
    the customer has paid. A rate-limited request gets a new deadline for each attempt.
    """

    def __init__(
        self,
        base_url: str,
        token: SecretStr,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        terminal_timeout: float = 180.0,
        rate_limit_backoff: Sequence[float] = RATE_LIMIT_BACKOFF,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        observe: Callable[[str, float, str | None], None] | None = None,
    ) -> None:
        """``observe`` hears of each request sent: its operation's name, the seconds it
        took (its answer read), and the name of its error's class (``None``: none)."""
        self._observe = observe
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._terminal_timeout = httpx.Timeout(timeout, read=terminal_timeout)
        self._deadline = timeout
        self._terminal_deadline = terminal_timeout
        self._traced = transport is None
        """Whether httpcore's trace tells when the request went out (our own transport)."""
        self._backoff = tuple(rate_limit_backoff)
        self._sleep = sleep
        self.reachable: bool | None = None
        """Whether the last request got an HTTP answer; ``None`` before the first."""
        self.latency: float | None = None
        """Seconds the last answered request took (the terminal long-poll included)."""
        self._not_before = 0.0
        """No request before this instant of the monotonic clock (the last Retry-After)."""
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=self._timeout,
            headers={"Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"AfostoClient({self.base_url!r})"

    async def __aenter__(self) -> AfostoClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def token(self) -> SecretStr:
        return self._token

    def set_token(self, token: SecretStr) -> None:
        """Use a new token from the next request on (after the old one expired)."""
        self._token = token

    # --- orders (GraphQL) ---

    async def create_order(
        self, channel_id: str, currency: str = "EUR", customer: CustomerInput | None = None
    ) -> Order:
        """A new CONCEPT order, with ``customer`` on it from the start when given."""
        data = CreateOrderInput(channel_id=channel_id, currency=currency, customer=customer)
        return await self._order_mutation("createOrder", documents.CREATE_ORDER, data.wire())

    async def add_items(self, order_id: str, items: Mapping[str, int]) -> Order:
        """Add ``quantity`` units of each SKU. Not idempotent: never resend blindly."""
        lines = [{"sku": sku, "quantity": quantity} for sku, quantity in items.items()]
        data = {"order_id": order_id, "items": lines}
        return await self._order_mutation("addItemsToOrder", documents.ADD_ITEMS, data)

    async def remove_items(self, order_id: str, unit_ids: Sequence[str]) -> Order:
        data = {"order_id": order_id, "ids": list(unit_ids)}
        return await self._order_mutation(REMOVE_ITEMS_MUTATION, documents.REMOVE_ITEMS, data)

    async def get_order(self, order_id: str, *, with_options: bool = False) -> Order:
        """The order; ``with_options`` adds its payment methods, terminals and drawers."""
        variables = {"id": order_id, "withOptions": with_options}
        data = await self._graphql("GetOrder", documents.GET_ORDER, variables)
        if data.get("order") is None:
            raise NotFound(f"order {order_id} does not exist", status=404)
        order = _parse(Order, data["order"], "GetOrder")
        if with_options and order.options is None:
            raise InvalidResponse("GetOrder: unexpected answer at order.options: missing")
        return order

    async def add_payment_method(
        self,
        order_id: str,
        method_id: str,
        *,
        terminal_id: str | None = None,
        drawer_id: str | None = None,
        issuer_id: str | None = None,
    ) -> Order:
        data = {
            "order_id": order_id,
            "method_id": method_id,
            "terminal_id": terminal_id,
            "drawer_id": drawer_id,
            "issuer_id": issuer_id,
        }
        data = {key: value for key, value in data.items() if value is not None}
        mutation = documents.ADD_PAYMENT_METHOD
        return await self._order_mutation("addPaymentMethodToOrder", mutation, data)

    async def search_customers(self, query: str, limit: int = 10) -> list[CustomerMatch]:
        """Contacts and organisations by number (exact), or name, email or phone (a part),
        best first; at most ``limit`` (1 to 50). Fewer than two characters are refused."""
        variables = {"query": query, "limit": limit}
        data = await self._graphql("SearchCustomers", documents.SEARCH_CUSTOMERS, variables)
        matches = data.get(SEARCH_CUSTOMERS_QUERY)
        if not isinstance(matches, list):
            raise InvalidResponse(f"SearchCustomers: the answer has no {SEARCH_CUSTOMERS_QUERY}")
        return [_parse(CustomerMatch, match, "SearchCustomers") for match in matches]

    async def add_customer_to_order(self, order_id: str, customer: CustomerInput) -> Order:
        """Attach (or replace) the order's customer; attaching the same one changes nothing."""
        data = {"order_id": order_id, "customer": customer.wire()}
        return await self._order_mutation(ADD_CUSTOMER_MUTATION, documents.ADD_CUSTOMER, data)

    async def remove_customer_from_order(self, order_id: str) -> Order:
        data = {"order_id": order_id}
        mutation = documents.REMOVE_CUSTOMER
        return await self._order_mutation(REMOVE_CUSTOMER_MUTATION, mutation, data)

    async def open_order(self, order_id: str) -> Order:
        data = {"order_id": order_id}
        return await self._order_mutation("openOrder", documents.OPEN_ORDER, data)

    async def invoice_items(
        self, unit_ids: Sequence[str], invoice_id: str | None = None
    ) -> Invoice:
        """Invoice these unit ids, into ``invoice_id`` when given, else a new invoice."""
        data: dict[str, Any] = {"items": list(unit_ids)}
        if invoice_id is not None:
            data["invoice_id"] = invoice_id
        payload = await self._graphql("InvoiceItems", documents.INVOICE_ITEMS, {"input": data})
        invoice = _field(payload, "invoiceItems", "InvoiceItems").get("invoice")
        if invoice is None:
            raise InvalidResponse("InvoiceItems: the answer holds no invoice")
        return _parse(Invoice, invoice, "InvoiceItems")

    # --- payments (REST) ---

    async def create_payment(self, order_id: str, amount: int) -> Payment:
        """Create a payment for the method attached to the order (part or all of the due)."""
        body = {"order_id": order_id, "amount": _cents(amount)}
        return await self._payment("POST", PAYMENTS_PATH, "createPayment", body)

    async def get_payment(self, payment_id: str) -> Payment:
        return await self._payment("GET", f"{PAYMENTS_PATH}/{payment_id}", "getPayment")

    async def start_terminal(self, payment: Payment) -> Payment:
        """Start the payment on its terminal and wait (long-poll) until it settles.

        A dropped connection or a read timeout raises :class:`OutcomeUnknown`: the
        transaction may still complete on the terminal, so read the payment back.
        """
        if payment.action is None or payment.action.url is None:
            raise ValidationFailed(f"payment {payment.id} has no action to start")
        url = self._own_url(payment.action.url)
        return await self._payment("GET", url, "startTerminal", terminal=True)

    async def pay_cash(self, payment_id: str, amount: int) -> Payment:
        """Mark a cash (``PAY``) payment as paid for its amount."""
        path = f"{PAYMENTS_PATH}/{payment_id}/pay"
        return await self._payment("PUT", path, "payCash", {"amount": _cents(amount)})

    # --- transport ---

    def _own_url(self, url: str) -> str:
        """Refuse to send the token anywhere but the API's own origin."""
        own, other = urlsplit(self.base_url), urlsplit(url)
        if (other.scheme, other.netloc) != (own.scheme, own.netloc):
            raise InvalidResponse(f"the payment's action url is not on {own.netloc}")
        return url

    async def _order_mutation(self, field: str, document: str, data: dict[str, Any]) -> Order:
        name = _operation_name(document)
        payload = await self._graphql(name, document, {"input": data})
        order = _field(payload, field, name).get("order")
        return _parse(Order, order, name)

    async def _graphql(self, name: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = {"query": document, "variables": variables, "operationName": name}

        async def once() -> dict[str, Any]:
            payload = _json(await self._send("POST", "/graphql", name, body), name)
            errors = payload.get("errors")
            if errors:
                raise _graphql_error(errors, name)
            data = payload.get("data")
            if not isinstance(data, dict):
                raise InvalidResponse(f"{name}: the answer has no data")
            return data

        return await self._backing_off(name, once)

    async def _payment(
        self,
        method: str,
        url: str,
        name: str,
        data: dict[str, Any] | None = None,
        *,
        terminal: bool = False,
    ) -> Payment:
        body = None if data is None else {"data": data}

        async def once() -> Payment:
            response = await self._send(method, url, name, body, terminal=terminal)
            return _parse(Payment, _json(response, name).get("data"), name)

        return await self._backing_off(name, once)

    async def _backing_off(self, name: str, once: Callable[[], Awaitable[T]]) -> T:
        """Run ``once``, retrying what the server refused before running it (rate limits)
        after 1, 2 and 4 s, or its Retry-After when that is no longer. Nothing is sent
        before a Retry-After has passed, whichever request it came with."""
        limit = self._backoff[-1] if self._backoff else 0.0
        for wait in (*self._backoff, None):
            await self._respect_retry_after(limit)
            try:
                return await self._observed(name, once)
            except RateLimited as exc:
                if exc.retry_after:
                    self._not_before = max(self._not_before, monotonic() + exc.retry_after)
                if wait is None or (exc.retry_after or 0.0) > limit:
                    raise
                await self._sleep(max(wait, exc.retry_after or 0.0))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _observed(self, name: str, once: Callable[[], Awaitable[T]]) -> T:
        """One attempt, told to ``observe``: a GraphQL error comes in an answer, so the
        attempt is timed with its answer read, not only its HTTP exchange."""
        if self._observe is None:
            return await once()
        started = monotonic()
        try:
            result = await once()
        except AfostoError as exc:
            self._observe(name, monotonic() - started, type(exc).__name__)
            raise
        self._observe(name, monotonic() - started, None)
        return result

    async def _respect_retry_after(self, limit: float) -> None:
        """Wait out a short Retry-After; refuse, unsent, before a longer one is over."""
        left = self._not_before - monotonic()
        if left > limit:
            raise RateLimited("not sent: Afosto asked to wait", retry_after=left)
        if left > 0:
            await self._sleep(left)

    async def _send(
        self,
        method: str,
        url: str,
        name: str,
        body: dict[str, Any] | None,
        *,
        terminal: bool = False,
    ) -> httpx.Response:
        """One attempt, its whole answer read within its deadline (measured on the event
        loop's monotonic clock)."""
        headers = {"Authorization": f"Bearer {self._token.get_secret_value()}"}
        timeout = self._terminal_timeout if terminal else self._timeout
        seconds = self._terminal_deadline if terminal else self._deadline
        progress = _Progress(self._traced)
        started = monotonic()
        deadline = asyncio.timeout(seconds)
        try:
            async with deadline:
                response = await self._http.request(
                    method,
                    url,
                    json=body,
                    headers=headers,
                    timeout=timeout,
                    extensions={"trace": progress.trace},
                )
        except Exception as exc:
            self.reachable = False
            if isinstance(exc, TimeoutError) and deadline.expired():
                if not progress.sent:  # still connecting (or waiting for a connection)
                    raise Unavailable(f"{name}: cannot reach the API within {seconds:g} s") from exc
                raise OutcomeUnknown(f"{name}: no complete answer within {seconds:g} s") from exc
            error = error_for_exception(exc, name)
            self.reachable = isinstance(error, InvalidResponse)  # that one did answer
            raise error from exc
        self.reachable, self.latency = True, monotonic() - started
        if response.status_code >= 400:
            raise _http_error(response, name)
        return response


class _Progress:
    """How far a request got, from httpcore's trace: whether its head was being sent.
    Without a trace (another transport) it counts as sent: the safe side."""

    def __init__(self, traced: bool) -> None:
        self.sent = not traced

    async def trace(self, event: str, info: Mapping[str, Any]) -> None:
        if event.endswith("send_request_headers.started"):
            self.sent = True


def _describe(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _operation_name(document: str) -> str:
    return document.split("(", 1)[0].split()[-1]


def _cents(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"money must be int cents, not {type(amount).__name__}")
    return amount


def _json(response: httpx.Response, name: str) -> dict[str, Any]:
    try:
        payload = response.json()
    except (ValueError, RecursionError) as exc:  # not JSON, not text, or nested too deep
        raise InvalidResponse(f"{name}: the answer is not JSON") from exc
    if not isinstance(payload, dict):
        raise InvalidResponse(f"{name}: the answer is not a JSON object")
    return payload


def _field(data: dict[str, Any], field: str, name: str) -> dict[str, Any]:
    value = data.get(field)
    if not isinstance(value, dict):
        raise InvalidResponse(f"{name}: the answer has no {field}")
    return value


def _parse(model: type[M], value: object, name: str) -> M:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        raise InvalidResponse(f"{name}: unexpected answer at {where}: {first['msg']}") from exc


def _graphql_error(errors: object, name: str) -> AfostoError:
    first = errors[0] if isinstance(errors, list) and errors else {}
    if not isinstance(first, dict):
        return InvalidResponse(f"{name}: malformed GraphQL error")
    message = str(first.get("message") or "GraphQL error")
    extensions = first.get("extensions") or {}
    code = extensions.get("code") if isinstance(extensions, dict) else None
    status = extensions.get("status") if isinstance(extensions, dict) else None
    if not isinstance(status, int):
        status = GRAPHQL_CODES.get(str(code))
    if status is None:
        return AfostoError(f"{name}: {message}")
    return error_for_status(status, message)


def _http_error(response: httpx.Response, name: str) -> AfostoError:
    message = f"{name}: HTTP {response.status_code}"
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        errors = body.get("errors")
        if isinstance(error, dict) and error.get("message"):
            message = str(error["message"])
        elif isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = str(errors[0].get("message") or message)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return error_for_status(response.status_code, message, retry_after)
