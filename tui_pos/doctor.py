"""``tui-pos doctor``: what support needs to know about a till, as plain text over SSH;
the till's support screen (Ctrl+S) shows the same report (:func:`support_report`).

It changes nothing at Afosto (an order that does not exist proves the token) and leaves
the live till alone: it reads the journal beside it (SQLite WAL) and proves with one
tiny write that the journal can still be written. Exits 0 when nothing is wrong, else 1.
"""

from __future__ import annotations

import asyncio
import grp
import io
import os
import platform
import pwd
import stat
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr

from tui_pos import __version__
from tui_pos.afosto import AfostoClient, AfostoError, Forbidden, NotFound, Unauthorized
from tui_pos.afosto.assumed import PAGE_METHOD_CODES, PaymentOptions
from tui_pos.checkout.journal import (
    JOURNAL_NAME,
    REPAIR,
    Journal,
    JournalError,
    JournalProblem,
    SaleRecord,
    SaleStatus,
    lost,
)
from tui_pos.checkout.options import default_terminal, pin_terminals
from tui_pos.checkout.schema import CURRENT, stored_version
from tui_pos.checkout.steps import PaymentOutcome, StepState, WatchPage
from tui_pos.config import ConfigError, ScannerSettings, Settings, credential_file
from tui_pos.scanner import find_device, list_candidates, open_device
from tui_pos.system.lock import LOCK_NAME, lock_holder
from tui_pos.system.redact import redact

PROBE_ORDER = "tui-pos-doctor-probe"
"""An order id that does not exist: NOT_FOUND proves the token, UNAUTHORIZED refutes it."""
STALE_STEP = 600.0
"""Seconds a call's outcome may stay unknown before it is a problem."""
RECENT_SALES = 5
ERROR_SALES = 20

ClientFactory = Callable[[Settings, SecretStr], AfostoClient]


def make_client(settings: Settings, token: SecretStr) -> AfostoClient:
    """The client the doctor uses: the till's settings, one short back-off."""
    return AfostoClient(
        settings.api_url, token, timeout=settings.request_timeout, rate_limit_backoff=(1.0,)
    )


def run_doctor(
    settings: Settings,
    *,
    out: TextIO,
    client_factory: ClientFactory = make_client,
    test_page: bool = False,
) -> int:
    """Write the report to ``out``; 0 when nothing is wrong, 1 otherwise. ``test_page``:
    the printer prints one."""
    return asyncio.run(
        diagnose(settings, out=out, client_factory=client_factory, test_page=test_page)
    )


class Report:
    """Plain-text sections; every line passes through the token's redaction."""

    def __init__(self, out: TextIO, secrets: list[str]) -> None:
        self._out = out
        self._secrets = secrets
        self.problems: list[str] = []

    def write(self, text: str) -> None:
        self._out.write(redact(text, self._secrets) + "\n")

    def section(self, title: str) -> None:
        self.write(f"\n{title}")

    def line(self, text: str) -> None:
        self.write(f"  {text}")

    def problem(self, text: str) -> None:
        self.problems.append(text)
        self.write(f"  PROBLEM: {text}")

    def finish(self) -> int:
        if not self.problems:
            self.write("\nResult: OK, nothing wrong found.")
            return 0
        self.write(f"\nResult: {len(self.problems)} problem(s):")
        for problem in self.problems:
            self.write(f"  - {problem}")
        return 1


async def diagnose(
    settings: Settings,
    *,
    out: TextIO,
    client_factory: ClientFactory = make_client,
    test_page: bool = False,
) -> int:
    """The report of :func:`run_doctor`, for callers that already run an event loop."""
    token = _token(settings)
    report = Report(out, [token.get_secret_value()] if isinstance(token, SecretStr) else [])
    report.write(f"tui-pos doctor on {platform.node()}, {_when(time.time())}")
    _settings(report, settings, token)
    _holder(report, settings.state_dir)
    path = settings.state_dir / JOURNAL_NAME
    journal, journal_problem = _open_journal(path)
    try:
        await _api(report, settings, token, client_factory, journal)
        _scanner(report, settings.scanner)
        await asyncio.to_thread(_printer, report, settings, test_page=test_page)
        if journal is not None:
            _printouts(report, journal)
        _journal(report, path, journal, journal_problem)
    finally:
        if journal is not None:
            journal.close()
    _versions(report)
    return report.finish()


