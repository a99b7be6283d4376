"""The till's Prometheus metrics file: what the journal holds, written whole, never per
scan, and a write that fails said to support while the till goes on."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from textual.pilot import Pilot

from tests.support.appkit import CODES, fast_simulator, make_app, scan
from tests.support.simkit import MILK
from tests.support.waiting import wait_for
from tui_pos import __version__
from tui_pos.app import TillApp
from tui_pos.app.metrics import FILE_NAME, error_kind
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.checkout import DayBook, Phase, TerminalState
from tui_pos.checkout.steps import StartTerminal, WatchPage
from tui_pos.checkout.view import PageState
from tui_pos.sim import Fault

RULES = Path(__file__).parents[2] / "deploy" / "prometheus" / "tui-pos.rules.yml"
PROMTOOL = shutil.which("promtool")

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    """Every sample of a metrics file, by name and labels (the client library's parser)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found[(name, frozenset(labels.items()))]


async def write(pilot: Pilot[None], app: TillApp) -> Path:
    """Ask for a write and wait for it; the file."""
    metrics = app.metrics
    assert metrics is not None
    before = metrics.writes
    app._write_metrics()
    await wait_for(pilot, lambda: metrics.writes > before, what="the metrics written")
    return metrics.path


async def written(pilot: Pilot[None], app: TillApp) -> Samples:
    """Ask for a write and wait for it; the file's samples, checked by promtool too."""
    text = (await write(pilot, app)).read_text()
    if PROMTOOL is not None:  # Prometheus's own lint of names, units and types
        command = [PROMTOOL, "check", "metrics"]
        run = partial(subprocess.run, command, input=text, capture_output=True, text=True)
        check = await asyncio.to_thread(run)
        assert check.returncode == 0, check.stdout + check.stderr
    return samples(text)


async def next_sale(pilot: Pilot[None], app: TillApp) -> None:
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.view.phase is Phase.SCANNING and not app.view.lines)


async def test_a_pin_sale_a_cash_sale_an_invoice_pending_and_a_fault(tmp_path: Path) -> None:
    sim = fast_simulator()
    app = make_app(sim, metrics_dir=tmp_path, invoice_timeout=0.5)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f9")  # PIN
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE and not app.view.invoice_pending)
        await next_sale(pilot, app)
        await scan(pilot, app, CODES[1])
        await pilot.press("f10", "5", "0", "enter")  # cash, 50 tendered
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE and not app.view.invoice_pending)
        await next_sale(pilot, app)
        sim.invoice_delay = 30  # Afosto is slow to invoice: the sale waits in the outbox
        await scan(pilot, app, CODES[2])
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE and app.view.invoice_pending)
        await next_sale(pilot, app)
        sim.inject("addItemsToOrder", Fault("status", status=503))
        await pilot.press(*CODES[3], "enter")
        await wait_for(pilot, lambda: "problem on its side" in (app.view.error or ""))
        found = await written(pilot, app)

        assert app.till is not None
        journal = app.till.journal
        day = DayBook(journal).totals()
        assert day.sales == 3 and {t.method for t in day.tenders} == {"PIN", "CASH"}
        assert value(found, "tui_pos_sales_total") == day.sales  # all paid since it started
        assert value(found, "tui_pos_day_sales") == day.sales
        for tender in ("PIN", "CASH"):
            amount = day.tender(tender)
            assert value(found, "tui_pos_sales_cents_total", tender=tender.lower()) == amount
            assert value(found, "tui_pos_day_sales_cents", tender=tender.lower()) == amount
        last = journal.receipt()
        assert last is not None
        assert value(found, "tui_pos_last_sale_timestamp_seconds") == last.finished_at
        (pending,) = journal.pending_invoices()
        paid = journal.receipt(pending.id)
        assert paid is not None and pending.id == last.sale_id
        assert value(found, "tui_pos_invoices_pending") == 1
        assert value(found, "tui_pos_invoice_pending_oldest_timestamp_seconds") == paid.finished_at
        assert value(found, "tui_pos_unknown_outcomes") == 0
        assert (
            value(found, "tui_pos_api_errors_total", operation="AddItems", kind="unavailable") == 1
        )
        assert value(found, "tui_pos_api_up") == 1  # it answered: with a 503
        added = value(found, "tui_pos_api_request_duration_seconds_count", operation="AddItems")
        assert added == sim.requests["addItemsToOrder"] == 4  # three sales and the fault
        assert value(found, "tui_pos_info", version=__version__) == 1
        assert value(found, "tui_pos_terminal_up") == 1
        assert value(found, "tui_pos_printer_state", state="ok") == 1  # the screen's printer
        assert value(found, "tui_pos_printer_state", state="out_of_paper") == 0
        assert value(found, "tui_pos_scanner_state", state="none") == 1  # training: none
        size = journal.path.stat().st_size
        assert size <= value(found, "tui_pos_journal_size_bytes")
        assert {name for name, _ in found} >= {"tui_pos_metrics_written_timestamp_seconds"}


