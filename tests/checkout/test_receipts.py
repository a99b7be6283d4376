"""The receipt a paid sale leaves in the journal, written with its final status."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.enginekit import SKUS, MakeTill, paid_with_invoice_pending, scan_all
from tests.support.waiting import until
from tui_pos.checkout import Journal, Phase, Sale, SaleStatus, Till, schema
from tui_pos.checkout.day import CashierTotal, DayBook
from tui_pos.checkout.journal import JournalDamaged
from tui_pos.checkout.receipt import ReceiptPayment
from tui_pos.sim import Simulator


async def test_a_cash_sale_leaves_its_receipt(sale: Sale, till: Till) -> None:
    await scan_all(sale, SKUS[9], SKUS[9], SKUS[10])
    view = sale.view
    await sale.pay_cash(tendered=view.total + 1234)
    view = sale.view
    assert view.phase is Phase.DONE and view.invoice_number
    receipt = till.journal.receipt(sale.id)
    assert receipt is not None and receipt == till.journal.receipt()  # the newest
    assert receipt.order_number == view.order_number
    assert [(line.label, line.quantity) for line in receipt.lines] == [
        (line.label, line.quantity) for line in view.lines
    ]
    assert all(line.total == line.unit_price * line.quantity > 0 for line in receipt.lines)
    assert receipt.total == sum(line.total for line in receipt.lines) == view.total
    assert receipt.payments == (ReceiptPayment("CASH", view.total),)
    assert receipt.change == 1234
    assert receipt.invoice_number == view.invoice_number
    assert receipt.invoice_url and receipt.invoice_url == view.invoice_url
    assert receipt.invoice_url.endswith("/pdf")


async def test_the_receipt_names_the_cashier_of_the_sale_s_context(sale: Sale, till: Till) -> None:
    """The signed-in cashier the app will set on the sale's context goes on the receipt
    and into the day's figures per cashier."""
    sale._ctx.cashier = (3, "Ann")
    await scan_all(sale, SKUS[9])
    await sale.pay_cash(tendered=sale.view.total)
    receipt = till.journal.receipt(sale.id)
    assert receipt is not None and (receipt.cashier, receipt.served_by) == (3, "Ann")
    totals = DayBook(till.journal).totals()
    assert totals.cashiers == (CashierTotal(3, "Ann", 1, receipt.total),)


async def test_a_split_payment_lists_both_tenders(sale: Sale, till: Till) -> None:
    await scan_all(sale, SKUS[11])
    total = sale.view.total
    await sale.pay_pin(amount=100)
    await sale.pay_cash(tendered=total - 100)
    receipt = till.journal.receipt(sale.id)
    assert receipt is not None and receipt.change == 0
    assert receipt.payments == (ReceiptPayment("PIN", 100), ReceiptPayment("CASH", total - 100))


async def test_a_receipt_made_before_its_invoice_shows_the_invoice_once_made(
    make_till: MakeTill, sim: Simulator
) -> None:
    till, sale = await paid_with_invoice_pending(make_till, sim)
    first = till.journal.receipt(sale.id)
    assert first is not None and first.invoice_number is None and first.invoice_url is None
    till.new_sale()
    await until(lambda: not till.journal.pending_invoices(), "the outbox's invoice sent")
    later = till.journal.receipt(sale.id)
    assert later is not None and later.invoice_number and later.invoice_url
    assert later.finished_at == first.finished_at  # the same receipt, not a second one


async def test_an_unpaid_sale_has_no_receipt(sale: Sale, till: Till) -> None:
    await scan_all(sale, SKUS[12])
    assert till.journal.receipt(sale.id) is None and till.journal.receipt() is None


@pytest.mark.parametrize(("old", "dropped"), [(1, ("receipt", "printout")), (2, ("printout",))])
def test_a_journal_of_an_earlier_version_gains_the_new_tables_and_keeps_its_sales(
    old: int, dropped: tuple[str, ...], tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    paid = journal.new_sale()
    journal.set_status(paid, SaleStatus.DONE)
    journal.close()
    db = sqlite3.connect(path)  # as that version left it
    for table in dropped:
        db.execute(f"DROP TABLE {table}")
    db.execute(f"PRAGMA user_version = {old}")
    db.commit()
    db.close()
    journal = Journal(path)
    try:
        assert schema.version(journal._db) == schema.CURRENT == 4
        assert journal.sale(paid).status is SaleStatus.DONE
        assert journal.receipt(paid) is None  # paid before receipts were kept
        assert journal.printouts() == []
    finally:
        journal.close()


def test_a_damaged_receipt_is_said_not_shown(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    sale_id = journal.new_sale()
    journal.close()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO receipt (sale_id, document) VALUES (?, ?)", (sale_id, '{"total": "lots"}')
    )
    db.commit()
    db.close()
    journal = Journal(path)
    try:
        with pytest.raises(JournalDamaged, match="receipt"):
            journal.receipt(sale_id)
    finally:
        journal.close()
