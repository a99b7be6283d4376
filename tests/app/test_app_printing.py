"""The till's receipts and cash drawer against a real network printer on 127.0.0.1 (a
raw-TCP socket of our own, :class:`NetPrinter`), driven by the cashier's keys: what
reaches the printer, decoded back; every fault leaves the sale done and the receipt
reprintable; after a stop between paying and printing, the receipt is offered and never
printed twice by itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from tests.support.appkit import CODES, fast_simulator, make_app, network_printer, scan, screen_text
from tests.support.netprinter import NetPrinter, PrinterState, closed_port
from tests.support.waiting import eventually, wait_for
from tui_pos.app import TillApp
from tui_pos.app.printing import Printing
from tui_pos.app.runtime import DEMO_API_URL
from tui_pos.app.screens.result import ResultScreen
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.checkout import Journal, Phase
from tui_pos.checkout.journal import JOURNAL_NAME
from tui_pos.checkout.printouts import PrintKind, PrintState
from tui_pos.config import PrinterSettings
from tui_pos.money import format_money
from tui_pos.printer.render import Printed, UnknownCommand, render
from tui_pos.sim import Simulator

KICK = b"\x1bp"
"""ESC p: the drawer kick."""
INIT = b"\x1b@"
"""ESC @: every receipt's first command (a drawer kick has none)."""
COLUMNS = 42
BOX = str.maketrans("", "", "┌┐└┘─│")
"""The paper panel's border, left out of its text."""


def receipts(printer: NetPrinter) -> list[bytes]:
    """What each connection that carried a receipt (it starts with ESC @) received."""
    return [data for data in printer.connections if INIT in data]


def whole(data: bytes) -> bool:
    """The receipt reached the printer up to its cut."""
    try:
        return render(data, COLUMNS).cuts == 1
    except UnknownCommand:  # cut off in a command
        return False


def receipt_ended(printer: NetPrinter, count: int = 1) -> bool:
    """``count`` receipts are at the printer, each whole."""
    return len([data for data in receipts(printer) if whole(data)]) >= count


def skus(app: TillApp) -> list[str]:
    return [line.sku for line in app.view.lines]


def wedge_scan(app: TillApp, code: str) -> None:
    """A keyboard-wedge scanner: every key of the code and Enter at once."""
    for char in code:
        app.post_message(events.Key(char, char))
    app.post_message(events.Key("enter", "\r"))


def text_of(printed: Printed) -> str:
    return "\n".join(line.rstrip() for line in printed.plain(COLUMNS))


def words(app: TillApp) -> str:
    """The screen's text on one line (the message line may wrap)."""
    return " ".join(screen_text(app).split())


def drawn(app: TillApp, widget: str) -> str:
    """What ``widget`` shows on the screen, on one line (it may take two)."""
    region = app.screen.query_one(widget).region
    rows = screen_text(app).splitlines()[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right] for row in rows).split())


def message_line(app: TillApp) -> str:
    return drawn(app, "#message")


def status_line(app: TillApp) -> str:
    return drawn(app, "#status")


def pdf_url(sim: Simulator) -> str:
    """The pdf URL of the simulator's only invoice, as Afosto gives it to the till."""
    (invoice,) = sim.store.invoices.values()
    return f"{DEMO_API_URL}/api/commerce/invoices/{invoice.id}/pdf"


@pytest.fixture
def printer() -> Iterator[NetPrinter]:
    with NetPrinter() as netprinter:
        yield netprinter


@pytest.fixture(autouse=True)
def no_printer_thread_left() -> Iterator[None]:
    """Every printout's thread has ended by the end of the test (a hung one is freed
    when its printer goes)."""
    yield
    eventually(
        lambda: not [t for t in threading.enumerate() if t.name == "printer"],
        "the end of every printer thread",
    )


async def pay_by_card(pilot: Pilot[None], app: TillApp, *codes: str) -> None:
    await scan(pilot, app, *codes)
    await pilot.press("f9")
    await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="the sale done")


async def pay_cash(pilot: Pilot[None], app: TillApp, *codes: str, tendered: str = "50") -> None:
    await scan(pilot, app, *codes)
    await pilot.press("f10")
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "CashScreen")
    await pilot.press(*tendered, "enter")
    await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="the sale done")


async def printed_words(pilot: Pilot[None], app: TillApp, text: str) -> None:
    await wait_for(pilot, lambda: text in (app.facts.note or ""), what=f"the note {text!r}")
    await pilot.pause()


