"""The power goes around a receipt: the real till, SIGKILLed in its pty while its
receipt prints on a real network printer (our own on 127.0.0.1), or after the sale was
paid and before it printed, is started again on the same journal. The receipt is offered
(F6), never printed again by itself, and a reprint of one that may have printed says
COPY."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.chaoskit import A, B, Chaos, TillProcess, journal, pay_cash, scan
from tests.support.netprinter import NetPrinter
from tui_pos.printer.render import render

pytestmark = pytest.mark.chaos

PAID = ("Paid: order", "Invoice F")
OFFERED = "may not have printed: F6 prints it"


@pytest.fixture
def printer() -> Iterator[NetPrinter]:
    with NetPrinter() as printer:
        yield printer


def printer_env(printer: NetPrinter, **more: str) -> dict[str, str]:
    return {
        "TUI_POS_PRINTER__KIND": "network",
        "TUI_POS_PRINTER__HOST": "127.0.0.1",
        "TUI_POS_PRINTER__PORT": str(printer.port),
        "TUI_POS_PRINTER__TIMEOUT": "1",
        **more,
    }


def receipts(printer: NetPrinter) -> list[list[str]]:
    """Each receipt the printer was sent whole (one per connection that ends in a cut)."""
    printed = [render(data) for data in printer.connections if data]
    return [paper.plain(42) for paper in printed if paper.cuts]


def printout_states(world: Chaos) -> list[str]:
    return [row[0] for row in journal(world.state_dir, "SELECT state FROM printout ORDER BY id")]


def paid_in_cash(world: Chaos, till: TillProcess) -> None:
    scan(world, till, A, B)
    pay_cash(till)
    till.wait_for(*PAID)


def test_killed_while_the_receipt_prints_it_is_offered_and_reprinted_as_a_copy(
    world: Chaos, printer: NetPrinter
) -> None:
    # A printer that never answers a status query: the till waits for its answer before
    # sending (up to a second), and is killed then, the printout journaled as "sent".
    printer.mode = "silent"
    till = world.start_till(**printer_env(printer, TUI_POS_PRINTER__DRAWER="false"))
    paid_in_cash(world, till)
    printer.wait_for(lambda p: bool(p.queries))
    till.kill()
    assert printout_states(world) == ["sent"]
    sent = len(printer.connections)

    printer.mode = "ok"
    again = world.start_till(**printer_env(printer, TUI_POS_PRINTER__DRAWER="false"))
    again.wait_for(OFFERED, "marked COPY")
    world.quiet()
    assert len(printer.connections) == sent  # offered, not printed by itself
    again.press("f6")
    printer.wait_for(lambda p: len(receipts(p)) == 1)
    again.wait_for("Receipt (COPY) printed.")
    copy = receipts(printer)[-1]
    assert [line.strip() for line in copy].count("*** COPY ***") == 2
    assert printout_states(world) == ["sent", "done"]

    third = world.restart(again, **printer_env(printer, TUI_POS_PRINTER__DRAWER="false"))
    world.quiet()
    third.pump(0.5)
    assert not third.screen.shows("may not have printed")
    assert len(receipts(printer)) == 1


def test_stopped_after_paying_before_printing_the_receipt_is_offered_once(
    world: Chaos, printer: NetPrinter
) -> None:
    # The first till prints no receipt by itself (receipt = never): as a till killed
    # between the payment and the printout, it leaves a paid sale and no printout.
    env = printer_env(printer, TUI_POS_PRINTER__RECEIPT="never")
    till = world.start_till(**env)
    paid_in_cash(world, till)
    printer.wait_for(lambda p: any(render(data).drawer_kicks for data in p.connections))
    till.kill()
    assert receipts(printer) == []

    again = world.start_till(**printer_env(printer))
    again.wait_for(OFFERED)
    assert not again.screen.shows("marked COPY")  # nothing of it reached the printer
    world.quiet()
    assert receipts(printer) == []
    again.press("f6")
    printer.wait_for(lambda p: len(receipts(p)) == 1)
    assert "*** COPY ***" not in [line.strip() for line in receipts(printer)[0]]
