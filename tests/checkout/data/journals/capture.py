"""Capture till journals mid-sale, with the simulator's state, as migration test fixtures.

Run on commit 0299db7, the version before the journal got a schema version (its journals
are ``PRAGMA user_version`` 0): the point is to keep journals as *that* engine wrote
them. The script refuses to run when ``tui_pos/checkout`` or ``tui_pos/afosto`` differ
from 0299db7. To re-run it (to add a fixture, say) after the new engine is in, check out
the commit that added this script in a scratch worktree and run it there::

    git worktree add /tmp/capture <commit of this script>
    cd /tmp/capture && python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'
    .venv/bin/python tests/checkout/data/journals/capture.py
    cp tests/checkout/data/journals/*.sql tests/checkout/data/journals/*.json <here>

Each sale is run by the real engine against the simulator over a loopback socket. A
*step* fixture is taken right after the step's intent was journaled and its request
went through at the simulator, before the engine saw the answer (the power goes at that
moment: the worst case); a *state* fixture is taken with no step in flight. Each
fixture is ``<name>.sql`` (the journal as ``iterdump`` SQL) and ``<name>.sim.json`` (a
``tui_pos.sim.snapshot`` of the simulator); ``fixtures.json`` says what each captures
and how its sale must end after recovery (read by ``test_journal_migration.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import SecretStr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/checkout, for enginekit

from enginekit import FAST, SKUS, Crash, scan_all  # noqa: E402

from tui_pos.afosto import AfostoClient  # noqa: E402
from tui_pos.checkout import Journal, Sale, Till  # noqa: E402
from tui_pos.sim import DEMO_TOKEN, Fault, SimServer, Simulator  # noqa: E402
from tui_pos.sim.catalog import CATALOG  # noqa: E402
from tui_pos.sim.snapshot import save  # noqa: E402

ENGINE = "0299db7"
BAG = "BAG-PAPER"
CART = {SKUS[0]: 1, SKUS[1]: 2}
"""What the standard sale ends with: scan 0, 1, 1 and 2, then void 2."""


def total(cart: dict[str, int]) -> int:
    return sum(CATALOG[{"bag-paper": BAG}.get(sku, sku)].price * n for sku, n in cart.items())


class Run:
    """One sale's run: a simulator on a socket, a till on its own journal, and the
    fixture taken from both."""

    def __init__(self, name: str, directory: Path) -> None:
        self.name = name
        self.path = directory / "journal.sqlite3"
        self.sim = Simulator(terminal_delay=0.05, invoice_delay=0.05)
        self.sale_id: int | None = None
        """The sale the fixture is about: the till's current one when it is taken."""
        self.in_flight: list[str] = []
        """The kinds of the steps journaled as sent, their answer not recorded."""

    def take(self, till: Till) -> None:
        """Write the fixture: the journal as on disk now, and the simulator's state."""
        db = sqlite3.connect(self.path)
        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            assert version == 0, f"{self.name}: the journal is version {version}, not 0"
            sql = "\n".join(db.iterdump()) + "\n"
            sent = db.execute("SELECT kind FROM step WHERE state = 'sent'").fetchall()
        finally:
            db.close()
        self.in_flight = [kind for (kind,) in sent]
        (HERE / f"{self.name}.sql").write_text(sql)
        snapshot = json.dumps(save(self.sim.store), indent=1, sort_keys=True) + "\n"
        (HERE / f"{self.name}.sim.json").write_text(snapshot)
        assert till.sale is not None
        self.sale_id = till.sale.id

    def cut_at(self, till: Till, method: str) -> None:
        """The power goes once ``till.client.method`` has gone through: take the fixture."""
        real = getattr(till.client, method)

        async def cut(*args: Any, **kwargs: Any) -> Any:
            await real(*args, **kwargs)
            self.take(till)
            raise Crash(method)

        setattr(till.client, method, cut)


Script = Callable[[Run, Till, Sale], Awaitable[None]]


async def capture(name: str, script: Script, **settings: Any) -> dict[str, Any]:
    """Run ``script`` on a fresh till and simulator: the sale it captured and the steps
    in flight (a step fixture, ``step-<kind>``, has that one step in flight)."""
    with tempfile.TemporaryDirectory(prefix="tui-pos-capture-") as scratch:
        run = Run(name, Path(scratch))
        async with SimServer(run.sim) as server:
            client = AfostoClient(server.base_url, SecretStr(DEMO_TOKEN), timeout=5.0)
            till = Till(client, Journal(run.path), replace(FAST, **settings))
            try:
                await script(run, till, await till.start())
            except Crash:
                pass
            finally:
                await till.close()
                await client.aclose()
                await run.sim.wait_idle()
        assert run.sale_id is not None, f"{name}: the fixture was never taken"
        if name.startswith("step-"):
            wanted = [name.removeprefix("step-")]
            assert run.in_flight == wanted, f"{name}: in flight {run.in_flight}"
        return {"sale_id": run.sale_id, "in_flight": run.in_flight}


