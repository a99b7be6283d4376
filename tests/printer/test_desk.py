"""The printing desk (tui_pos.printer.desk) on a real journal and real printers: the
network printer of our own on 127.0.0.1 and, for a device that blocks for good, a FIFO
(opening one for writing blocks until a reader comes, as a stuck usblp device does)."""

from __future__ import annotations

import asyncio
import os
import select
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.printer.test_devices import RunsOutWhilePrinting, without_queries
from tests.printer.test_layout import PDF, RECEIPT, shop
from tests.support.netprinter import NetPrinter, PrinterState, closed_port
from tui_pos.checkout import Journal, SaleStatus
from tui_pos.checkout.printouts import PrintKind, PrintState
from tui_pos.config import PrinterSettings
from tui_pos.printer import desk as desk_module
from tui_pos.printer.desk import Outcome, PrintDesk
from tui_pos.printer.render import render

TIMEOUT = 0.5
COPY = "*** COPY ***"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal = Journal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


def paid(journal: Journal) -> int:
    """A paid sale with its receipt and its invoice."""
    sale_id = journal.new_sale()
    journal.set_status(sale_id, SaleStatus.DONE, receipt=replace(RECEIPT, sale_id=sale_id))
    journal.edit_note(
        sale_id, lambda note: replace(note, invoice_number="F2026-000123", invoice_url=PDF)
    )
    return sale_id


def settings_for(printer: NetPrinter | None, **changes: object) -> PrinterSettings:
    port = closed_port() if printer is None else printer.port
    values: dict[str, object] = {"timeout": TIMEOUT, **changes}
    return PrinterSettings(kind="network", host="127.0.0.1", port=port, **values)  # type: ignore[arg-type]


def make_desk(journal: Journal, printer: NetPrinter | None, **changes: object) -> PrintDesk:
    settings = settings_for(printer, **changes)
    return PrintDesk(journal, settings, replace(shop(), printer=settings))


def text_of(data: bytes) -> list[str]:
    return [line.strip() for line in render(without_queries(data), 42).plain(42)]


# --- receipts ---


async def test_a_receipt_printed_is_journaled_sent_then_done(journal: Journal) -> None:
    sale_id = paid(journal)
    with NetPrinter() as printer:
        desk = make_desk(journal, printer)
        task = asyncio.create_task(desk.print_receipt(sale_id))
        await asyncio.sleep(0)  # the task runs to its wait for the printer's thread
        (sent,) = journal.printouts(sale_id)
        assert (sent.kind, sent.state, sent.copy) == (PrintKind.RECEIPT, PrintState.SENT, False)
        report = await task
        printer.wait_for(lambda p: p.ended == 1)
        (data,) = printer.connections
    assert (report.outcome, report.copy, report.problem) == (Outcome.PRINTED, False, None)
    (done,) = journal.printouts(sale_id)
    assert (done.id, done.state) == (sent.id, PrintState.DONE)
    lines = text_of(data)
    assert "Order 1000042" in lines and COPY not in lines


async def test_the_last_paid_sale_is_printed_when_none_is_named(journal: Journal) -> None:
    paid(journal)
    last = paid(journal)
    with NetPrinter() as printer:
        report = await make_desk(journal, printer).print_receipt()
    assert (report.sale_id, report.outcome) == (last, Outcome.PRINTED)


async def test_a_receipt_that_failed_is_journaled_failed_with_its_words(journal: Journal) -> None:
    sale_id = paid(journal)
    with NetPrinter(state=PrinterState(paper_out=True)) as printer:
        report = await make_desk(journal, printer).print_receipt(sale_id)
    assert (report.outcome, report.problem) == (Outcome.FAILED, "out of paper")
    (failed,) = journal.printouts(sale_id)
    assert (failed.state, failed.problem, failed.partly) == (
        PrintState.FAILED,
        "out of paper",
        False,
    )


