"""In-process, fast: what a restarted till may meet before its recovery has asked Afosto
where the sale stands (the app runs that recovery in a worker, so the cashier can scan
at once)."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from tests.support.chaoskit import A, B, assert_money_invariants, lines
from tests.support.enginekit import settled
from tui_pos.afosto import AfostoClient
from tui_pos.checkout import EngineSettings, Journal, Till
from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, SimServer, Simulator

SETTINGS = EngineSettings(channel_id=DEMO_CHANNEL_ID, retry_interval=0.01)


def make_till(url: str, journal: Path) -> Till:
    return Till(AfostoClient(url, SecretStr(DEMO_TOKEN)), Journal(journal), SETTINGS)


async def test_a_scan_before_the_recovery_goes_to_the_sale_s_own_order(tmp_path: Path) -> None:
    sim = Simulator()
    async with SimServer(sim) as server:
        till = make_till(server.base_url, tmp_path / "journal.sqlite3")
        sale = await till.start()
        sale.scan(A)
        await settled(sale)
        await till.close()  # the power goes; the sale has an order with A on it
        await till.client.aclose()

        till = make_till(server.base_url, tmp_path / "journal.sqlite3")
        try:
            sale = await till.start(recover=False)  # as the app starts it
            sale.scan(B)  # before the recovery: sent to the order it has, not a new one
            await settled(sale)
            await sale.recover()
        finally:
            await till.close()
            await till.client.aclose()
    orders = sim.store.snapshot()["orders"]
    assert_money_invariants(orders)
    assert [lines(order) for order in orders] == [{A: 1, B: 1}], "a second order was made"
