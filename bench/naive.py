"""The guide's naive sequence, written directly with ``tui_pos.afosto.AfostoClient``.

The guide (``shared/seed/afosto-pos-pin-payment-guide.txt``) rings up a sale as: create
the order, one ``addItemsToOrder`` per scan, read the payment options when the customer
pays, attach the PIN method and terminal, create the payment, start it on the terminal,
open the order, poll the order until the invoice action lists ids (every 250 ms), and
invoice them. No batching, no prefetching, no reuse of answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from pydantic import SecretStr

from tui_pos.afosto import AfostoClient


async def naive_sale(
    api_url: str, codes: Sequence[str], *, interval: float = 0.2, pay_after: float = 1.0
) -> dict[str, float]:
    """One PIN sale of ``codes`` scanned every ``interval`` s, paid ``pay_after`` s after
    the last scan. Returns the monotonic times of the pay key, the terminal start and
    the invoice."""
    marks: dict[str, float] = {}
    async with AfostoClient(api_url, SecretStr("demo-token")) as client:
        started = time.monotonic()
        order = None
        for index, code in enumerate(codes):
            await asyncio.sleep(max(0.0, started + index * interval - time.monotonic()))
            if order is None:
                order = await client.create_order("pos-demo", "EUR")
            order = await client.add_items(order.id, {code: 1})
        assert order is not None
        await asyncio.sleep(pay_after)
        marks["pay"] = time.monotonic()
        full = await client.get_order(order.id, with_options=True)
        assert full.options is not None
        pin = next(m for m in full.options.payment.methods if m.code == "PIN")
        terminal = next(t for t in pin.terminals if t.is_online)
        order = await client.add_payment_method(order.id, pin.id, terminal_id=terminal.id)
        payment = await client.create_payment(order.id, order.due)
        marks["prompt"] = time.monotonic()
        payment = await client.start_terminal(payment)
        assert payment.is_paid, payment.status
        marks["paid"] = time.monotonic()
        order = await client.open_order(order.id)
        deadline = time.monotonic() + 15
        while True:
            order = await client.get_order(order.id)
            ids = order.action_ids("invoice")
            if ids or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.25)
        invoice = await client.invoice_items(ids)
        marks["invoice"] = time.monotonic()
        assert invoice.number
    return marks
