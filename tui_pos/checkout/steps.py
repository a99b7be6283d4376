"""The journal's protocol: each step's kind, state, intent and result, and the sale's
note, as typed records checked when read (:func:`decode`).

An intent is journaled before its call goes out; its result after the answer (or after
reading back what happened). The intent's class names its kind and the class of its
result. Payment and order statuses are Afosto's values as text: this module loads
nothing of the API client.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from tui_pos.checkout.view import Customer


class StepKind(StrEnum):
    CREATE_ORDER = "create_order"
    ADD_ITEMS = "add_items"
    REMOVE_ITEMS = "remove_items"
    ATTACH_METHOD = "attach_method"
    CREATE_PAYMENT = "create_payment"
    START_TERMINAL = "start_terminal"
    WATCH_PAGE = "watch_page"
    PAY_CASH = "pay_cash"
    OPEN_ORDER = "open_order"
    INVOICE = "invoice"
    ATTACH_CUSTOMER = "attach_customer"
    REMOVE_CUSTOMER = "remove_customer"


class StepState(StrEnum):
    SENT = "sent"
    """Its call went out and its outcome is not known: read it back before anything."""
    DONE = "done"
    FAILED = "failed"


# --- results ---


@dataclass(frozen=True)
class OrderMade:
    order_id: str | None = None
    lost: bool = False
    """The answer was lost and carried the only copy of the order's id."""


@dataclass(frozen=True)
class Units:
    """Units on the order after an add or remove (``read_back``: as read back)."""

    units: int | None = None
    read_back: bool = False


@dataclass(frozen=True)
class MethodAttached:
    read_back: bool = False


@dataclass(frozen=True)
class PaymentMade:
    payment_id: str | None = None
    """``None``: reading back found no new payment (it was not made)."""
    read_back: bool = False


@dataclass(frozen=True)
class PaymentOutcome:
    """A payment as the terminal answered or as Afosto showed it when read back."""

    payment_id: str
    status: str
    paid: bool
    read_back: bool = False


@dataclass(frozen=True)
class Opened:
    status: str


@dataclass(frozen=True)
class Invoiced:
    invoice_id: str | None = None
    """``None``: reading back found no new invoice (it was not made)."""
    number: str | None = None
    pdf_url: str | None = None


@dataclass(frozen=True)
class CustomerSet:
    """The customer on the order after an attach or remove (``None``: none)."""

    customer_id: str | None = None
    read_back: bool = False


Result = (
    OrderMade
    | Units
    | MethodAttached
    | PaymentMade
    | PaymentOutcome
    | Opened
    | Invoiced
    | CustomerSet
)


# --- intents ---


@dataclass(frozen=True)
class CreateOrder:
    KIND: ClassVar[StepKind] = StepKind.CREATE_ORDER
    RESULT: ClassVar[type[OrderMade]] = OrderMade
    channel_id: str
    customer: Customer | None = None
    """The customer the order is made with (chosen before the first item)."""


@dataclass(frozen=True)
class AddItems:
    KIND: ClassVar[StepKind] = StepKind.ADD_ITEMS
    RESULT: ClassVar[type[Units]] = Units
    order_id: str
    items: dict[str, int]
    before: dict[str, int] | None = None
    """Units per order line before the call: which lines grew tells where a code went."""


@dataclass(frozen=True)
class RemoveItems:
    KIND: ClassVar[StepKind] = StepKind.REMOVE_ITEMS
    RESULT: ClassVar[type[Units]] = Units
    order_id: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class AttachMethod:
    KIND: ClassVar[StepKind] = StepKind.ATTACH_METHOD
    RESULT: ClassVar[type[MethodAttached]] = MethodAttached
    method_id: str
    target_id: str | None
    """The terminal or drawer."""


@dataclass(frozen=True)
class CreatePayment:
    KIND: ClassVar[StepKind] = StepKind.CREATE_PAYMENT
    RESULT: ClassVar[type[PaymentMade]] = PaymentMade
    amount: int
    known: tuple[str, ...]
    """The order's payments before: a new one found reading back is this one."""


@dataclass(frozen=True)
class StartTerminal:
    KIND: ClassVar[StepKind] = StepKind.START_TERMINAL
    RESULT: ClassVar[type[PaymentOutcome]] = PaymentOutcome
    payment_id: str


@dataclass(frozen=True)
class WatchPage:
    """The page of ``payment_id`` is shown and watched: journaled before it shows, ended
    with the payment as last read (PENDING when the cashier stopped watching)."""

    KIND: ClassVar[StepKind] = StepKind.WATCH_PAGE
    RESULT: ClassVar[type[PaymentOutcome]] = PaymentOutcome
    payment_id: str


@dataclass(frozen=True)
class PayCash:
    KIND: ClassVar[StepKind] = StepKind.PAY_CASH
    RESULT: ClassVar[type[PaymentOutcome]] = PaymentOutcome
    payment_id: str
    amount: int | None = None
    """``None`` in journals of versions that kept only the payment."""
    tendered: int | None = None
    """Handed over, journaled before the call so that the change shows after a crash."""


@dataclass(frozen=True)
class OpenOrder:
    KIND: ClassVar[StepKind] = StepKind.OPEN_ORDER
    RESULT: ClassVar[type[Opened]] = Opened
    order_id: str


