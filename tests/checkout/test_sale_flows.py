"""The whole sale against the simulator: items, PIN, cash, split, invoicing, outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests.support.enginekit import (
    SKUS,
    MakeTill,
    assert_sale_completed,
    order_id,
    paid_with_invoice_pending,
    scan_all,
    settled,
    stop_waiting_on_the_terminal,
)
from tests.support.waiting import until
from tui_pos.checkout import Journal, Phase, Sale, TerminalState, Till
from tui_pos.sim import Simulator

UNKNOWN_EAN = "8712345678906"  # a valid EAN-13 that the demo shop does not sell


async def test_pin_sale_from_first_scan_to_invoice(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[0], SKUS[1], SKUS[0])
    line = sale.view.lines[0]
    assert (line.sku, line.quantity, line.confirmed) == (SKUS[0], 2, 2)
    assert line.label and line.unit_price and len(line.unit_ids) == 2
    assert sale.view.total == sum(line.total or 0 for line in sale.view.lines)
    await sale.pay_pin()
    view = sale.view
    assert view.phase is Phase.DONE and view.terminal is TerminalState.APPROVED
    assert view.invoice_number and not view.invoice_pending and view.due == 0
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[0]: 2, SKUS[1]: 1})


async def test_scans_during_a_call_are_batched_into_the_next(sale: Sale, sim: Simulator) -> None:
    sim.latency = 0.05
    for code in SKUS[:6]:
        sale.scan(code)  # all before the first call returns
    assert [line.sku for line in sale.view.lines] == SKUS[:6]  # shown at once
    assert all(line.pending for line in sale.view.lines)
    await settled(sale)
    assert sim.requests["addItemsToOrder"] == 1
    assert sale.view.synced and len(sale.view.lines) == 6


async def test_quantity_changes_and_voids(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[2], SKUS[3])
    sale.set_quantity(SKUS[2], 4)
    await settled(sale)
    sale.set_quantity(SKUS[2], 1)
    sale.void(SKUS[3])
    await settled(sale)
    assert [(line.sku, line.confirmed) for line in sale.view.lines] == [(SKUS[2], 1)]
    order = sim.store.snapshot()["orders"][0]
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [(SKUS[2], 1)]


async def test_an_unknown_sku_is_refused_and_the_rest_stays(sale: Sale) -> None:
    await scan_all(sale, SKUS[0], UNKNOWN_EAN, SKUS[1])
    assert UNKNOWN_EAN in (sale.view.error or "")
    assert [line.sku for line in sale.view.lines] == [SKUS[0], SKUS[1]]
    assert sale.view.synced


async def test_a_misread_gtin_never_reaches_the_api(sale: Sale, sim: Simulator) -> None:
    sale.scan("8712345678900")  # wrong check digit
    sale.scan("\x1b[A")
    await settled(sale)
    assert sim.requests["createOrder"] == 0 and not sale.view.lines
    assert "printable" in (sale.view.error or "") or "characters" in (sale.view.error or "")


async def test_decline_then_retry_the_same_payment(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[4])
    sim.terminal_outcomes.extend(["CANCELLED", "PAID"])
    await sale.pay_pin()
    assert sale.view.terminal is TerminalState.DECLINED and sale.view.phase is Phase.TERMINAL
    await sale.retry_terminal()
    assert sale.view.phase is Phase.DONE
    payments = sim.store.snapshot()["orders"][0]["payments"]
    assert len(payments) == 1 and payments[0]["start_count"] == 2
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[4]: 1})


async def test_abort_then_cash(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[5], SKUS[6])
    sim.terminal_outcomes.append("PENDING")
    await sale.pay_pin()
    assert sale.view.terminal is TerminalState.ABORTED
    await sale.pay_cash(tendered=sale.view.due + 1000)
    assert sale.view.phase is Phase.DONE and sale.view.change == 1000
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[5]: 1, SKUS[6]: 1})


async def test_expiry_then_a_new_payment(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[7])
    sim.terminal_outcomes.append("EXPIRED")
    await sale.pay_pin()
    assert sale.view.terminal is TerminalState.EXPIRED
    await sale.pay_pin()
    assert sale.view.phase is Phase.DONE
    payments = sim.store.snapshot()["orders"][0]["payments"]
    assert [p["status"] for p in payments] == ["EXPIRED", "PAID"]


async def test_a_busy_terminal_is_said(sale: Sale, sim: Simulator) -> None:
    from tui_pos.sim import Fault

    await scan_all(sale, SKUS[8])
    sim.inject("startPayment", Fault("status", status=409))
    await sale.pay_pin()
    assert sale.view.terminal is TerminalState.BUSY and "busy" in (sale.view.error or "")
    await sale.retry_terminal()
    assert sale.view.phase is Phase.DONE


async def test_split_tender_card_then_cash_with_change(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[9], SKUS[9], SKUS[10])
    total = sale.view.total
    await sale.pay_pin(amount=total + 1)
    assert "at most" in (sale.view.error or "")  # no card payment above what is due
    await sale.pay_pin(amount=100)
    assert sale.view.phase is Phase.TENDER and sale.view.due == total - 100
    await sale.pay_cash(tendered=5000)
    assert sale.view.phase is Phase.DONE and sale.view.change == 5000 - (total - 100)
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[9]: 2, SKUS[10]: 1})


async def test_cash_less_than_due_is_refused(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[11])
    await sale.pay_cash(tendered=1)
    assert "less" in (sale.view.error or "") and sim.requests["createPayment"] == 0


async def test_partial_invoicing_then_the_rest_into_the_same_invoice(
    sale: Sale, sim: Simulator
) -> None:
    await scan_all(sale, SKUS[13], SKUS[13], SKUS[14])
    sale.hold_invoice(SKUS[14])  # e.g. delivered later
    await sale.pay_cash(tendered=sale.view.total)
    assert sale.view.phase is Phase.DONE and sale.view.invoice_number
    order = sim.store.snapshot()["orders"][0]
    held = next(line["ids"] for line in order["lines"] if line["sku"] == SKUS[14])
    assert order["invoiceable_ids"] == held and len(order["invoices"]) == 1
    await sale.invoice_rest()
    order = sim.store.snapshot()["orders"][0]
    assert order["invoiceable_ids"] == [] and len(order["invoices"]) == 1
    assert order["invoices"][0]["total"] == order["total"]
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[13]: 2, SKUS[14]: 1})


async def test_invoice_pending_is_finished_by_the_outbox(
    make_till: MakeTill, sim: Simulator
) -> None:
    till, sale = await paid_with_invoice_pending(make_till, sim)
    assert len(till.journal.pending_invoices()) == 1
    next_sale = till.new_sale()  # the next customer is not held up
    assert next_sale.view.phase is Phase.SCANNING
    await until(lambda: not till.journal.pending_invoices(), "the outbox's invoice sent")
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[15]: 1})


async def test_payment_options_are_read_once_per_session_and_ahead_of_paying(
    till: Till, sim: Simulator
) -> None:
    reads = []
    real = till.client.get_order

    async def counting(order_id: str, *, with_options: bool = False) -> object:
        reads.append(with_options)
        return await real(order_id, with_options=with_options)

    till.client.get_order = counting  # type: ignore[method-assign]
    sale = await till.start()
    await scan_all(sale, SKUS[0])
    # fetched in the background while scanning
    await until(lambda: till.known_options is not None, "the payment options read ahead")
    assert sim.requests["createPayment"] == 0  # before any payment
    await sale.pay_pin()
    following = till.new_sale()
    await scan_all(following, SKUS[1])
    await following.pay_cash(tendered=following.view.due)
    assert following.view.phase is Phase.DONE
    assert reads.count(True) == 1


async def test_options_are_read_again_when_no_terminal_is_online(
    sale: Sale, sim: Simulator
) -> None:
    sim.set_terminal_online("term_front", False)
    await scan_all(sale, SKUS[12])
    await sale.pay_pin()
    assert "No PIN terminal is online" in (sale.view.error or "")
    sim.set_terminal_online("term_front", True)  # plugged back in
    await sale.pay_pin()
    assert sale.view.phase is Phase.DONE


async def test_a_chosen_terminal_that_is_offline_is_refused(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[12])
    await sale.pay_pin(terminal_id="term_back")
    assert "offline" in (sale.view.error or "") and sim.requests["createPayment"] == 0


def make_read_only(journal: Journal) -> None:
    journal._db.execute("PRAGMA query_only = 1")  # SQLite then refuses every write


def fill_the_disk(journal: Journal) -> None:
    pages = journal._db.execute("PRAGMA page_count").fetchone()[0]
    journal._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on growth


@pytest.mark.parametrize(
    ("breakage", "words"), [(make_read_only, "read-only"), (fill_the_disk, "full")]
)
async def test_no_payment_starts_when_the_journal_cannot_be_written(
    till: Till, sim: Simulator, breakage: Callable[[Journal], None], words: str
) -> None:
    sale = await till.start()
    await scan_all(sale, SKUS[0])
    breakage(till.journal)
    await sale.pay_pin()
    assert words in (sale.view.error or "") and "No payment can start" in (sale.view.error or "")
    await sale.pay_cash(tendered=10_000)
    assert sim.requests["createPayment"] == 0 and sale.view.paid == 0


@pytest.mark.parametrize("code", ["", "x" * 65, "12 34"])
async def test_malformed_codes_are_refused_locally(sale: Sale, sim: Simulator, code: str) -> None:
    sale.scan(code)
    await settled(sale)
    assert sale.view.error and not sale.view.lines and sim.requests["createOrder"] == 0


async def test_the_cashier_stops_waiting_and_the_payment_is_checked(
    make_till: MakeTill, sim: Simulator
) -> None:
    sim.terminal_delay = 1.5  # still running while the cashier checks
    till = await make_till()
    sale = await till.start()
    await scan_all(sale, SKUS[1])
    await stop_waiting_on_the_terminal(sale, sim)
    assert sale.view.terminal is TerminalState.UNKNOWN  # it may still go through
    await sale.pay_cash(tendered=10_000)
    assert "not confirmed" in (sale.view.error or "") and sim.requests["createPayment"] == 1
    await sim.wait_idle()
    await sale.check_payment()
    assert sale.view.phase is Phase.DONE
    assert_sale_completed(sim, order_id(sim, sale), {SKUS[1]: 1})


async def test_a_rotated_token_is_picked_up_after_a_401(
    make_till: MakeTill, sim: Simulator
) -> None:
    from pydantic import SecretStr

    till = await make_till(token_source=lambda: SecretStr("rotated"))
    sale = await till.start()
    sim.tokens = {"rotated"}  # the old token expired; the file holds the new one
    await scan_all(sale, SKUS[2])
    await sale.pay_pin()
    assert sale.view.phase is Phase.DONE


async def test_a_rotated_token_file_that_is_bad_is_logged(
    make_till: MakeTill, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    def bad_file() -> object:
        raise ValueError("api_token_file: the token has a line break at character 7")

    till = await make_till(token_source=bad_file)
    sale = await till.start()
    sim.tokens = set()
    sale.scan(SKUS[2])
    await until(lambda: "API key" in (sale.view.error or ""), "the API key error shown")
    assert "could not be read again: api_token_file: the token has a line break" in caplog.text


async def test_an_expired_token_is_said_and_nothing_is_lost(sale: Sale, sim: Simulator) -> None:
    await scan_all(sale, SKUS[3])
    sim.tokens = set()
    sale.scan(SKUS[4])
    await until(lambda: "API key" in (sale.view.error or ""), "the API key error shown")
    assert [line.sku for line in sale.view.lines] == [SKUS[3], SKUS[4]]
    sim.tokens = {"demo-token"}  # the manager renewed it
    await settled(sale)
    assert sale.view.synced and sale.view.error is None


async def test_a_burst_of_scans_goes_to_afosto_in_one_call(
    make_till: MakeTill, sim: Simulator
) -> None:
    # Scans 0.03 s apart, well within the quiet time, however loaded the machine.
    till = await make_till(batch_quiet=0.5, batch_max=5.0)
    sale = await till.start()
    sim.latency = 0.01
    for code in SKUS[:5]:
        sale.scan(code)  # shown at once, sent once the burst is over
        assert sale.view.lines[-1].sku == code
        await asyncio.sleep(0.03)  # the scanner's pace, part of the scenario
    await settled(sale)
    assert sim.requests["createOrder"] == 1 and sim.requests["addItemsToOrder"] == 1
    assert sale.view.synced and len(sale.view.lines) == 5


async def test_paying_takes_the_fewest_round_trips_the_api_allows(
    till: Till, sale: Sale, sim: Simulator
) -> None:
    sim.invoice_delay = 0.0  # openOrder's answer already lists the ids to invoice
    await scan_all(sale, SKUS[0], SKUS[1])
    await until(lambda: till.known_options is not None, "the payment options read ahead")
    before = dict(sim.requests)
    await sale.pay_pin()
    assert sale.view.phase is Phase.DONE and sale.view.invoice_number
    made = {op: n - before.get(op, 0) for op, n in sim.requests.items() if n != before.get(op, 0)}
    assert made == {
        "addPaymentMethodToOrder": 1,
        "createPayment": 1,
        "startPayment": 1,
        "openOrder": 1,
        "invoiceItems": 1,
    }