def support_report(
    settings: Settings,
    *,
    demo: bool,
    reachable: bool | None,
    latency: float | None,
    journal: Journal,
    errors: list[str],
    scanner: str,
    printer: str | None = None,
) -> str:
    """The running till's support screen (Ctrl+S): the doctor's sections, with what the
    till knows of the API, its scanner and its recent errors instead of probing them."""
    out = io.StringIO()
    report = Report(out, [])
    if demo:
        report.write("Training mode: the simulator, and a scratch journal deleted on exit")
    _settings(report, settings, _token(settings))
    report.section(f"Afosto API at {settings.api_url}")
    api = {True: "reachable", False: "NOT reachable", None: "not asked yet"}[reachable]
    took = f", last answer in {latency * 1000:.0f} ms" if latency is not None else ""
    report.line(api + took)
    report.section("Scanner")
    report.line(scanner)
    if demo:
        report.line("(training mode reads no USB scanner)")
    else:
        _candidates(report)
    report.section("Receipt printer")
    report.line(printer or "none set up (printer.kind = none)")
    _printouts(report, journal)
    _journal(report, journal.path, journal, None)
    report.section("Recent errors on the screen")
    for error in errors[-10:] or ["none"]:
        report.line(error)
    _versions(report)
    return out.getvalue().strip("\n")


def _token(settings: Settings) -> SecretStr | ConfigError:
    try:
        return settings.token()
    except ConfigError as exc:
        return exc