async def test_a_reprint_after_a_failure_that_printed_nothing_is_no_copy(
    journal: Journal,
) -> None:
    sale_id = paid(journal)
    with NetPrinter(state=PrinterState(paper_out=True)) as printer:
        desk = make_desk(journal, printer)
        assert (await desk.print_receipt(sale_id)).outcome is Outcome.FAILED
        printer.state.paper_out = False
        report = await desk.print_receipt(sale_id)
        printer.wait_for(lambda p: p.ended == 2)
        _, second = printer.connections
    assert (report.outcome, report.copy) == (Outcome.PRINTED, False)
    assert COPY not in text_of(second)


async def test_a_reprint_after_one_that_partly_printed_is_a_copy(journal: Journal) -> None:
    sale_id = paid(journal)
    running_out = RunsOutWhilePrinting()
    with running_out as printer:
        desk = make_desk(journal, printer)
        first = await desk.print_receipt(sale_id)
        assert (first.outcome, first.problem) == (Outcome.FAILED, "out of paper")
        assert journal.printouts(sale_id)[0].partly
        running_out.runs_out = printer.state.paper_out = False  # a new roll
        report = await desk.print_receipt(sale_id)
        printer.wait_for(lambda p: p.ended == 2)
        _, second = printer.connections
    assert (report.outcome, report.copy) == (Outcome.PRINTED, True)
    lines = text_of(second)
    assert lines.count(COPY) == 2 and "Order 1000042" in lines
    newest, _ = journal.printouts(sale_id)
    assert newest.copy


async def test_a_reprint_after_one_left_sent_by_a_crash_is_a_copy(journal: Journal) -> None:
    sale_id = paid(journal)
    journal.begin_printout(PrintKind.RECEIPT, sale_id)  # the till stopped while it printed
    with NetPrinter() as printer:
        report = await make_desk(journal, printer).print_receipt(sale_id)
        printer.wait_for(lambda p: p.ended == 1)
        (data,) = printer.connections
    assert (report.outcome, report.copy) == (Outcome.PRINTED, True)
    assert text_of(data).count(COPY) == 2


async def test_first_print_prints_once(journal: Journal) -> None:
    sale_id = paid(journal)
    with NetPrinter() as printer:
        desk = make_desk(journal, printer)
        assert (await desk.first_print(sale_id)).outcome is Outcome.PRINTED
        assert (await desk.first_print(sale_id)).outcome is Outcome.NOTHING
        printer.wait_for(lambda p: p.ended == 1)
        assert len(printer.connections) == 1
    assert len(journal.printouts(sale_id)) == 1


@pytest.mark.parametrize("policy", ["ask", "never"])
async def test_first_print_prints_nothing_unless_every_receipt_is_printed(
    journal: Journal, policy: str
) -> None:
    sale_id = paid(journal)
    with NetPrinter() as printer:
        report = await make_desk(journal, printer, receipt=policy).first_print(sale_id)
        assert printer.connections == []
    assert report.outcome is Outcome.NOTHING
    assert journal.printouts() == []


async def test_a_sale_without_a_receipt_prints_nothing(journal: Journal) -> None:
    with NetPrinter() as printer:
        report = await make_desk(journal, printer).print_receipt()
        assert printer.connections == []
    assert report.outcome is Outcome.NOTHING


# --- the drawer ---


@pytest.mark.parametrize("for_sale", [True, False], ids=["cash", "no-sale"])
async def test_the_drawer_is_kicked_once_and_journaled(journal: Journal, for_sale: bool) -> None:
    sale_id = paid(journal) if for_sale else None
    with NetPrinter() as printer:
        desk = make_desk(journal, printer, drawer_pin=5, drawer_pulse=200)
        report = await desk.open_drawer(sale_id)
        printer.wait_for(lambda p: p.ended == 1)
        (data,) = printer.connections
    assert report.outcome is Outcome.PRINTED
    (kick,) = render(without_queries(data)).drawer_kicks
    assert (kick.drawer_pin, kick.drawer_pulse_ms) == (5, 200)
    (printout,) = journal.printouts()
    kind = PrintKind.DRAWER if for_sale else PrintKind.NO_SALE
    assert (printout.kind, printout.sale_id, printout.state) == (kind, sale_id, PrintState.DONE)


