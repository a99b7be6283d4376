"""Afosto's side changes under the real till (in its pty): the back office adds an item
while the card pays, the order is deleted, a code is filed under another SKU. The till
shows what Afosto holds, always leaves the cashier a key that works, and never sends
one call after another without end."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.support.chaoskit import (
    LABEL,
    A,
    B,
    C,
    Chaos,
    assert_money_invariants,
    journal,
    lines,
    newest,
    pay_cash,
    scan,
    units,
)
from tests.support.waiting import eventually
from tui_pos.money import format_money
from tui_pos.sim.catalog import CATALOG

pytestmark = pytest.mark.chaos

PAID = ("Paid: order", "Invoice F")


def back_office(world: Chaos, method: str, route: str, body: Any = None) -> None:
    """What someone in Afosto's back office does to an order (the simulator's admin)."""
    with httpx.Client(base_url=world.server.base_url, timeout=5) as client:
        response = client.request(method, route, json=body)
    assert response.status_code < 300, response.text


def card_running(world: Chaos) -> bool:
    return any(p["in_transaction"] for p in newest(world)["payments"])


def assert_finished(order: dict[str, Any], wanted: dict[str, int]) -> None:
    assert lines(order) == wanted
    assert order["status"] == "OPEN" and order["open_count"] == 1
    assert order["paid"] == order["total"] > 0
    invoiced = sorted(unit for invoice in order["invoices"] for unit in invoice["ids"])
    assert invoiced == sorted(units(order))


def test_an_item_added_in_the_back_office_while_the_card_pays(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    world.server.settings(terminal_delay=2)
    till.press("f9")
    till.wait_for("Ask the customer")
    eventually(lambda: card_running(world), "the terminal busy")
    order_id = newest(world)["id"]
    added = {"items": [{"sku": B, "quantity": 1}]}
    back_office(world, "POST", f"/_sim/orders/{order_id}/items", added)
    due = format_money(CATALOG[B].price)
    till.wait_for(f"The order changed in Afosto: {due} more is due.", seconds=20)
    till.wait_for(f"{LABEL[B]} (added in Afosto)", "Still to pay")
    assert newest(world)["open_attempts"] == 1  # refused once, never again blindly
    pay_cash(till)  # the pay keys work
    till.wait_for(*PAID)
    orders = world.server.orders()
    assert_money_invariants(orders)
    assert_finished(newest(world), {A: 1, B: 1})


def test_an_order_gone_with_nothing_paid_goes_on_a_new_order(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A, A)
    first = newest(world)["id"]
    back_office(world, "DELETE", f"/_sim/orders/{first}")
    till.type(B)
    till.wait_for("This sale's order is gone from Afosto. The items were put on a new order.")
    eventually(lambda: lines(newest(world)) == {A: 2, B: 1}, "the cart on a new order")
    assert newest(world)["id"] != first
    pay_cash(till)
    till.wait_for(*PAID)
    assert_finished(newest(world), {A: 2, B: 1})

    till = world.restart(till)  # the sale does not come back
    till.wait_for("New sale")


def test_an_order_gone_after_the_card_paid_is_set_aside(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    world.server.settings(terminal_delay=2)
    till.press("f9")
    till.wait_for("Ask the customer")
    eventually(lambda: card_running(world), "the terminal busy")
    gone = newest(world)
    back_office(world, "DELETE", f"/_sim/orders/{gone['id']}")
    till.wait_for("but money was taken on it", seconds=20)
    till = world.restart(till)  # kept: the same sale comes back, with its key
    till.wait_for("but money was taken on it", "Ctrl+X sets the sale aside")
    till.press("\x18")  # Ctrl+X
    till.wait_for("New sale")
    status = journal(world.state_dir, "SELECT status, order_id FROM sale ORDER BY id")
    assert status[0] == ("set_aside", gone["id"]), status
    scan(world, till, C)
    pay_cash(till)
    till.wait_for(*PAID)
    assert_finished(newest(world), {C: 1})
    till = world.restart(till)
    till.wait_for("New sale")
    assert journal(world.state_dir, "SELECT status FROM sale WHERE id = 1") == [("set_aside",)]


def test_a_code_filed_under_another_sku_is_sent_once(world: Chaos) -> None:
    world.server.settings(sku_aliases={"bag-paper": "BAG-PAPER"})
    till = world.start_till()
    till.type("bag-paper")
    till.wait_for(CATALOG["BAG-PAPER"].label)
    deadline = time.monotonic() + 3  # a bounded window: nothing more is sent in it
    while time.monotonic() < deadline:
        till.pump(0.1)
    state = world.server.state()["requests"]
    assert state.get("addItemsToOrder") == 1, state
    assert not state.get("removeItemsFromOrder"), state
    assert lines(newest(world)) == {"BAG-PAPER": 1}
    pay_cash(till)
    till.wait_for(*PAID)
    assert_finished(newest(world), {"BAG-PAPER": 1})