def _versions(report: Report) -> None:
    report.section("Versions")
    report.line(f"tui-pos {__version__}, Python {platform.python_version()}")
    for package in ("textual", "httpx", "pydantic", "evdev"):
        try:
            report.line(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            report.line(f"{package}: not installed")
    report.line(f"{platform.system()} {platform.release()} {platform.machine()}")


def _settings(report: Report, settings: Settings, token: SecretStr | ConfigError) -> None:
    report.section("Settings in effect")
    if isinstance(token, ConfigError):
        report.problem(str(token))
    else:
        report.line(f"{'api_token':<19} set, {_token_source(settings)}, {_length(token)}")
    values = settings.model_dump(exclude={"api_token", "api_token_file"})
    for key, value in _flatten(values):
        report.line(f"{key:<19} {'-' if value is None else value}")
    if not settings.channel_id:
        report.problem("channel_id: not set")


def _holder(report: Report, state_dir: Path) -> None:
    """Which till holds the state directory (a probe of a moment: a till starting now
    waits it out)."""
    report.section(f"Till on {state_dir}")
    held, pid = lock_holder(state_dir)
    if not held:
        report.line(f"no till holds {state_dir / LOCK_NAME}: the till is not running")
        return
    holder = f"pid {pid}" if pid is not None else "pid unknown"
    command = _command(pid) if pid is not None else None
    report.line(f"running: {holder}" + (f" ({command})" if command else ""))


def _command(pid: int) -> str | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return raw.replace(b"\0", b" ").decode(errors="replace").strip() or None


def _token_source(settings: Settings) -> str:
    if settings.api_token is not None:
        return "inline (prefer a token file)"
    if settings.api_token_file == credential_file():
        return f"the systemd credential {settings.api_token_file}"
    return f"file {settings.api_token_file}"


def _length(token: SecretStr) -> str:
    return f"{len(token.get_secret_value())} characters"


def _flatten(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict):
            items += _flatten(value, f"{prefix}{key}.")
        else:
            items.append((prefix + key, value))
    return items


async def _api(
    report: Report,
    settings: Settings,
    token: SecretStr | ConfigError,
    client_factory: ClientFactory,
    journal: Journal | None,
) -> None:
    report.section(f"Afosto API at {settings.api_url}")
    if not isinstance(token, SecretStr):
        report.line("not checked: there is no token")
        return
    async with client_factory(settings, token) as client:
        timings = []
        for _ in range(2):  # the first call pays for connecting (TLS); the second does not
            started = time.perf_counter()
            try:
                await client.get_order(PROBE_ORDER)
            except NotFound:
                timings.append((time.perf_counter() - started) * 1000)
            except Unauthorized:
                report.problem("the API refuses the token: invalid or expired (401)")
                return
            except Forbidden:
                report.problem("the token may not read orders (403)")
                return
            except AfostoError as exc:
                report.problem(f"the API cannot be reached: {exc.message}")
                return
        report.line(f"reachable, {timings[1]:.0f} ms a call (first {timings[0]:.0f} ms)")
        report.line("token: valid")
        await _terminals(report, settings, client, journal)


async def _terminals(
    report: Report, settings: Settings, client: AfostoClient, journal: Journal | None
) -> None:
    report.section("PIN terminals")
    sale = next((s for s in journal.recent_sales(50) if s.order_id), None) if journal else None
    if sale is None or sale.order_id is None:
        report.line("unknown until the first sale (Afosto lists them on an order)")
        return
    try:
        order = await client.get_order(sale.order_id, with_options=True)
    except AfostoError as exc:
        report.line(f"unknown: order {sale.order_number} cannot be read ({exc.message})")
        return
    terminals = pin_terminals(order.options.payment) if order.options else []
    report.line(f"as Afosto lists them on order {order.number}, now:")
    for terminal in terminals:
        mark = ", the configured terminal_id" if terminal.id == settings.terminal_id else ""
        state = "online" if terminal.is_online else "offline"
        report.line(f"{terminal.label} ({terminal.id}): {state}{mark}")
    chosen = default_terminal(terminals, settings.terminal_id)
    if chosen is not None:
        report.line(f"card payments go to {chosen.label}")
    elif any(t.is_online for t in terminals):
        report.problem("more than one PIN terminal is online: set terminal_id to one of them")
    else:
        report.problem("no PIN terminal is online: the till can only take cash")
    if settings.terminal_id and (chosen is None or chosen.id != settings.terminal_id):
        listed = any(t.id == settings.terminal_id for t in terminals)
        state = "offline" if listed else "not one of them"
        report.problem(f"terminal_id {settings.terminal_id} is {state}")
    if order.options is not None:
        _methods(report, order.number, order.options.payment)


def _methods(report: Report, number: str, options: PaymentOptions) -> None:
    """The payment methods the last order offered, payment pages (FOLLOW) said so."""
    report.section("Payment methods")
    report.line(f"as Afosto offers them on order {number}:")
    for method in options.methods:
        page = ", paid on a payment page (QR code)" if method.code in PAGE_METHOD_CODES else ""
        report.line(f"{method.code}: {method.name} ({method.id}){page}")


def _candidates(report: Report) -> None:
    """The input devices that could be the scanner, and whether the till may read them."""
    candidates = list_candidates()
    if not candidates:
        report.line("no keyboard-like input device is plugged in")
    for candidate in candidates:
        access = "readable" if candidate.readable else candidate.problem
        report.line(f"{candidate.path}: {candidate.name} [{candidate.usb_id}], {access}")


def _scanner(report: Report, settings: ScannerSettings) -> None:
    report.section("Scanner")
    _candidates(report)
    if not settings.enabled:
        report.line("not used (scanner.enabled is false)")
        return
    try:
        path = find_device(settings)
        open_device(path).close()
    except PermissionError as exc:
        user = _name(os.geteuid())
        report.problem(f"{exc.filename}: {user} may not read it ({_node(exc.filename)})")
    except FileNotFoundError as exc:
        where = exc.filename or "no device matches scanner.name / scanner.usb_id"
        report.problem(f"scanner not found: {where} (plugged in? udev rule's ids right?)")
    except OSError as exc:
        report.problem(f"{exc.filename or 'scanner'}: not an input device ({exc.strerror})")
    else:
        report.line(f"the till reads {path} -> {os.path.realpath(path)} ({_node(path)})")


def _printer(report: Report, settings: Settings, *, test_page: bool) -> None:
    report.section("Receipt printer")
    if settings.printer.kind == "none":
        report.line("none set up (printer.kind = none): no receipts, no cash drawer")
        if test_page:
            report.problem("no test page: no printer is set up")
        return
    from tui_pos.printer.check import check_printer  # python-escpos: only when set up

    check = check_printer(settings, test_page=test_page)
    for line in check.lines:
        report.line(line)
    for problem in check.problems:
        report.problem(problem)


def _printouts(report: Report, journal: Journal) -> None:
    """What the till printed last, and a receipt that failed (the cashier can reprint)."""
    printouts = journal.printouts(limit=3)
    for printout in printouts:
        what = printout.kind.value.replace("_", " ")
        of = f" of sale #{printout.sale_id}" if printout.sale_id is not None else ""
        how = printout.state.value + (f": {printout.problem}" if printout.problem else "")
        report.line(
            f"{_when(printout.sent_at)} {what}{of}{' (COPY)' if printout.copy else ''} {how}"
        )
    if printouts and printouts[0].problem is not None:
        report.problem(
            f"the last printout failed: {printouts[0].problem} (F6 on the till reprints)"
        )


def _node(path: str) -> str:
    info = os.stat(path)
    return f"{_name(info.st_uid)}:{_group(info.st_gid)} {stat.filemode(info.st_mode)}"


def _name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _open_journal(path: Path) -> tuple[Journal | None, str | None]:
    """The journal and what is wrong with it; never creates one."""
    gone = lost(path)
    if gone is not None:
        return None, f"{path} {gone}: {REPAIR}"
    if not path.is_file():
        return None, f"{path} does not exist (has the till started? is state_dir right?)"
    owner = path.stat().st_uid
    if owner != os.geteuid():
        # SQLite would leave side files (-wal, -shm) the till's user cannot open.
        return None, f"{path} belongs to {_name(owner)}: run the doctor as that user"
    found = stored_version(path)
    if found is not None and found < CURRENT and lock_holder(path.parent)[0]:
        # Opening it would migrate it under a till that goes on writing the old records.
        return None, (
            f"{path} is of journal version {found}, and the till running on it is of an "
            f"earlier version: restart the till (systemctl restart tui-pos), then run this again"
        )
    try:
        journal = Journal(path)
    except JournalError as exc:
        return None, f"{exc}: {REPAIR}" if exc.reason is JournalProblem.DAMAGED else str(exc)
    try:
        journal.check_writable()
    except JournalError as exc:
        return journal, str(exc)
    return journal, None


def _journal(report: Report, path: Path, journal: Journal | None, problem: str | None) -> None:
    report.section(f"Journal {path}")
    if problem is not None:
        report.problem(f"journal: {problem}")
    if journal is None:
        return
    report.line(f"{path.stat().st_size // 1024} KiB, readable" + ("" if problem else ", writable"))
    _sale_in_progress(report, journal)
    _sales_set_aside(report, journal)
    for sale in journal.pending_invoices():
        report.problem(
            f"sale #{sale.id} (order {sale.order_number}) is paid but not invoiced yet "
            f"(since {_when(sale.started_at)}); the till keeps trying"
        )
    recent = journal.recent_sales(ERROR_SALES)
    report.line("recent sales:" if recent else "no sales yet")
    for sale in recent[:RECENT_SALES]:
        invoice = sale.note.invoice_number
        report.line(
            f"  #{sale.id} {_when(sale.started_at)} {sale.status.value}"
            f" order {sale.order_number or '-'}" + (f" invoice {invoice}" if invoice else "")
        )
    _recent_errors(report, journal, recent)


def _sale_in_progress(report: Report, journal: Journal) -> None:
    active = journal.active_sale()
    units = sum(journal.cart(active.id).values()) if active else 0
    if active is None or (active.order_id is None and not units):
        report.line("no sale in progress")
        return
    report.line(
        f"sale #{active.id} in progress since {_when(active.started_at)}: "
        f"order {active.order_number or '(none yet)'}, {units} item(s)"
    )
    _page_unknown(report, journal, active.id)
    now = time.time()
    stale = [step for step in journal.unresolved(active.id) if now - step.sent_at > STALE_STEP]
    if stale:
        report.problem(
            f"sale #{active.id}: {len(stale)} call(s) of unknown outcome since "
            f"{_when(stale[0].sent_at)} ({stale[0].kind}); the till reads them back"
        )


def _page_unknown(report: Report, journal: Journal, sale_id: int) -> None:
    """The sale's last page payment, when the customer may still pay it: the till was
    watching it when it stopped, or stopped watching it (read back PENDING)."""
    watches = journal.steps(sale_id, WatchPage)
    if not watches:
        return
    last = watches[-1]
    result = last.result
    pending = isinstance(result, PaymentOutcome) and result.status == "PENDING"
    if last.state is StepState.SENT or pending:
        report.problem(
            f"sale #{sale_id}: page payment {last.intent.payment_id} (shown since "
            f"{_when(last.sent_at)}) is not confirmed: the customer may still pay it. "
            "No new payment starts until the till reads it ended (F5 on the till)."
        )


def _sales_set_aside(report: Report, journal: Journal) -> None:
    """Sales whose order is gone from Afosto with money taken on it: kept for support."""
    active = journal.active_sale()
    kept = journal.set_aside_sales()
    if active is not None and active.note.gone_with_money:
        kept.append(active)
    for sale in kept:
        waiting = " (on the till: Ctrl+X sets it aside)" if sale.status is SaleStatus.ACTIVE else ""
        report.problem(
            f"sale #{sale.id} (order {sale.order_number}) was set aside{waiting}: its order "
            f"is gone from Afosto, but money was taken on it (since "
            f"{_when(sale.started_at)}). Settle it with support."
        )


def _recent_errors(report: Report, journal: Journal, sales: list[SaleRecord]) -> None:
    report.section("Recent errors (failed calls in the journal)")
    failed = [
        (step, sale)
        for sale in sales
        for step in journal.steps(sale.id)
        if step.state is StepState.FAILED
    ]
    if not failed:
        report.line("none")
    for step, sale in sorted(failed, key=lambda pair: pair[0].sent_at, reverse=True)[:10]:
        result = asdict(step.result) if step.result is not None else {}
        said = " ".join(f"{name}={value}" for name, value in result.items())
        report.line(f"{_when(step.sent_at)} sale #{sale.id} {step.kind}: {said or 'no answer'}")


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))