async def scanned(sale: Sale) -> None:
    """The standard cart: scan 0, 1, 1 and 2, then void 2 (each call settled)."""
    await scan_all(sale, SKUS[0], SKUS[1], SKUS[1], SKUS[2])
    sale.void(SKUS[2])
    await sale.settle_items()


def at_step(method: str, pay: str = "pin") -> Script:
    """The standard sale, paid by ``pay``, the power cut at ``till.client.method`` (the
    first add carries the whole cart: scan 0, 1 and 1 go in one call)."""

    async def script(run: Run, till: Till, sale: Sale) -> None:
        run.cut_at(till, method)
        if method in ("create_order", "add_items"):  # cut in this, the first call
            await scan_all(sale, SKUS[0], SKUS[1], SKUS[1])
        await scanned(sale)
        if pay == "pin":
            await sale.pay_pin()
        else:
            await sale.pay_cash(tendered=10_000)

    return script


async def scanning(run: Run, till: Till, sale: Sale) -> None:
    await scanned(sale)
    run.take(till)


async def leave_card_unconfirmed(run: Run, sale: Sale) -> None:
    """A card payment whose terminal answer is lost and that reads back PENDING."""
    run.sim.terminal_outcomes = ["PENDING"]
    run.sim.inject("startPayment", Fault("drop_after"))
    await sale.pay_pin()
    assert sale.view.card_unconfirmed, sale.view


async def card_unconfirmed(run: Run, till: Till, sale: Sale) -> None:
    await scanned(sale)
    await leave_card_unconfirmed(run, sale)
    run.take(till)


async def invoice_pending(run: Run, till: Till, sale: Sale) -> None:
    run.sim.invoice_delay = 1.0  # longer than the till's invoice_timeout
    await scanned(sale)
    await sale.pay_pin()
    assert sale.view.invoice_pending, sale.view
    run.take(till)


async def done_then_active(run: Run, till: Till, sale: Sale) -> None:
    await scanned(sale)
    await sale.pay_pin()
    assert sale.view.invoice_number, sale.view
    following = till.new_sale()
    await scan_all(following, SKUS[3], SKUS[3])
    run.take(till)


async def split_cash_then_card(run: Run, till: Till, sale: Sale) -> None:
    await scanned(sale)
    await sale.pay_cash(tendered=500, amount=300)
    assert sale.view.paid == 300 and sale.view.change == 200, sale.view
    run.take(till)


async def held_line_rich_note(run: Run, till: Till, sale: Sale) -> None:
    """A code filed under another SKU (sku_map), a line held from the invoice, a card
    payment the cashier confirmed failed, then cash with change; cut at openOrder."""
    run.sim.store.sku_aliases = {"bag-paper": BAG}
    await scan_all(sale, "bag-paper", SKUS[0], SKUS[1])
    sale.hold_invoice(SKUS[1])
    await leave_card_unconfirmed(run, sale)
    sale.confirm_terminal_failed()
    run.cut_at(till, "open_order")
    await sale.pay_cash(tendered=1_000)


def ends(
    cart: dict[str, int],
    *,
    payments: int = 1,
    invoice: str | None = "made",
    change: int | None = None,
    held: tuple[str, ...] = (),
    phase: str = "done",
    status: str = "done",
) -> dict[str, Any]:
    """How the sale must end after recovery (and the cashier's part, if any)."""
    return {
        "phase": phase,
        "status": status,
        "cart": cart,
        "total": total(cart),
        "paid": total(cart) if phase == "done" else 0,
        "payments": payments,
        "invoice": invoice,
        "change": change,
        "held": list(held),
    }


def fixture(
    what: str, resumes: str, cashier: str | None, end: dict[str, Any], **more: Any
) -> dict[str, Any]:
    """A fixture's entry: what it captures, the phase the sale resumes in, what the
    cashier then does (pay by ``pin`` or ``cash`` until done; ``check``: press pay by
    card once; ``None``: nothing, recovery finishes it) and how it ``ends``."""
    return {"what": what, "resumes": resumes, "cashier": cashier, "ends": end, **more}