# --- 1. a PIN sale and a cash sale: one receipt each, decoded back ---


def check_receipt(app: TillApp, sim: Simulator, data: bytes) -> Printed:
    printed = render(data, COLUMNS)
    text = text_of(printed)
    view = app.view
    money = format_money
    assert f"Order {view.order_number}" in text
    assert "TOTAL" in text and money(view.total) in text
    assert view.invoice_number and f"Invoice {view.invoice_number}" in text
    assert printed.qr_codes == (pdf_url(sim),)
    assert printed.cuts == 1
    assert "COPY" not in text
    return printed


async def test_a_pin_sale_prints_one_receipt_and_opens_no_drawer(printer: NetPrinter) -> None:
    sim = fast_simulator()
    app = make_app(sim, use_printer=network_printer(printer.port))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_by_card(pilot, app, CODES[0], CODES[1])
        await printed_words(pilot, app, "Receipt printed.")
        assert "Receipt printed." in message_line(app)
        (data,) = receipts(printer)
        printed = check_receipt(app, sim, data)
        assert f"Card {format_money(app.view.total)}" in " ".join(text_of(printed).split())
        assert "Change" not in text_of(printed)
        assert render(printer.received, COLUMNS).drawer_kicks == ()
        assert app.facts.printer is None  # the status line says nothing of it


async def test_a_cash_sale_opens_the_drawer_first_then_prints_one_receipt(
    printer: NetPrinter,
) -> None:
    sim = fast_simulator()
    app = make_app(sim, use_printer=network_printer(printer.port))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_cash(pilot, app, CODES[0], CODES[1], tendered="50")
        await printed_words(pilot, app, "Receipt printed.")
        view = app.view
        assert view.change is not None and view.change > 0
        (data,) = receipts(printer)
        printed = check_receipt(app, sim, data)
        flat = " ".join(text_of(printed).split())
        assert f"Cash {format_money(view.total)}" in flat
        assert f"Change {format_money(view.change)}" in flat
        everything = printer.received
        assert len(render(everything, COLUMNS).drawer_kicks) == 1
        assert printed.drawer_kicks == ()  # the kick came on its own, before the receipt
        assert everything.index(KICK) < everything.index(INIT)
        (kick,) = app.runtime.journal().printouts(kind=PrintKind.DRAWER)
        assert kick.state is PrintState.DONE and kick.sale_id == app.sale.sale_id


# --- 2. faults: the sale is done, the receipt reprintable ---


def printing_now(app: TillApp) -> bool:
    return any(w.group == "printer" and w.is_running for w in app.workers)


async def printer_idle(pilot: Pilot[None], app: TillApp, seconds: float = 10) -> None:
    await wait_for(pilot, lambda: not printing_now(app), seconds, "the printer's work to end")
    await pilot.pause()


def is_copy(data: bytes) -> bool:
    return "*** COPY ***" in text_of(render(data, COLUMNS))


async def reprint(pilot: Pilot[None], app: TillApp, printer: NetPrinter, words: str) -> bytes:
    """F6, and the receipt it printed (the newest at the printer)."""
    before = len(receipts(printer))
    await pilot.press("f6")
    await printed_words(pilot, app, words)
    printer.wait_for(lambda p: len(receipts(p)) == before + 1 and whole(receipts(p)[-1]))
    return receipts(printer)[-1]


async def test_a_printer_that_refuses_leaves_the_sale_done_then_f6_prints_it() -> None:
    port = closed_port()
    app = make_app(use_printer=network_printer(port))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_by_card(pilot, app, CODES[0])
        await printed_words(pilot, app, "Printer: refused the connection")
        assert isinstance(app.screen, ResultScreen) and app.view.phase is Phase.DONE
        assert "the sale is done; reprint with F6 once it is back." in message_line(app)
        assert app.facts.printer == "Printer: NOT OK"
        wedge_scan(app, CODES[1])  # the next sale, at once
        await wait_for(pilot, lambda: app.view.synced and skus(app) == [CODES[1]])
        assert isinstance(app.screen, SaleScreen)
        assert status_line(app).endswith("Kassa 1 - Worldline online Printer: NOT OK")
        with NetPrinter(port=port) as printer:  # switched on again
            data = await reprint(pilot, app, printer, "Receipt printed.")
        assert not is_copy(data)  # nothing of the first reached a printer
        assert app.facts.printer is None and "Printer" not in status_line(app)