async def test_the_drawer_opens_once_per_cash_payment_even_when_asked_again(
    journal: Journal,
) -> None:
    """A resumed sale (its cash seen paid again after a restart) or a second call for
    the same payment kicks nothing more; a second cash payment kicks once more."""
    sale_id = paid(journal)
    with NetPrinter() as printer:
        desk = make_desk(journal, printer)
        first = await asyncio.gather(*(desk.open_drawer(sale_id, cash_paid=1) for _ in range(2)))
        again = await make_desk(journal, printer).open_drawer(sale_id, cash_paid=1)
        second = await desk.open_drawer(sale_id, cash_paid=2)
        printer.wait_for(lambda p: p.ended == len(p.connections))
        assert len(printer.connections) == 2
    assert sorted(report.outcome for report in first) == [Outcome.NOTHING, Outcome.PRINTED]
    assert (again.outcome, second.outcome) == (Outcome.NOTHING, Outcome.PRINTED)
    assert len(journal.printouts(sale_id, kind=PrintKind.DRAWER)) == 2


# --- a device that blocks for good ---


def printer_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "printer"]


def read_until_closed(fd: int, timeout: float = 3.0) -> bytes:
    """What a writer wrote to the FIFO, once it has closed it."""
    deadline = time.monotonic() + timeout
    got = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if not ready:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            return got
        got += chunk
    raise AssertionError(f"the writer did not close in {timeout} s; read {got!r}")


async def test_a_hung_device_ends_the_wait_and_blocks_the_next_until_it_ends(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk_module, "GRACE_SECONDS", 0.2)
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    settings = PrinterSettings(kind="file", device=fifo, timeout=0.3)
    desk = PrintDesk(journal, settings, replace(shop(), printer=settings))
    sale_id = paid(journal)
    started = time.monotonic()
    first = await desk.print_receipt(sale_id)
    assert time.monotonic() - started < 3 * 0.3 + 0.2 + 0.5
    assert (first.outcome, first.problem) == (Outcome.FAILED, "is not responding")
    (stuck,) = printer_threads()

    started = time.monotonic()
    second = await desk.print_receipt(sale_id)
    assert time.monotonic() - started < 0.2
    assert (second.outcome, second.problem) == (
        Outcome.FAILED,
        "is still not responding (the last printout is stuck)",
    )
    newest, oldest = journal.printouts(sale_id)
    assert (oldest.state, oldest.partly) == (PrintState.FAILED, True)
    assert (newest.state, newest.partly) == (PrintState.FAILED, False)

    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the device comes back
    try:
        assert "Order 1000042" in text_of(read_until_closed(reader))
        stuck.join(2.0)
        assert not stuck.is_alive()
        third = await desk.print_receipt(sale_id)
        assert (third.outcome, third.copy) == (Outcome.SENT, True)  # a file cannot confirm
        assert text_of(read_until_closed(reader)).count(COPY) == 2
    finally:
        os.close(reader)
    assert printer_threads() == []


# --- after a restart ---


def test_unprinted_a_paid_sale_without_printouts_is_offered_when_each_is_printed(
    journal: Journal,
) -> None:
    sale_id = paid(journal)
    assert make_desk(journal, None).unprinted() == (sale_id, "1000042", False)
    assert make_desk(journal, None, receipt="ask").unprinted() is None
    assert make_desk(journal, None, receipt="never").unprinted() is None


def test_unprinted_one_left_sent_is_offered_as_a_copy(journal: Journal) -> None:
    sale_id = paid(journal)
    journal.begin_printout(PrintKind.RECEIPT, sale_id)
    assert make_desk(journal, None).unprinted() == (sale_id, "1000042", True)
    assert make_desk(journal, None, receipt="ask").unprinted() == (sale_id, "1000042", True)


def test_unprinted_one_done_is_not_offered(journal: Journal) -> None:
    sale_id = paid(journal)
    journal.end_printout(journal.begin_printout(PrintKind.RECEIPT, sale_id))
    assert make_desk(journal, None).unprinted() is None


def test_unprinted_one_failed_is_offered(journal: Journal) -> None:
    sale_id = paid(journal)
    journal.end_printout(journal.begin_printout(PrintKind.RECEIPT, sale_id), "out of paper")
    assert make_desk(journal, None).unprinted() == (sale_id, "1000042", False)
    journal.end_printout(
        journal.begin_printout(PrintKind.RECEIPT, sale_id), "dropped the connection", partly=True
    )
    assert make_desk(journal, None).unprinted() == (sale_id, "1000042", True)


