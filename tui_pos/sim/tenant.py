"""The demo tenant's setup: its sales channel and payment methods [assumed ids and labels]."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEMO_CHANNEL_ID = "pos-demo"
CHANNELS = frozenset({DEMO_CHANNEL_ID})


@dataclass(frozen=True)
class Choice:
    """A terminal, drawer or issuer a payment method can be routed to."""

    id: str
    label: str


@dataclass(frozen=True)
class MethodSpec:
    """A payment method; only PIN has terminals, only CASH drawers, only IDEAL issuers
    (optional at a counter: the customer picks the bank on the payment page)."""

    id: str
    code: str
    name: str
    terminals: tuple[Choice, ...] = ()
    drawers: tuple[Choice, ...] = ()
    issuers: tuple[Choice, ...] = ()


FRONT_TERMINAL = Choice("term_front", "Kassa 1 - Worldline")
BACK_TERMINAL = Choice("term_back", "Kassa 2 - CCV")
OFFLINE_AT_START = frozenset({BACK_TERMINAL.id})

PAYMENT_METHODS: Mapping[str, MethodSpec] = {
    spec.id: spec
    for spec in (
        MethodSpec("pm_pin", "PIN", "Pinnen", terminals=(FRONT_TERMINAL, BACK_TERMINAL)),
        MethodSpec("pm_cash", "CASH", "Contant", drawers=(Choice("drawer_main", "Kassalade"),)),
        MethodSpec(
            "pm_ideal",
            "IDEAL",
            "iDEAL",
            issuers=(
                Choice("ABNANL2A", "ABN AMRO"),
                Choice("INGBNL2A", "ING"),
                Choice("RABONL2U", "Rabobank"),
                Choice("ASNBNL21", "ASN Bank"),
            ),
        ),
        MethodSpec("pm_payconiq", "PAYCONIQ", "Payconiq"),
    )
}