async def test_out_of_paper_before_printing_says_so_then_f6_prints_it_once_refilled() -> None:
    state = PrinterState(paper_out=True)
    with NetPrinter(state=state) as printer:
        app = make_app(use_printer=network_printer(printer.port))
        async with app.run_test(size=(80, 24)) as pilot:
            await pay_by_card(pilot, app, CODES[0])
            message = (
                "Printer: out of paper - the sale is done; reprint with F6 once it is refilled."
            )
            await printed_words(pilot, app, message)
            assert message in message_line(app) and app.facts.printer == "Printer: out of paper"
            assert isinstance(app.screen, ResultScreen) and app.view.phase is Phase.DONE
            assert receipts(printer) == []  # asked its status, and sent nothing
            await pilot.press("enter")  # the next sale
            await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))
            assert status_line(app).endswith("online Printer: out of paper")
            state.paper_out = False
            data = await reprint(pilot, app, printer, "Receipt printed.")
            assert not is_copy(data)
            assert "Printer" not in status_line(app)


async def test_a_printer_that_drops_mid_receipt_leaves_the_sale_done_then_f6_prints_a_copy() -> (
    None
):
    with NetPrinter("drop_after", drop_after=200) as printer:
        app = make_app(use_printer=network_printer(printer.port))
        async with app.run_test(size=(80, 24)) as pilot:
            await pay_by_card(pilot, app, CODES[0])
            printer.wait_for(lambda p: p.ended == 1)
            await printer_idle(pilot, app)
            assert isinstance(app.screen, ResultScreen) and app.view.phase is Phase.DONE
            assert not receipt_ended(printer)  # the cut never reached it
            printer.mode = "ok"
            data = await reprint(pilot, app, printer, "Receipt (COPY) printed.")
            assert is_copy(data)  # the first may have printed in part
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))


async def test_a_printer_that_drops_mid_receipt_is_said_and_journaled_as_failed() -> None:
    with NetPrinter("drop_after", drop_after=200) as printer:
        app = make_app(use_printer=network_printer(printer.port))
        async with app.run_test(size=(80, 24)) as pilot:
            await pay_by_card(pilot, app, CODES[0])
            printer.wait_for(lambda p: p.ended == 1)
            await printer_idle(pilot, app)
            (printout,) = app.runtime.journal().printouts(kind=PrintKind.RECEIPT)
            note = app.facts.note or ""
            # The drop is seen as the send fails or the status after it finds the line
            # down; a machine so loaded that the close comes after the status's second
            # gives a silent printer, which is said as unconfirmed. Never "printed".
            if printout.state is PrintState.DONE:
                assert "it cannot confirm it printed" in note, note
                assert printout.may_have_printed
            else:
                assert note.startswith("Printer: dropped the connection - the sale is done")
                assert printout.state is PrintState.FAILED and printout.partly


async def test_a_hanging_printer_never_holds_up_the_next_sale() -> None:
    """A printer that takes the connection and never reads nor answers: its receipt runs
    into every deadline while the cashier goes on with the next sale."""
    with NetPrinter("hang") as printer:
        app = make_app(use_printer=network_printer(printer.port, timeout=1.0))
        async with app.run_test(size=(80, 24)) as pilot:
            await pay_by_card(pilot, app, CODES[0])
            await wait_for(pilot, lambda: len(printer.connections) == 1)
            assert printing_now(app) and isinstance(app.screen, ResultScreen)
            wedge_scan(app, CODES[1])  # a scan on the result screen
            await wait_for(pilot, lambda: app.view.synced and skus(app) == [CODES[1]])
            assert printing_now(app), "the scan waited for the printer"
            assert isinstance(app.screen, SaleScreen)
            await printer_idle(pilot, app)
            # It never answered a status query: the till cannot know, and says so.
            assert "it cannot confirm it printed" in (app.facts.note or "")
            printer.mode = "ok"
            data = await reprint(pilot, app, printer, "Receipt (COPY) printed.")
            assert is_copy(data)


# --- 3. a stop between paying and printing, then a restart ---


async def loaded(pilot: Pilot[None], app: TillApp) -> None:
    """The printing desk is up: a receipt to offer has been offered by now."""
    await wait_for(pilot, lambda: app.printing is not None and app.printing.loaded)
    await pilot.pause()


