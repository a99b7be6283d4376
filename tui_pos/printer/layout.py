"""A receipt, a drawer opening and a test page as the ESC/POS bytes a printer takes,
laid out by python-escpos (its printer profiles, code pages and the printer's own QR
command) for paper of ``columns`` characters."""

from __future__ import annotations

import time
from dataclasses import dataclass

from escpos.printer import Dummy

from tui_pos.checkout.receipt import Receipt, tender_name
from tui_pos.config import PrinterSettings
from tui_pos.money import Locale, format_money


@dataclass(frozen=True)
class Shop:
    """What every receipt of this till says besides the sale: from the settings."""

    printer: PrinterSettings
    till_name: str
    locale: Locale = "nl"


def receipt_bytes(receipt: Receipt, shop: Shop, *, copy: bool = False) -> bytes:
    """The receipt as ESC/POS; ``copy`` marks a reprint "COPY" at its top and bottom."""
    paper = _Paper(shop)
    if copy:
        paper.copy_mark()
    paper.header()
    paper.pair(stamp(receipt.finished_at), shop.till_name)
    paper.line(f"Order {receipt.order_number}")
    if receipt.served_by:
        paper.line(f"Served by {receipt.served_by}")
    if receipt.customer:
        paper.line(f"Customer: {receipt.customer}")
    paper.rule()
    money = paper.money
    for item in receipt.lines:
        if item.quantity == 1:
            paper.pair(item.label, money(item.total))
        else:
            paper.line(item.label)
            paper.pair(f"  {item.quantity} x {money(item.unit_price)}", money(item.total))
    paper.rule()
    paper.pair("TOTAL", money(receipt.total), bold=True)
    for payment in receipt.payments:
        paper.pair(tender_name(payment.method), money(payment.amount))
    if receipt.change:
        paper.pair("Change", money(receipt.change))
    paper.rule()
    if receipt.invoice_number is None:
        paper.line("Invoice: follows by e-mail or on request")
    else:
        paper.line(f"Invoice {receipt.invoice_number}")
    if receipt.invoice_url:
        paper.qr(receipt.invoice_url)
        paper.line("Scan for your digital receipt", align="center")
    paper.footer()
    if copy:
        paper.copy_mark()
    return paper.cut()


def stamp(timestamp: float) -> str:
    """A receipt's date and time, in the till's local time."""
    return time.strftime("%d-%m-%Y %H:%M", time.localtime(timestamp))


def drawer_bytes(printer: PrinterSettings) -> bytes:
    """The drawer kick on the printer's drawer port: pin 2 or 5, pulsed for
    ``drawer_pulse`` ms (ESC p m t1 t2, in units of 2 ms)."""
    dummy = Dummy(profile=printer.profile)
    on = max(1, min(255, printer.drawer_pulse // 2))
    dummy.cashdraw([27, 112, 0 if printer.drawer_pin == 2 else 1, on, max(on, 250)])
    return bytes(dummy.output)


def test_page_bytes(shop: Shop) -> bytes:
    """A page that shows the printer works: the header, the code page's euro sign, the
    width of the paper, a QR code, and the cut."""
    paper = _Paper(shop)
    paper.line("TEST PAGE", align="center", bold=True)
    paper.header()
    paper.pair(stamp(time.time()), shop.till_name)
    paper.line(f"Code page {shop.printer.codepage}: {format_money(123456, shop.locale)}")
    paper.line("".join(str(n % 10) for n in range(1, shop.printer.columns + 1)))
    paper.qr("https://afosto.com")
    return paper.cut()


def report_bytes(title: str, lines: list[str], shop: Shop) -> bytes:
    """An X or Z report as laid out for the screen (``lines``), under the shop's header."""
    paper = _Paper(shop)
    paper.header()
    paper.line(title, bold=True)
    paper.pair(stamp(time.time()), shop.till_name)
    paper.rule()
    for text in lines:
        paper.line(text)
    return paper.cut()


class _Paper:
    """One printout being laid out on python-escpos's Dummy printer."""

    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.columns = shop.printer.columns
        self._out = Dummy(profile=shop.printer.profile)
        self._out.hw("INIT")
        self._out.charcode(shop.printer.codepage)
        self._style: tuple[str, bool, bool] = ("left", False, False)
        """The text style the printer is in (``INIT`` leaves it left, plain, small)."""

    def money(self, cents: int) -> str:
        return format_money(cents, self.shop.locale)

    def line(
        self, text: str, *, align: str = "left", bold: bool = False, big: bool = False
    ) -> None:
        self._set(align, bold, big)
        self._out.textln(text)

    def _set(self, align: str, bold: bool, big: bool) -> None:
        """Change the style only where it changes: a receipt on a serial line is short."""
        if (align, bold, big) == self._style:
            return
        self._style = (align, bold, big)
        if big:
            self._out.set(align=align, bold=bold, double_height=True, double_width=True)
        else:
            self._out.set(align=align, bold=bold, normal_textsize=True)

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        """``left`` and ``right`` on one line, or ``right`` under a long ``left``."""
        room = self.columns - len(right) - 1
        if len(left) > room:
            self.line(left, bold=bold)
            left = ""
        self.line(left.ljust(room) + " " + right, bold=bold)

    def rule(self) -> None:
        self.line("-" * self.columns)

    def header(self) -> None:
        printer = self.shop.printer
        if printer.shop_name:
            self.line(printer.shop_name, align="center", bold=True, big=True)
        for text in printer.shop_address:
            self.line(text, align="center")
        if printer.vat_number:
            self.line(f"VAT {printer.vat_number}", align="center")
        self.line("")

    def footer(self) -> None:
        self.line("")
        for text in self.shop.printer.footer:
            self.line(text, align="center")

    def copy_mark(self) -> None:
        self.line("*** COPY ***", align="center", bold=True)

    def qr(self, data: str) -> None:
        self._set("center", False, False)
        self._out.qr(data, native=True, size=6)

    def cut(self) -> bytes:
        self._set("left", False, False)
        self._out.cut()
        return bytes(self._out.output)
