"""How many of a code: one rule (codes.py) and one set of words for a count outside it."""

from __future__ import annotations

import pytest

from tests.support.enginekit import SKUS, scan_all, settled
from tui_pos.checkout import Sale
from tui_pos.checkout.codes import MAX_QUANTITY
from tui_pos.sim import Simulator


def count_words(code: str) -> str:
    return f"Not added: a count is from 1 to 999, like 3*{code}."


@pytest.mark.parametrize("count", [0, -1, MAX_QUANTITY + 1, 10**6])
async def test_a_count_outside_1_to_999_is_refused_in_one_set_of_words(
    sale: Sale, sim: Simulator, count: int
) -> None:
    sale.scan(SKUS[0], count)
    assert sale.view.error == count_words(SKUS[0])
    assert not sale.view.lines and not sale.view.busy
    assert sum(sim.requests.values()) == 0  # nothing asked of Afosto


async def test_a_line_holds_at_most_999(sale: Sale) -> None:
    await scan_all(sale, SKUS[0])
    sale.scan(SKUS[0], MAX_QUANTITY)
    assert sale.view.error == f"Not added: at most 999 of {SKUS[0]} on one sale, and it has 1."
    assert [line.quantity for line in sale.view.lines] == [1]
    sale.scan(SKUS[0], MAX_QUANTITY - 1)
    await settled(sale)
    assert [line.confirmed for line in sale.view.lines] == [MAX_QUANTITY]


@pytest.mark.parametrize("quantity", [-1, MAX_QUANTITY + 1])
async def test_a_quantity_set_on_a_line_is_0_to_999(sale: Sale, quantity: int) -> None:
    await scan_all(sale, SKUS[0])
    sale.set_quantity(SKUS[0], quantity)
    assert sale.view.error == "Not changed: a quantity is from 0 to 999; 0 voids the line."
    assert [line.quantity for line in sale.view.lines] == [1]
    sale.set_quantity(SKUS[0], 0)
    await settled(sale)
    assert not sale.view.lines