def test_unprinted_only_the_last_paid_sale(journal: Journal) -> None:
    paid(journal)
    last = paid(journal)
    journal.end_printout(journal.begin_printout(PrintKind.RECEIPT, last))
    assert make_desk(journal, None).unprinted() is None


# --- the desk's adversary ---


async def test_first_print_called_twice_at_once_prints_once(journal: Journal) -> None:
    sale_id = paid(journal)
    with NetPrinter() as printer:
        desk = make_desk(journal, printer)
        # the drawer opening for the cash holds the printer as the two calls come
        drawer, *reports = await asyncio.gather(
            desk.open_drawer(sale_id), desk.first_print(sale_id), desk.first_print(sale_id)
        )
        printer.wait_for(lambda p: p.ended == len(p.connections))
        assert len(printer.connections) == 2  # the drawer, one receipt
    assert drawer.outcome is Outcome.PRINTED
    assert sorted(report.outcome for report in reports) == [Outcome.NOTHING, Outcome.PRINTED]
    assert len(journal.printouts(sale_id, kind=PrintKind.RECEIPT)) == 1


async def test_a_failure_in_words_has_its_cause_in_the_log(
    journal: Journal, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_port = tmp_path / "ttyS0"
    not_a_port.touch()  # a serial device that is a plain file: pyserial cannot set it up
    settings = PrinterSettings(kind="serial", device=not_a_port, timeout=TIMEOUT)
    desk = PrintDesk(journal, settings, replace(shop(), printer=settings))
    with caplog.at_level("WARNING", logger="tui_pos.printer.desk"):
        report = await desk.print_receipt(paid(journal))
    assert report.outcome is Outcome.FAILED and report.problem
    assert report.problem in caplog.text
    assert "Inappropriate ioctl for device" in caplog.text  # what the library said


async def test_a_journal_that_fails_after_printing_does_not_say_not_printed(
    tmp_path: Path,
) -> None:
    # The journal cannot record the end (here: closed under the desk). The receipt went
    # out: the report says so, and the journal's "sent" makes it a copy after a restart.
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    sale_id = paid(journal)
    with NetPrinter() as printer:
        desk = make_desk(journal, printer)
        task = asyncio.create_task(desk.print_receipt(sale_id))
        await asyncio.sleep(0)  # journaled sent; the thread on its way
        journal.close()
        report = await task
        printer.wait_for(lambda p: p.ended == 1)
    assert report.outcome is Outcome.PRINTED
    again = Journal(path)
    try:
        (printout,) = again.printouts(sale_id)
        assert printout.state is PrintState.SENT
        assert make_desk(again, None).unprinted() == (sale_id, "1000042", True)
    finally:
        again.close()


async def test_a_journal_that_fails_before_printing_prints_nothing(tmp_path: Path) -> None:
    from tui_pos.checkout.journal import JournalError

    journal = Journal(tmp_path / "journal.sqlite3")
    sale_id = paid(journal)
    with NetPrinter() as printer:
        desk = make_desk(journal, printer)
        receipt = journal.receipt(sale_id)
        journal.close()
        with pytest.raises(JournalError):
            await desk.open_drawer(sale_id)
        assert printer.connections == [] and receipt is not None


def test_the_loop_closing_while_a_device_is_stuck_leaves_no_error_behind(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk_module, "GRACE_SECONDS", 0.1)
    errors: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", errors.append)
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    settings = PrinterSettings(kind="file", device=fifo, timeout=0.2)
    desk = PrintDesk(journal, settings, replace(shop(), printer=settings))
    loop = asyncio.new_event_loop()
    try:
        report = loop.run_until_complete(desk.open_drawer(None))
    finally:
        loop.close()
    assert report.problem == "is not responding"
    (stuck,) = printer_threads()
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the device comes back
    try:
        assert render(read_until_closed(reader)).drawer_kicks
        stuck.join(2.0)
    finally:
        os.close(reader)
    assert not stuck.is_alive() and errors == []