def journal(state_dir: Path) -> Journal:
    """The journal a till left in ``state_dir``, opened afresh (the till closed its own)."""
    return Journal(state_dir / JOURNAL_NAME)


async def restart_offers_it_once(
    sim: Simulator, state_dir: Path, order: str, *, copy: bool
) -> None:
    """A second start on the same journal offers the receipt of ``order`` and prints
    nothing by itself; F6 prints it once; a third start offers nothing."""
    marked = ", marked COPY" if copy else ""
    offer = f"The receipt of order {order} may not have printed: F6 prints it{marked}."
    with NetPrinter() as printer:
        second = make_app(sim, use_printer=network_printer(printer.port), state_dir=state_dir)
        async with second.run_test(size=(80, 24)) as pilot:
            await loaded(pilot, second)
            assert second.facts.note == offer
            await wait_for(pilot, lambda: offer in message_line(second), what="the offer shown")
            await printer_idle(pilot, second)
            assert printer.connections == []  # offered, not printed
            assert isinstance(second.screen, SaleScreen) and second.view.lines == ()
            data = await reprint(
                pilot, second, printer, "Receipt (COPY) printed." if copy else "Receipt printed."
            )
            assert is_copy(data) is copy
            assert f"Order {order}" in text_of(render(data, COLUMNS))
        assert len(receipts(printer)) == 1
        third = make_app(sim, use_printer=network_printer(printer.port), state_dir=state_dir)
        async with third.run_test(size=(80, 24)) as pilot:
            await loaded(pilot, third)
            await printer_idle(pilot, third)
            assert third.facts.note is None and message_line(third) == ""
        assert len(printer.connections) == 1


async def test_a_stop_while_the_receipt_prints_then_a_restart_offers_a_copy(
    tmp_path: Path,
) -> None:
    sim = fast_simulator()
    with NetPrinter("hang") as stuck:
        first = make_app(sim, use_printer=network_printer(stuck.port), state_dir=tmp_path)
        async with first.run_test(size=(80, 24)) as pilot:
            await pay_by_card(pilot, first, CODES[0])
            await wait_for(pilot, lambda: len(stuck.connections) == 1)
            assert printing_now(first)
            order = first.view.order_number
        # The till stopped while the receipt was with the printer: it may have printed.
        (printout,) = journal(tmp_path).printouts(kind=PrintKind.RECEIPT)
        assert printout.state is PrintState.SENT
    assert order is not None
    await restart_offers_it_once(sim, tmp_path, order, copy=True)


async def test_a_stop_after_paying_before_printing_then_a_restart_offers_the_receipt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = fast_simulator()
    with NetPrinter() as printer:
        first = make_app(sim, use_printer=network_printer(printer.port), state_dir=tmp_path)
        with monkeypatch.context() as patch:  # the till is killed as the sale is paid
            patch.setattr(Printing, "sale_paid", lambda self, sale_id: None)
            async with first.run_test(size=(80, 24)) as pilot:
                await pay_by_card(pilot, first, CODES[0])
                order = first.view.order_number
        assert printer.connections == []
    assert journal(tmp_path).printouts() == [] and order is not None
    await restart_offers_it_once(sim, tmp_path, order, copy=False)


# --- 4. printer.receipt = ask | never ---


