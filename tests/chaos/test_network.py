"""The network and the back office misbehave, one way at a time, for as long as it takes
the cashier to notice: the real till says so on its screen in words a cashier
understands, keeps the sale, does not hammer Afosto meanwhile, and once Afosto behaves
again the sale ends with the money right."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.chaoskit import (
    LABEL,
    A,
    B,
    Chaos,
    RecordingSimulator,
    TillProcess,
    assert_sale_completed,
    cart,
    lines,
    newest,
    pay_cash,
    scan,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.chaos

PAID = ("Paid: order", "Invoice F")
UNREACHABLE = "Afosto cannot be reached"
SERVER_ERROR = "Afosto has a problem on its side (error {})"
DROPPED = "The connection to Afosto dropped"
UNREADABLE = "Afosto gave an answer the till"


def scan_b(world: Chaos, till: TillProcess) -> None:
    till.type(B)


def pay_by_card(world: Chaos, till: TillProcess) -> None:
    till.press("f9")


def pay_in_cash(world: Chaos, till: TillProcess) -> None:
    pay_cash(till)


def items_confirmed(world: Chaos, till: TillProcess) -> None:
    """Nothing to do: the till sends the waiting scan by itself; then it is paid."""
    eventually(lambda: lines(newest(world)) == {A: 1, B: 1}, "the scan confirmed", seconds=20)
    till.wait_for(LABEL[B])
    pay_cash(till)


def press_again(key: str) -> Callable[[Chaos, TillProcess], None]:
    def again(world: Chaos, till: TillProcess) -> None:
        till.press(*key.split())

    return again


def next_sale_then_outbox(world: Chaos, till: TillProcess) -> None:
    """The customer has paid: the cashier goes on, and the till invoices by itself."""
    till.press("enter")
    till.wait_for("New sale")
    eventually(lambda: bool(newest(world)["invoices"]), "the outbox invoiced", seconds=20)


@dataclass(frozen=True)
class Case:
    operation: str
    fault: dict[str, Any]
    action: Callable[[Chaos, TillProcess], None]
    says: tuple[str, ...]
    then: Callable[[Chaos, TillProcess], None]
    env: dict[str, str] = field(default_factory=dict)
    limit: int = 6
    """At most this many requests to ``operation`` while the fault lasts (3 s)."""
    ends: tuple[str, ...] = PAID


CASES = {
    "refused connection": Case("*", {}, scan_b, (UNREACHABLE, "NO CONNECTION"), items_confirmed),
    "timeout": Case(
        "addItemsToOrder",
        {"kind": "delay", "seconds": 5},
        scan_b,
        (DROPPED,),
        items_confirmed,
        env={"TUI_POS_REQUEST_TIMEOUT": "1"},
    ),
    "500": Case(
        "addItemsToOrder",
        {"kind": "status", "status": 500},
        scan_b,
        (SERVER_ERROR.format(500),),
        items_confirmed,
    ),
    "503 on the payment": Case(
        "createPayment",
        {"kind": "status", "status": 503},
        pay_by_card,
        (SERVER_ERROR.format(503), "Scan or type"),
        press_again("f9"),
    ),
    "503 on open": Case(
        "openOrder",
        {"kind": "status", "status": 503},
        pay_in_cash,
        (SERVER_ERROR.format(503), "Invoice pending", "Paid: order"),
        next_sale_then_outbox,
        ends=("New sale",),
    ),
    "429 with Retry-After": Case(
        "addItemsToOrder",
        {"kind": "status", "status": 429, "retry_after": 5},
        scan_b,
        ("Afosto is busy", "in 5 s"),
        items_confirmed,
        limit=1,  # and not again before the 5 s are up
    ),
    "dropped after processing": Case(
        "startPayment",
        {"kind": "drop_after"},
        pay_by_card,
        (DROPPED, "Checking the payment"),
        lambda world, till: None,
    ),
    "not JSON": Case(
        "addItemsToOrder", {"kind": "not_json"}, scan_b, (UNREADABLE,), items_confirmed
    ),
    "JSON of the wrong shape": Case(
        "createPayment",
        {"kind": "wrong_shape"},
        pay_in_cash,
        ("did not confirm", "Cash payment"),
        press_again("enter"),
        limit=5,  # read back after each: never created, so tried again, five times at most
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_network_fault_is_said_and_the_sale_survives_it(world: Chaos, name: str) -> None:
    case = CASES[name]
    till = world.start_till(**case.env)
    scan(world, till, A)
    assert isinstance(world.sim, RecordingSimulator)
    earlier = len(world.sim.arrivals(case.operation))
    if name == "refused connection":
        world.server.stop()  # the API's port refuses connections
    elif name == "dropped after processing":
        world.server.inject("startPayment", "drop_after")
        world.server.inject("getPayment", "delay", seconds=3)  # the check takes a while
    else:
        world.server.inject(case.operation, times=None, **case.fault)
    case.action(world, till)
    till.wait_for(*case.says)
    if world.server.up:
        # The fault lasts 3 s from its first request: the till waits between its tries.
        # They are counted by the simulator's own clock, so a slow test changes nothing.
        faulted = world.sim.arrivals(case.operation)[earlier:]
        assert faulted, f"no request to {case.operation} met the fault"
        till.pump(max(0.0, faulted[0] + 3 - time.monotonic()))
        window = [at for at in world.sim.arrivals(case.operation) if at <= faulted[0] + 3]
        tries = len(window) - earlier
        assert tries <= case.limit, f"{tries} requests to {case.operation} in 3 s"
        world.server.clear_faults()
    else:
        till.pump(3)
        world.server.start()
    assert cart(world.state_dir).get(A) == 1, "the sale was kept"
    case.then(world, till)
    till.wait_for(*case.ends, seconds=30)
    wanted = {A: 1, B: 1} if case.action is scan_b else {A: 1}
    assert_sale_completed(world.server.orders(), wanted)
