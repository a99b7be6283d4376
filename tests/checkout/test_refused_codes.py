"""A code Afosto does not sell is asked about once a sale, not at each scan of it."""

from __future__ import annotations

import pytest

import tui_pos.checkout.cart as cart
from tests.support.enginekit import SKUS, scan_all
from tui_pos.checkout import Sale
from tui_pos.sim import Simulator


def not_sold(code: str) -> str:
    return f"Not added: Afosto does not sell {code}. Check the code."


async def test_a_code_afosto_does_not_sell_is_refused_again_at_once(
    sale: Sale, sim: Simulator
) -> None:
    await scan_all(sale, SKUS[0], "hello")
    assert sale.view.error == not_sold("hello")
    await scan_all(sale, SKUS[1])
    assert sale.view.error is None
    sent = sum(sim.requests.values())
    sale.scan("hello")  # scanned again: refused in the same words, nothing sent
    assert sale.view.error == not_sold("hello") and not sale.view.busy
    assert sum(sim.requests.values()) == sent
    assert [line.sku for line in sale.view.lines] == [SKUS[0], SKUS[1]]


async def test_a_few_hundred_such_codes_are_remembered_the_oldest_forgotten(
    sale: Sale, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cart, "MAX_UNKNOWN", 2)
    await scan_all(sale, SKUS[0], "A1")
    await scan_all(sale, "A2")
    await scan_all(sale, "A3")
    sent = sim.requests["addItemsToOrder"]
    sale.scan("A3")
    assert sim.requests["addItemsToOrder"] == sent and not sale.view.busy
    await scan_all(sale, "A1")  # forgotten: asked again
    assert sim.requests["addItemsToOrder"] == sent + 1
    assert sale.view.error == not_sold("A1")