@dataclass(frozen=True)
class Invoice:
    KIND: ClassVar[StepKind] = StepKind.INVOICE
    RESULT: ClassVar[type[Invoiced]] = Invoiced
    ids: tuple[str, ...]
    invoice_id: str | None
    """The invoice to add them to (the units held back go into the sale's invoice)."""
    known: tuple[str, ...]


@dataclass(frozen=True)
class AttachCustomer:
    KIND: ClassVar[StepKind] = StepKind.ATTACH_CUSTOMER
    RESULT: ClassVar[type[CustomerSet]] = CustomerSet
    order_id: str
    customer: Customer


@dataclass(frozen=True)
class RemoveCustomer:
    KIND: ClassVar[StepKind] = StepKind.REMOVE_CUSTOMER
    RESULT: ClassVar[type[CustomerSet]] = CustomerSet
    order_id: str


Intent = (
    CreateOrder
    | AddItems
    | RemoveItems
    | AttachMethod
    | CreatePayment
    | StartTerminal
    | WatchPage
    | PayCash
    | OpenOrder
    | Invoice
    | AttachCustomer
    | RemoveCustomer
)
INTENTS: dict[StepKind, type[Intent]] = {
    cls.KIND: cls
    for cls in (
        CreateOrder,
        AddItems,
        RemoveItems,
        AttachMethod,
        CreatePayment,
        StartTerminal,
        WatchPage,
        PayCash,
        OpenOrder,
        Invoice,
        AttachCustomer,
        RemoveCustomer,
    )
}

I = TypeVar("I", bound=Intent)  # noqa: E741


@dataclass(frozen=True)
class Step(Generic[I]):
    """One network call as journaled."""

    id: int
    intent: I
    result: Result | None
    state: StepState
    sent_at: float

    @property
    def kind(self) -> StepKind:
        return self.intent.KIND


# --- the sale's note ---


@dataclass(frozen=True)
class ConfirmedFailed:
    """The cashier confirmed the terminal showed this card payment failed."""

    payment_id: str
    at: float
    """Wall-clock time, for support."""
    after_step: int = 0
    """The last terminal start then: a later start makes the payment unsure again (0 in
    journals of versions that did not keep it)."""


@dataclass(frozen=True)
class SaleNote:
    """What a sale keeps beside its steps."""

    change: int | None = None
    held: tuple[str, ...] = ()
    """Cart codes left out of the invoice made at the end."""
    invoice_id: str | None = None
    invoice_number: str | None = None
    invoice_url: str | None = None
    sku_map: dict[str, str] = field(default_factory=dict)
    """The SKU Afosto filed each scanned code under, when not the code itself."""
    confirmed_failed: tuple[ConfirmedFailed, ...] = ()
    lost_orders: tuple[str, ...] = ()
    """Orders of this sale that are gone from Afosto (nothing was paid on them)."""
    order_gone: str | None = None
    gone_with_money: int = 0
    """Cents (perhaps) taken on the order that is gone; 1 when only perhaps."""


# --- reading and writing records ---

R = TypeVar("R")


class Unreadable(ValueError):
    """A journaled record does not have the shape its type says."""


def encode(record: Any) -> str:
    return json.dumps(_plain(record))


def _plain(value: Any) -> Any:
    """A record as JSON takes it: its fields by name, nested records too (no deep copy
    of every value, as ``dataclasses.asdict`` makes: an add's line counts are many)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def decode(cls: type[R], text: str, where: str) -> R:
    """``text`` (JSON) as a ``cls`` record; :class:`Unreadable` when it is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Unreadable(f"{where}: not JSON") from exc
    return _record(cls, data, where)


def _record(cls: type[R], data: object, where: str) -> R:
    if not isinstance(data, dict):
        raise Unreadable(f"{where}: not a record")
    hints = _hints(typing.cast(type, cls))
    unknown = sorted(set(data) - set(hints))
    if unknown:
        raise Unreadable(f"{where}: unknown field {unknown[0]!r}")
    values = {}
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        if item.name in data:
            values[item.name] = _value(hints[item.name], data[item.name], f"{where}.{item.name}")
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            raise Unreadable(f"{where}: {item.name} is missing")
    return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return {
        name: hint
        for name, hint in typing.get_type_hints(cls).items()
        if typing.get_origin(hint) is not ClassVar and hint is not ClassVar
    }


def _value(hint: Any, value: object, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is types.UnionType:  # X | None
        if value is None:
            return None
        (hint,) = [arg for arg in args if arg is not type(None)]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and isinstance(value, list):
        return tuple(_value(args[0], item, f"{where}[]") for item in value)
    if origin is dict and isinstance(value, dict):
        return {
            _value(args[0], key, where): _value(args[1], item, f"{where}[{key!r}]")
            for key, item in value.items()
        }
    if dataclasses.is_dataclass(hint):
        return _record(typing.cast(type, hint), value, where)
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            raise Unreadable(f"{where}: {value!r} is no {hint.__name__}") from None
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint in (str, bool) and type(value) is hint:
        return value
    if hint is int and type(value) is int:
        return value
    raise Unreadable(f"{where}: {value!r} is no {getattr(hint, '__name__', hint)}")