async def test_a_card_payment_not_confirmed_is_an_unknown_outcome(tmp_path: Path) -> None:
    sim = fast_simulator(terminal_delay=30)
    sim.inject("startPayment", Fault("drop_before"))  # the terminal's answer is lost
    app = make_app(sim, metrics_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)
        found = await written(pilot, app)
        assert app.till is not None
        journal = app.till.journal
        active = journal.active_sale()
        assert active is not None
        assert journal.unresolved(active.id) == []  # read back: the payment still runs
        (start,) = journal.steps(active.id, StartTerminal)
        assert start.result is not None and start.result.status == "PENDING"
        assert value(found, "tui_pos_unknown_outcomes") == 1
        oldest = value(found, "tui_pos_unknown_outcome_oldest_timestamp_seconds")
        assert oldest == start.sent_at
        kind = error_kind("OutcomeUnknown")
        errors = value(found, "tui_pos_api_errors_total", operation="startTerminal", kind=kind)
        assert errors == 1
        assert value(found, "tui_pos_sales_total") == 0


async def test_a_page_payment_not_confirmed_is_an_unknown_outcome(tmp_path: Path) -> None:
    """Watched, and after Esc (the customer may still pay it): one unknown outcome, since
    the page was shown, as the doctor says."""
    app = make_app(fast_simulator(), metrics_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await scan(pilot, app, MILK)
        await wait_for(pilot, lambda: bool(app.view.page_methods))
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, TenderScreen))
        await pilot.press("f5")
        await wait_for(pilot, lambda: app.view.page is not None)
        watching = await written(pilot, app)
        await pilot.press("escape")
        page = lambda: app.view.page  # noqa: E731
        await wait_for(pilot, lambda: page() is not None and page().state is PageState.UNKNOWN)
        stopped = await written(pilot, app)
        assert app.till is not None
        journal = app.till.journal
        active = journal.active_sale()
        assert active is not None
        (watch,) = journal.steps(active.id, WatchPage)
        assert watch.result is not None and watch.result.status == "PENDING"
        for found in (watching, stopped):
            assert value(found, "tui_pos_unknown_outcomes") == 1
            oldest = value(found, "tui_pos_unknown_outcome_oldest_timestamp_seconds")
            assert oldest == watch.sent_at


async def test_a_reader_never_sees_half_a_file(tmp_path: Path) -> None:
    """A reader in a loop while the till pays sales and writes its metrics many times
    sees the whole file each time: the previous one or the next. And each write is a new
    file renamed over the old: what a reader holds open stays the old file, whole."""
    app = make_app(fast_simulator(), metrics_dir=tmp_path)
    path = tmp_path / FILE_NAME
    stop, seen, bad = threading.Event(), [0], list[str]()

    def read() -> None:
        for _ in range(1_000_000):  # bounded: the test stops it long before
            if stop.is_set():
                return
            try:
                text = path.read_text()
            except FileNotFoundError:  # not written yet
                continue
            # Whole: from the first metric's help to the last one's sample and newline.
            whole = text.startswith("# HELP ") and text.endswith("\n")
            if not whole or "\ntui_pos_journal_size_bytes " not in text:
                bad.append(text)
            seen[0] += 1

    reader = threading.Thread(target=read, daemon=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.metrics is not None and app.metrics.writes > 0)
        reader.start()
        for code in CODES[:3]:
            with path.open("rb") as held:
                old = held.read()
                await scan(pilot, app, code)
                await pilot.press("f9")
                await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
                for _ in range(15):
                    await write(pilot, app)
                held.seek(0)
                assert held.read() == old  # never written into
                assert os.fstat(held.fileno()).st_ino != path.stat().st_ino
            await next_sale(pilot, app)
        stop.set()
        reader.join(5)
    assert not reader.is_alive()
    assert app.metrics is not None and app.metrics.writes > 45
    assert seen[0] > 0 and not bad


