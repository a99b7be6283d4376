"""A receipt names the sale's customer when it has one, and says nothing of one when not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.printer.test_layout import RECEIPT, shop
from tui_pos.printer.layout import receipt_bytes
from tui_pos.printer.render import render


@pytest.mark.parametrize("columns", [42, 48])
def test_the_receipt_names_the_customer(columns: int) -> None:
    receipt = replace(RECEIPT, customer="Zoë Janssens (K100001)")
    lines = [
        line.rstrip()
        for line in render(receipt_bytes(receipt, shop(columns)), columns).plain(columns)
    ]
    assert "Customer: Zoë Janssens (K100001)" in lines
    assert lines.index("Customer: Zoë Janssens (K100001)") < lines.index(
        next(line for line in lines if line.startswith("Halfvolle melk"))
    )


def test_without_a_customer_the_receipt_names_none() -> None:
    lines = render(receipt_bytes(RECEIPT, shop()), 42).plain(42)
    assert not any(line.startswith("Customer") for line in lines)
