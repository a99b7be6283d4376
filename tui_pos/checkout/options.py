"""Payment methods, terminals and drawers, and which of them the till uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui_pos.afosto.assumed import (
    PAGE_METHOD_CODES,
    Drawer,
    PaymentMethod,
    PaymentOptions,
    Terminal,
)
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.view import PageMethod


class NoRoute(NotAllowed):
    """The till cannot take this payment now; ``str()`` says why in cashier words."""


@dataclass(frozen=True)
class Route:
    """Where a payment goes: the method and its terminal or drawer."""

    method: PaymentMethod
    terminal: Terminal | None = None
    drawer: Drawer | None = None

    @property
    def label(self) -> str:
        target = self.terminal or self.drawer
        return target.label if target else self.method.name


def method(options: PaymentOptions, code: str) -> PaymentMethod:
    for candidate in options.methods:
        if candidate.code == code:
            return candidate
    raise NoRoute(f"Afosto offers no {code} payment method for this shop.")


def pin_terminals(options: PaymentOptions) -> list[Terminal]:
    """The PIN method's terminals; none when Afosto offers no PIN method."""
    return [t for m in options.methods if m.code == "PIN" for t in m.terminals]


def default_terminal(terminals: Sequence[Terminal], preferred: str | None) -> Terminal | None:
    """Where a card payment goes unless the cashier picks one: the preferred terminal if
    it is online, else the only one online; ``None`` when none or several are."""
    online = [t for t in terminals if t.is_online]
    chosen = next((t for t in online if t.id == preferred), None)
    return chosen or (online[0] if len(online) == 1 else None)


def pin_route(
    options: PaymentOptions, preferred: str | None = None, chosen: str | None = None
) -> Route:
    """The terminal: the cashier's choice, else :func:`default_terminal`. More than one
    online and none preferred: the cashier must pick."""
    pin = method(options, "PIN")
    if chosen is not None:
        picked = next((t for t in pin.terminals if t.id == chosen), None)
        if picked is None:
            raise NoRoute(f"There is no terminal {chosen}.")
        if not picked.is_online:
            raise NoRoute(f"Terminal {picked.label} is offline. Pick another or take cash.")
        return Route(pin, terminal=picked)
    terminal = default_terminal(pin.terminals, preferred)
    if terminal is not None:
        return Route(pin, terminal=terminal)
    if not any(t.is_online for t in pin.terminals):
        raise NoRoute("No PIN terminal is online. Check its power and network, or take cash.")
    raise NoRoute("More than one terminal is online: pick one.")


def cash_route(options: PaymentOptions, preferred: str | None = None) -> Route:
    cash = method(options, "CASH")
    if not cash.drawers:
        raise NoRoute("Afosto has no cash drawer for this shop.")
    drawer = next((d for d in cash.drawers if d.id == preferred), cash.drawers[0])
    return Route(cash, drawer=drawer)


def page_methods(options: PaymentOptions) -> tuple[PageMethod, ...]:
    """The methods paid on a payment page that Afosto offers, in its order."""
    return tuple(PageMethod(m.code, m.name) for m in options.methods if m.code in PAGE_METHOD_CODES)


def page_route(options: PaymentOptions, code: str) -> Route:
    """A payment page method by its code, attached without an issuer (the customer picks
    the bank on the page)."""
    if code not in PAGE_METHOD_CODES:
        raise NoRoute(f"{code} is not paid on a payment page.")
    return Route(method(options, code))
