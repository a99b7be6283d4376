"""A payment page at the process level: the real till in a pty is killed while the page
panel waits, the customer pays on the page (a POST to the simulator's page), and the
restarted till finds the payment paid and finishes the sale once: one payment, one
invoice. And killed, restarted before the customer pays: the panel is back, watching."""

from __future__ import annotations

import httpx
import pytest

from tests.support.chaoskit import A, Chaos, assert_sale_completed, journal, newest, scan
from tests.support.waiting import eventually

pytestmark = pytest.mark.chaos

PAID = ("Paid: order", "Invoice F")


def open_page(world: Chaos) -> tuple[object, str]:
    """A till with milk's neighbour on the page panel of iDEAL; the page's address."""
    till = world.start_till()
    scan(world, till, A)
    till.press("f8")
    till.wait_for("Pay a part", "F5: iDEAL")
    till.press("f5")
    till.wait_for("Payment page", "Let the customer open the page")
    eventually(
        lambda: journal(world.state_dir, "SELECT id FROM step WHERE kind = 'watch_page'"),
        "the watching journaled",
    )
    (payment,) = newest(world)["payments"]
    assert payment["action_type"] == "FOLLOW" and payment["status"] == "PENDING"
    return till, f"{world.server.base_url}/pay/{payment['id']}"


def customer_pays(url: str) -> None:
    with httpx.Client(timeout=5) as phone:
        assert phone.post(f"{url}/pay").status_code == 200


def test_killed_while_the_page_waits_then_paid_finishes_the_sale_once(world: Chaos) -> None:
    till, url = open_page(world)
    till.kill()  # the power goes while the customer looks at the QR code
    assert journal(world.state_dir, "SELECT state FROM step WHERE kind = 'watch_page'") == [
        ("sent",)
    ]
    customer_pays(url)
    world.start_till(*PAID)
    order = assert_sale_completed(world.server.orders(), {A: 1})
    assert len(order["payments"]) == 1 and len(order["invoices"]) == 1
    assert world.server.requests("createPayment") == 1


def test_killed_then_restarted_before_the_customer_pays_watches_the_page_again(
    world: Chaos,
) -> None:
    till, url = open_page(world)
    till = world.restart(till, "Payment page", "Time left: not known")
    till.press("f10")  # no cash while the page is watched
    till.wait_for("A payment is still running")
    till.press("escape")  # stop watching, back to the sale: still no cash
    till.wait_for("Not watched: the customer may still pay")
    till.press("escape")
    till.wait_for("Scan or type")
    till.wait_for("F9: show the page and check it")
    till.press("f10")  # no cash: the page shows again and is watched
    till.wait_for("Let the customer open the page")
    assert world.server.requests("createPayment") == 1
    customer_pays(url)  # the till sees it paid: the sale ends, no cash taken
    till.wait_for(*PAID)
    order = assert_sale_completed(world.server.orders(), {A: 1})
    assert len(order["payments"]) == 1 and len(order["invoices"]) == 1