CASH_CHANGE = 10_000 - total(CART)
FIXTURES: dict[str, tuple[Script, dict[str, Any], dict[str, Any]]] = {
    "step-create_order": (
        at_step("create_order"),
        {},
        fixture(
            "createOrder went through, its answer (the order id) lost: the order is orphaned",
            "scanning",
            "pin",
            ends(CART, payments=1),
            new_orders=1,
        ),
    ),
    "step-add_items": (
        at_step("add_items"),
        {},
        fixture("the first addItemsToOrder went through", "scanning", "pin", ends(CART)),
    ),
    "step-remove_items": (
        at_step("remove_items"),
        {},
        fixture("removeItemsFromOrder (the void) went through", "scanning", "pin", ends(CART)),
    ),
    "step-attach_method": (
        at_step("add_payment_method"),
        {},
        fixture("the PIN method was attached", "scanning", "pin", ends(CART)),
    ),
    "step-create_payment": (
        at_step("create_payment"),
        {},
        fixture(
            "the card payment was created (PENDING, never started on the terminal); the "
            "engine reads it back and, as today, pays with a new payment: the first was "
            "never started, no money is on it",
            "scanning",
            "pin",
            ends(CART, payments=2),
        ),
    ),
    "step-start_terminal": (
        at_step("start_terminal"),
        {},
        fixture("the terminal approved the card; its answer lost", "done", None, ends(CART)),
    ),
    "step-pay_cash": (
        at_step("pay_cash", pay="cash"),
        {},
        fixture(
            "the cash was recorded (10,000 handed over); its answer lost",
            "done",
            None,
            ends(CART, change=CASH_CHANGE),
        ),
    ),
    "step-open_order": (
        at_step("open_order"),
        {},
        fixture("openOrder went through (paid by card)", "done", None, ends(CART)),
    ),
    "step-invoice": (
        at_step("invoice_items"),
        {},
        fixture("the invoice was made (paid by card)", "done", None, ends(CART)),
    ),
    "state-scanning": (
        scanning,
        {},
        fixture("lines only, every scan confirmed", "scanning", "pin", ends(CART)),
    ),
    "state-card_unconfirmed": (
        card_unconfirmed,
        {},
        fixture(
            "a card payment whose terminal answer was lost and that reads back PENDING: "
            "not confirmed; paying again only checks it, nothing is charged again",
            "terminal",
            "check",
            ends(CART, payments=1, invoice=None, phase="terminal", status="active"),
            card_unconfirmed=True,
        ),
    ),
    "state-invoice_pending": (
        invoice_pending,
        {"invoice_timeout": 0.3},
        fixture(
            "paid by card, the invoice not yet possible: the sale is in the outbox",
            "scanning",
            None,
            ends(CART),
            outbox=True,
        ),
    ),
    "state-done_then_active": (
        done_then_active,
        {},
        fixture(
            "a finished sale (invoiced), then the next one with a line scanned",
            "scanning",
            "cash",
            ends({SKUS[3]: 2}, change=0),
            finished=1,
        ),
    ),
    "state-split_cash_then_card": (
        split_cash_then_card,
        {},
        fixture(
            "3.00 of the sale paid in cash (5.00 handed over), the rest still due",
            "tender",
            "pin",
            ends(CART, payments=2, change=200),
        ),
    ),
    "state-held_line_rich_note": (
        held_line_rich_note,
        {},
        fixture(
            "note with sku_map, held, confirmed_failed and change; paid in cash after a "
            "card payment confirmed failed; openOrder went through",
            "done",
            None,
            ends(
                {"bag-paper": 1, SKUS[0]: 1, SKUS[1]: 1},
                payments=2,
                change=1_000 - total({"bag-paper": 1, SKUS[0]: 1, SKUS[1]: 1}),
                held=(SKUS[1],),
            ),
        ),
    ),
}


def check_engine() -> None:
    """Refuse to capture with an engine other than that of ``ENGINE``."""
    changed = subprocess.run(
        ["git", "diff", "--quiet", ENGINE, "--", "tui_pos/checkout", "tui_pos/afosto"],
        cwd=HERE,
        check=False,
    )
    if changed.returncode != 0:
        sys.exit(f"tui_pos/checkout or tui_pos/afosto differ from {ENGINE}: capture there")


async def main() -> None:
    check_engine()
    logging.disable(logging.CRITICAL)  # the engine logs each cut as unexpected: it is wanted
    index = {}
    for name, (script, settings, expected) in FIXTURES.items():
        index[name] = await capture(name, script, **settings) | expected
        print(f"captured {name}")
    document = {"engine": ENGINE, "fixtures": index}
    (HERE / "fixtures.json").write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