async def test_receipt_ask_prints_nothing_by_itself_and_p_prints_it(printer: NetPrinter) -> None:
    app = make_app(use_printer=network_printer(printer.port, receipt="ask"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_cash(pilot, app, CODES[0], tendered="5")
        await printed_words(pilot, app, "Drawer opened.")  # the cash: the drawer, always
        await printer_idle(pilot, app)
        assert receipts(printer) == []
        assert "P Print receipt" in words(app)
        await pilot.press("p")
        await printed_words(pilot, app, "Receipt printed.")
        printer.wait_for(lambda p: receipt_ended(p))
        (data,) = receipts(printer)
        assert not is_copy(data)


async def test_receipt_never_prints_nothing_by_itself_and_f6_still_prints_it(
    printer: NetPrinter,
) -> None:
    app = make_app(use_printer=network_printer(printer.port, receipt="never"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_by_card(pilot, app, CODES[0])
        await printer_idle(pilot, app)
        assert printer.connections == []
        assert "Print receipt" not in words(app) and "F6 Reprint" in words(app)
        data = await reprint(pilot, app, printer, "Receipt printed.")
        assert not is_copy(data)


async def test_f6_pressed_again_while_it_prints_adds_no_receipt(printer: NetPrinter) -> None:
    """A printer slow to answer (silent: the status waits its second): the presses of
    F6 while the reprint waits print nothing more; once it ended, F6 prints again."""
    app = make_app(use_printer=network_printer(printer.port, receipt="never"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_by_card(pilot, app, CODES[0])
        await printer_idle(pilot, app)
        printer.mode = "silent"
        await pilot.press("f6", "f6", "f6")
        await printed_words(pilot, app, "The receipt is on its way to the printer.")
        await printed_words(pilot, app, "Receipt sent to the printer")
        await printer_idle(pilot, app)
        printer.wait_for(lambda p: receipt_ended(p))
        assert len(receipts(printer)) == 1
        printer.mode = "ok"
        data = await reprint(pilot, app, printer, "Receipt (COPY) printed.")
        assert is_copy(data) and len(receipts(printer)) == 2


async def test_the_training_paper_starts_at_the_top_and_scrolls_with_the_page_keys() -> None:
    """The training till's printer on the screen (no mouse): the drawer kick and the
    receipt from their first line, PgDn and PgUp scroll it, a reprint is shown from its
    own first line."""
    from tui_pos.app.widgets.paper import Paper

    app = make_app(use_printer=PrinterSettings(kind="screen", shop_name="Demo shop"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pay_cash(pilot, app, *CODES[:3], tendered="50")
        await printed_words(pilot, app, "Receipt printed.")
        paper = app.screen.query_one(Paper)
        await wait_for(pilot, lambda: len(app.facts.paper) == 2 and paper.max_scroll_y > 0)
        await pilot.pause()
        assert paper.scroll_y == 0
        shown = " ".join(drawn(app, "#paper").translate(BOX).split())
        assert shown.startswith("Printer (training) [drawer opened] Demo shop")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: paper.scroll_y > 0, what="the paper scrolled down")
        await pilot.press("pageup")
        await wait_for(pilot, lambda: paper.scroll_y == 0, what="the paper scrolled up")
        await pilot.press("f6")
        await printed_words(pilot, app, "Receipt (COPY) printed.")
        await wait_for(pilot, lambda: paper.scroll_y > 0, what="the copy in view")
        assert "*** COPY ***" in drawn(app, "#paper")


# --- 5. the no-sale key, and a till without a drawer or a printer ---


async def test_f7_opens_the_drawer_and_journals_a_no_sale(printer: NetPrinter) -> None:
    app = make_app(use_printer=network_printer(printer.port))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f7")
        await printed_words(pilot, app, "Drawer opened.")
        assert "Drawer opened." in message_line(app) and isinstance(app.screen, SaleScreen)
        printer.wait_for(lambda p: p.ended == 1)
        assert len(render(printer.received, COLUMNS).drawer_kicks) == 1
        assert receipts(printer) == []
        (no_sale,) = app.runtime.journal().printouts(kind=PrintKind.NO_SALE)
        assert no_sale.state is PrintState.DONE and no_sale.sale_id is None
        assert app.runtime.journal().printouts(kind=PrintKind.DRAWER) == []


async def test_f7_without_a_drawer_says_so(printer: NetPrinter) -> None:
    app = make_app(use_printer=network_printer(printer.port, drawer=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f7")
        await printed_words(pilot, app, "No cash drawer is set up on this till")
        await pay_cash(pilot, app, CODES[0], tendered="5")
        await printed_words(pilot, app, "Receipt printed.")
        assert render(printer.received, COLUMNS).drawer_kicks == ()
        assert app.runtime.journal().printouts(kind=PrintKind.NO_SALE) == []


async def test_without_a_printer_the_keys_say_so_and_the_sale_works_as_before() -> None:
    app = make_app(use_printer=PrinterSettings())  # printer.kind none
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.printing is not None)
        assert app.runtime.settings.printer.kind == "none"
        await pilot.press("f6")
        await printed_words(pilot, app, "No receipt printer is set up on this till")
        await scan(pilot, app, CODES[0])  # a scan clears the message line
        assert app.facts.note is None
        await pilot.press("f7")
        await printed_words(pilot, app, "No receipt printer is set up on this till")
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen) and app.facts.paper == ()
        assert "Reprint" not in words(app) and "Printer" not in words(app)
        assert app.runtime.journal().printouts() == []
