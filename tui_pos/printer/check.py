"""The printer as support sees it (``tui-pos doctor``): how it is set up, whether it
answers and what it says of its paper, and a test page on request."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tui_pos.config import Settings
from tui_pos.printer.devices import Printer, PrinterFault, deliver
from tui_pos.printer.layout import Shop, test_page_bytes


class PrinterProblem(StrEnum):
    """What kind of problem the check found (the doctor's problem codes)."""

    UNREACHABLE = "printer_unreachable"
    NOT_READY = "printer_not_ready"
    TEST_PAGE_FAILED = "printer_test_page_failed"


@dataclass
class PrinterCheck:
    lines: list[str] = field(default_factory=list)
    problems: list[tuple[PrinterProblem, str]] = field(default_factory=list)


def describe(settings: Settings) -> str:
    """The printer's settings in one line."""
    printer = settings.printer
    where = {
        "network": f"network {printer.host}:{printer.port}",
        "file": f"device {printer.device}",
        "serial": f"serial {printer.device} at {printer.baudrate} baud",
        "usb": f"USB {printer.usb_id}",
        "screen": "on the screen (training)",
    }[printer.kind]
    drawer = (
        f"drawer on pin {printer.drawer_pin}, {printer.drawer_pulse} ms"
        if printer.drawer
        else "no drawer"
    )
    return (
        f"{where}; profile {printer.profile}, code page {printer.codepage}, "
        f"{printer.columns} columns; receipts: {printer.receipt}; {drawer}"
    )


def check_printer(settings: Settings, *, test_page: bool = False) -> PrinterCheck:
    """Connect, ask the status, and print the test page when asked."""
    check = PrinterCheck([describe(settings)])
    printer = settings.printer
    if printer.kind == "screen":
        return check
    try:
        with Printer(printer) as connection:
            status = connection.status()
    except PrinterFault as fault:
        check.problems.append((PrinterProblem.UNREACHABLE, f"printer: {fault}"))
        return check
    check.lines.append(f"reachable; it says: {status.words}")
    if status.problem is not None:
        check.problems.append((PrinterProblem.NOT_READY, f"printer: {status.problem}"))
    elif status.paper_low:
        check.lines.append("paper low: put a new roll ready")
    if test_page:
        shop = Shop(printer, settings.till_name, settings.locale)
        try:
            confirmed = deliver(printer, test_page_bytes(shop))
        except PrinterFault as fault:
            check.problems.append(
                (PrinterProblem.TEST_PAGE_FAILED, f"test page not printed: printer: {fault}")
            )
        else:
            check.lines.append(
                "test page printed" if confirmed else "test page sent (the printer cannot confirm)"
            )
    return check
