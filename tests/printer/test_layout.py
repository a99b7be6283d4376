"""The receipt's content, laid out by python-escpos and read back by our renderer, at
42 and 48 columns (58 mm and 80 mm paper)."""

from __future__ import annotations

import time

import pytest

from tui_pos.checkout.receipt import Receipt, ReceiptLine, ReceiptPayment
from tui_pos.config import PrinterSettings
from tui_pos.printer.layout import Shop, drawer_bytes, receipt_bytes
from tui_pos.printer.layout import test_page_bytes as page_bytes  # not a test
from tui_pos.printer.render import render

PAID_AT = time.mktime((2026, 12, 3, 8, 15, 0, 0, 0, -1))
PDF = "https://afosto.app/invoices/7f3c2a/F2026-000123.pdf"
RECEIPT = Receipt(
    sale_id=7,
    order_number="1000042",
    finished_at=PAID_AT,
    lines=(
        ReceiptLine("Halfvolle melk 1L", 2, 119, 238),
        ReceiptLine("Volkoren brood heel, vers gebakken van de warme bakker", 1, 295, 295),
    ),
    total=533,
    payments=(ReceiptPayment("PIN", 200), ReceiptPayment("CASH", 500)),
    change=167,
    invoice_number="F2026-000123",
    invoice_url=PDF,
)


def shop(columns: int = 42, **changes: object) -> Shop:
    printer = PrinterSettings(
        columns=columns,
        shop_name="Bakkerij Jansen",
        shop_address=["Markt 1", "9000 Gent"],
        vat_number="BE0123.456.789",
        footer=["Bedankt!", "Tot ziens"],
        **changes,  # type: ignore[arg-type]
    )
    return Shop(printer, "Kassa 2", "nl")


@pytest.mark.parametrize("columns", [42, 48])
def test_the_receipt_says_everything_within_the_paper(columns: int) -> None:
    printed = render(receipt_bytes(RECEIPT, shop(columns)), columns)
    lines = printed.plain(columns)
    kinds = [line.kind for line in printed.lines]
    assert all(
        len(line) <= columns for line, kind in zip(lines, kinds, strict=True) if kind != "qr"
    )
    text = "\n".join(lines)
    for expected in (
        "Bakkerij Jansen",
        "Markt 1",
        "9000 Gent",
        "VAT BE0123.456.789",
        "Order 1000042",
        "Halfvolle melk 1L",
        "Invoice F2026-000123",
        "Bedankt!",
        "Tot ziens",
    ):
        assert expected in text, expected
    assert lines_ending(lines, "03-12-2026 08:15", "Kassa 2", columns)
    assert lines_ending(lines, "  2 x € 1,19", "€ 2,38", columns)
    assert lines_ending(lines, "TOTAL", "€ 5,33", columns)
    assert lines_ending(lines, "Card", "€ 2,00", columns)
    assert lines_ending(lines, "Cash", "€ 5,00", columns)
    assert lines_ending(lines, "Change", "€ 1,67", columns)
    assert printed.qr_codes == (PDF,)
    assert printed.cuts == 1 and not printed.drawer_kicks
    total = next(line for line in printed.lines if line.text.startswith("TOTAL"))
    assert total.bold


def lines_ending(lines: list[str], left: str, right: str, columns: int) -> bool:
    """A line with ``left`` at its start and ``right`` at the paper's right edge."""
    return any(
        line.startswith(left) and line.endswith(right) and len(line) == columns for line in lines
    )


def test_a_label_too_long_for_its_price_puts_the_price_under_it() -> None:
    lines = render(receipt_bytes(RECEIPT, shop()), 42).plain(42)
    at = next(i for i, line in enumerate(lines) if line.startswith("Volkoren brood"))
    assert "€ 2,95" not in lines[at]
    assert any(line.rstrip().endswith("€ 2,95") for line in lines[at + 1 : at + 3])


def test_the_euro_sign_is_the_code_page_s_own_byte() -> None:
    data = receipt_bytes(RECEIPT, shop())
    assert b"\x1bt\x13" in data  # ESC t 19: CP858 chosen, not left to the printer
    assert "€".encode("cp858") in data and "€".encode() not in data


def test_another_code_page_is_chosen_as_set() -> None:
    data = receipt_bytes(RECEIPT, shop(codepage="CP1252"))
    assert b"\x1bt\x10" in data and b"\x80" in data  # ESC t 16; the euro is 0x80 there
    assert "€ 5,33" in "\n".join(render(data).plain(42))


def test_a_reprint_says_copy_at_its_top_and_bottom() -> None:
    lines = render(receipt_bytes(RECEIPT, shop(), copy=True), 42).plain(42)
    marks = [i for i, line in enumerate(lines) if line.strip() == "*** COPY ***"]
    assert len(marks) == 2 and marks[0] == 0 and marks[1] > len(lines) - 10


def test_an_invoice_still_pending_has_no_qr_code() -> None:
    pending = Receipt(**{**RECEIPT.__dict__, "invoice_number": None, "invoice_url": None})
    printed = render(receipt_bytes(pending, shop()), 42)
    assert printed.qr_codes == ()
    assert any(line.startswith("Invoice: follows") for line in printed.plain(42))


def test_money_as_the_till_shows_it_in_english() -> None:
    english = Shop(shop().printer, "Till 1", "en")
    text = "\n".join(render(receipt_bytes(RECEIPT, english)).plain(42))
    assert "€5.33" in text and "€ 5,33" not in text


@pytest.mark.parametrize(("pin", "pulse"), [(2, 100), (5, 200), (2, 510)])
def test_the_drawer_kick_uses_the_pin_and_pulse_set(pin: int, pulse: int) -> None:
    (kick,) = render(drawer_bytes(PrinterSettings(drawer_pin=pin, drawer_pulse=pulse))).lines
    assert (kick.kind, kick.drawer_pin, kick.drawer_pulse_ms) == ("drawer", pin, pulse)


def test_the_test_page_shows_the_width_and_the_euro() -> None:
    printed = render(page_bytes(shop(48)), 48)
    text = printed.plain(48)
    assert "123456789012345678901234567890123456789012345678" in text
    assert any("€ 1.234,56" in line for line in text) and printed.cuts == 1
