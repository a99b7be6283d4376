"""`tui-pos doctor`'s printer section against a network printer of our own on
127.0.0.1: how it is set up, whether it answers, its paper, a test page on request, and
the till's last printouts."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.netprinter import NetPrinter, PrinterState, closed_port
from tui_pos.checkout import Journal
from tui_pos.checkout.journal import JOURNAL_NAME
from tui_pos.checkout.printouts import PrintKind
from tui_pos.config import PrinterSettings, ScannerSettings, Settings
from tui_pos.doctor import diagnose
from tui_pos.printer.render import render


@pytest.fixture
def printer() -> Iterator[NetPrinter]:
    with NetPrinter() as printer:
        yield printer


def settings(tmp_path: Path, port: int, **printer: object) -> Settings:
    """A till whose API is unreachable (the printer's section stands on its own)."""
    return Settings(
        api_url=f"http://127.0.0.1:{closed_port()}",
        api_token="tok_doctor_printer_4b9e1f7c",
        channel_id="c",
        state_dir=tmp_path,
        request_timeout=1,
        scanner=ScannerSettings(enabled=False),
        printer=PrinterSettings(
            kind="network",
            host="127.0.0.1",
            port=port,
            timeout=1,
            **printer,  # type: ignore[arg-type]
        ),
    )


async def printer_section(settings: Settings, *, test_page: bool = False) -> str:
    out = io.StringIO()
    await diagnose(settings, out=out, test_page=test_page)
    text = out.getvalue()
    return text[text.index("\nReceipt printer") : text.index("\nJournal ")]


async def test_a_printer_that_is_ready(tmp_path: Path, printer: NetPrinter) -> None:
    text = await printer_section(settings(tmp_path, printer.port))
    assert f"network 127.0.0.1:{printer.port}; profile TM-T20II, code page CP858" in text
    assert "receipts: always; drawer on pin 2, 100 ms" in text
    assert "reachable; it says: ready" in text and "PROBLEM" not in text
    assert b"\x1dV" not in printer.received  # nothing printed without --test-page


@pytest.mark.parametrize(
    ("state", "said"),
    [
        (PrinterState(paper_out=True), "PROBLEM: printer: out of paper"),
        (PrinterState(cover_open=True), "PROBLEM: printer: the cover is open"),
        (PrinterState(online=False), "PROBLEM: printer: offline"),
        (PrinterState(paper_low=True), "paper low: put a new roll ready"),
    ],
)
async def test_what_the_printer_says_of_itself(
    tmp_path: Path, printer: NetPrinter, state: PrinterState, said: str
) -> None:
    printer.state = state
    assert said in await printer_section(settings(tmp_path, printer.port))


async def test_a_printer_that_does_not_report_its_status(
    tmp_path: Path, printer: NetPrinter
) -> None:
    printer.mode = "silent"
    text = await printer_section(settings(tmp_path, printer.port))
    assert "reachable; it says: status unknown (the printer does not report it)" in text


async def test_a_printer_that_is_not_there(tmp_path: Path) -> None:
    text = await printer_section(settings(tmp_path, closed_port()))
    assert "PROBLEM: printer: refused the connection" in text


async def test_the_test_page(tmp_path: Path, printer: NetPrinter) -> None:
    text = await printer_section(settings(tmp_path, printer.port, columns=48), test_page=True)
    assert "test page printed" in text
    (page,) = [render(data, 48) for data in printer.connections if b"\x1dV" in data]
    assert "TEST PAGE" in "\n".join(page.plain(48)) and page.cuts == 1


async def test_no_test_page_from_a_printer_out_of_paper(
    tmp_path: Path, printer: NetPrinter
) -> None:
    printer.state = PrinterState(paper_out=True)
    text = await printer_section(settings(tmp_path, printer.port), test_page=True)
    assert "PROBLEM: test page not printed: printer: out of paper" in text
    assert b"\x1dV" not in printer.received


async def test_no_printer_set_up(tmp_path: Path) -> None:
    none = settings(tmp_path, 9100).model_copy(update={"printer": PrinterSettings()})
    text = await printer_section(none, test_page=True)
    assert "none set up (printer.kind = none)" in text
    assert "PROBLEM: no test page: no printer is set up" in text


async def test_the_last_printouts_and_a_failed_one(tmp_path: Path, printer: NetPrinter) -> None:
    journal = Journal(tmp_path / JOURNAL_NAME)
    sale = journal.new_sale()
    journal.end_printout(journal.begin_printout(PrintKind.DRAWER, sale))
    journal.end_printout(journal.begin_printout(PrintKind.RECEIPT, sale), "out of paper")
    journal.close()
    text = await printer_section(settings(tmp_path, printer.port))
    assert f"drawer of sale #{sale} done" in text
    assert f"receipt of sale #{sale} failed: out of paper" in text
    assert "PROBLEM: the last printout failed: out of paper (F6 on the till reprints)" in text
