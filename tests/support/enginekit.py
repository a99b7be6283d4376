"""Helpers for the engine's tests: fast settings, a simulated power cut, invariants."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from tests.support.simkit import SKUS
from tests.support.waiting import until
from tui_pos.afosto import AfostoClient
from tui_pos.checkout import EngineSettings, Sale, TerminalState, Till
from tui_pos.sim import DEMO_CHANNEL_ID, Simulator

FAST = EngineSettings(
    channel_id=DEMO_CHANNEL_ID,
    invoice_poll=0.02,
    invoice_timeout=2.0,
    retry_interval=0.01,
    read_attempts=5,
    outbox_interval=0.05,
    batch_quiet=0.0,
)

MakeTill = Callable[..., Awaitable[Till]]


class Crash(BaseException):
    """Stands for the power going off: nothing in the engine catches it."""


def crash_at(client: AfostoClient, method: str, *, after: bool) -> None:
    """Make ``client.method`` die before sending, or after the server has answered."""
    real = getattr(client, method)

    async def dying(*args: Any, **kwargs: Any) -> Any:
        if after:
            await real(*args, **kwargs)
        raise Crash(method)

    setattr(client, method, dying)


async def settled(sale: Sale, seconds: float = 10) -> None:
    """Wait until the cart's sync has ended (the sale is busy while it runs): Afosto
    holds the cart or has refused lines, or the sync stopped on an error it shows."""
    await until(lambda: not sale.view.busy, "the cart's sync ending", seconds)


def order_id(sim: Simulator, sale: Sale) -> str:
    """The id of the sale's order, found in the simulator by the number the sale shows."""
    number = sale.view.order_number
    return next(order.id for order in sim.store.orders.values() if order.number == number)


async def scan_all(sale: Sale, *codes: str) -> None:
    for code in codes:
        sale.scan(code)
    await settled(sale)


def snapshot(sim: Simulator) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = sim.store.snapshot()["orders"]
    return orders


def assert_money_invariants(sim: Simulator) -> None:
    """Whatever happened: no unit twice, no overpayment, opened at most once, each unit
    invoiced at most once."""
    for order in snapshot(sim):
        units = [unit for line in order["lines"] for unit in line["ids"]]
        assert len(units) == len(set(units)), "a unit id appears twice"
        assert order["paid"] <= order["total"], "the customer paid more than the total"
        assert order["open_count"] <= 1, "the order was opened twice"
        invoiced = [unit for invoice in order["invoices"] for unit in invoice["ids"]]
        assert len(invoiced) == len(set(invoiced)), "a unit was invoiced twice"


def assert_sale_completed(sim: Simulator, order_id: str, cart: dict[str, int]) -> None:
    """The sale's order holds exactly the cart, is paid once in full, opened once and
    every unit is invoiced once."""
    assert_money_invariants(sim)
    order = next(o for o in snapshot(sim) if o["id"] == order_id)
    assert {line["sku"]: line["quantity"] for line in order["lines"]} == cart
    assert order["paid"] == order["total"] > 0
    assert order["status"] == "OPEN" and order["open_count"] == 1
    units = sorted(unit for line in order["lines"] for unit in line["ids"])
    assert sorted(unit for inv in order["invoices"] for unit in inv["ids"]) == units


async def cashier_finishes(sale: Sale, sim: Simulator, method: str = "pin", tries: int = 6) -> None:
    """Act as a patient cashier: take the next sensible step until the sale is done."""
    from tui_pos.checkout import Phase

    for _ in range(tries):
        view = sale.view
        if view.phase is Phase.DONE:
            return
        await settled(sale)
        if view.phase is Phase.TERMINAL:
            if view.terminal in (TerminalState.UNKNOWN, TerminalState.CHECKING):
                await sim.wait_idle()  # the cashier looks at the terminal
            await sale.retry_terminal()
        elif view.total and view.due == 0:
            await sale.finish()
        elif method == "pin":
            await sale.pay_pin()
        else:
            await sale.pay_cash(tendered=view.due)
    raise AssertionError(f"the sale did not finish: {sale.view}")


async def standard_sale(sale: Sale, sim: Simulator, method: str = "pin") -> dict[str, int]:
    """Scan, change a quantity, void a line, pay: the cart it should end with."""
    await scan_all(sale, SKUS[0], SKUS[1], SKUS[1], SKUS[2])
    sale.void(SKUS[2])
    await settled(sale)
    await cashier_finishes(sale, sim, method)
    return {SKUS[0]: 1, SKUS[1]: 2}


async def pay_and_meanwhile(sale: Sale, sim: Simulator, back_office: Callable[[str], None]) -> None:
    """Scan ``SKUS[0]``, pay by card, and while the terminal runs let the back office
    act on the order (add an item, delete the order)."""
    sim.terminal_delay = 0.3
    await scan_all(sale, SKUS[0])
    paying = asyncio.get_running_loop().create_task(sale.pay_pin())
    await until(
        lambda: any(p.in_transaction for p in sim.store.payments.values()), "the terminal running"
    )
    back_office(order_id(sim, sale))
    await asyncio.wait_for(paying, 5)


async def stop_waiting_on_the_terminal(sale: Sale, sim: Simulator) -> asyncio.Task[None]:
    """Pay by card and stop waiting once the terminal runs the payment."""
    paying = asyncio.create_task(sale.pay_pin())
    await until(
        lambda: any(p.in_transaction for p in sim.store.payments.values()),
        "the terminal running the payment",
    )
    sale.stop_waiting()
    await paying
    return paying


async def paid_with_invoice_pending(make_till: MakeTill, sim: Simulator) -> tuple[Till, Sale]:
    """A till whose sale is paid by card and ended "invoice pending" (Afosto slow to
    offer the invoice), for the outbox to finish."""
    till = await make_till(invoice_timeout=0.1)
    sale = await till.start()
    sim.invoice_delay = 0.5
    await scan_all(sale, SKUS[15])
    await sale.pay_pin()
    assert sale.view.phase.value == "done" and sale.view.invoice_pending
    return till, sale