async def test_scans_do_not_write_a_sale_does(tmp_path: Path) -> None:
    app = make_app(fast_simulator(), metrics_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.metrics is not None and app.metrics.writes > 0)
        metrics = app.metrics
        assert metrics is not None
        before = metrics.writes
        for _ in range(8):
            await pilot.press(*CODES[0], "enter")
        await wait_for(pilot, lambda: app.view.synced and app.view.lines[0].quantity == 8)
        assert metrics.writes - before <= 1  # at most the 15 s write, had it fallen here
        await pilot.press("f9")
        after_scans = metrics.writes
        await wait_for(pilot, lambda: metrics.writes > after_scans, what="the sale's write")


async def test_a_write_that_fails_is_said_once_and_the_till_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"  # not made yet
    app = make_app(fast_simulator(), metrics_dir=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.metrics is not None and app.metrics.problem)
        metrics = app.metrics
        assert metrics is not None
        for code in CODES[:2]:  # sales, each asking for a write
            await scan(pilot, app, code)
            await pilot.press("f9")
            await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
            await next_sale(pilot, app)
        said = [error for error in app.errors if error.startswith("Metrics not written")]
        assert len(said) == 1 and str(folder) in said[0]
        assert metrics.writes == 0
        folder.mkdir()
        found = await written(pilot, app)
        assert metrics.problem is None and value(found, "tui_pos_sales_total") == 2


def test_every_name_follows_prometheus_naming(tmp_path: Path) -> None:
    """Without promtool too: the till's prefix, counters in ``_total``, labels lowercase."""
    from tests.support.waiting import eventually
    from tui_pos.app.metrics import MetricsWriter, TillState
    from tui_pos.checkout import Journal

    writer = MetricsWriter(tmp_path, Journal(tmp_path / "journal.sqlite3"))
    writer.observe("GetOrder", 0.2, "OutcomeUnknown")
    writer.start()
    try:
        writer.request(TillState(api_up=True, terminal_up=False, printer="ok"))
        eventually(lambda: writer.writes == 1, "the metrics written")
    finally:
        writer.stop()
    families = list(text_string_to_metric_families(writer.path.read_text()))
    assert len(families) > 10
    for family in families:
        assert family.name.startswith("tui_pos_")
        if family.type == "counter":
            assert all(s.name.endswith(("_total", "_created")) for s in family.samples)
        for sample in family.samples:
            assert all(label == label.lower() for label in sample.labels)


def exported() -> set[str]:
    """The metric names the till's writer spells, with their samples' suffixes."""
    from tui_pos.app import metrics

    names = set(re.findall(r'"(tui_pos_[a-z_]+)"', Path(metrics.__file__).read_text()))
    return (
        names
        | {f"{name}_total" for name in names}
        | {f"{name}_{part}" for name in names for part in ("bucket", "count", "sum")}
    )


def test_the_alerts_name_only_metrics_the_till_writes() -> None:
    if PROMTOOL is not None:
        check = subprocess.run([PROMTOOL, "check", "rules", str(RULES)], capture_output=True)
        assert check.returncode == 0, check.stdout + check.stderr
    yaml = pytest.importorskip("yaml")
    groups = yaml.safe_load(RULES.read_text())["groups"]
    rules = [rule for group in groups for rule in group["rules"]]
    assert {rule["alert"] for rule in rules} >= {
        "TuiPosInvoicePending",
        "TuiPosUnknownOutcome",
        "TuiPosTillNotReporting",
        "TuiPosPrinterOutOfPaper",
    }
    for rule in rules:
        named = set(re.findall(r"\b(tui_pos_[a-z_]+)", rule["expr"]))
        assert named and named <= exported(), rule["alert"]
