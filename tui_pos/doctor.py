"""``tui-pos doctor``: what support needs to know about a till, as plain text over SSH;
the till's support screen (Ctrl+S) shows the same report (:func:`support_report`).

It changes nothing at Afosto (an order that does not exist proves the token) and leaves
the live till alone: it reads the journal beside it (SQLite WAL) and proves with one
tiny write that the journal can still be written. Exits 0 when nothing is wrong, else 1.
``tui-pos doctor --json`` prints the same report as one JSON document
(``doctor.schema.json``): the same sections, their facts, each problem with its code.
"""

from __future__ import annotations

import asyncio
import grp
import io
import json
import os
import platform
import pwd
import stat
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
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
from tui_pos.printer.check import PrinterProblem
from tui_pos.scanner import find_device, list_candidates, open_device
from tui_pos.system.lock import LOCK_NAME, lock_holder
from tui_pos.system.redact import redact

PROBE_ORDER = "tui-pos-doctor-probe"
"""An order id that does not exist: NOT_FOUND proves the token, UNAUTHORIZED refutes it."""
STALE_STEP = 600.0
"""Seconds a call's outcome may stay unknown before it is a problem."""
RECENT_SALES = 5
ERROR_SALES = 20
SCHEMA_VERSION = 1
"""Of the JSON document; raised when a key changes meaning or goes away."""
SCHEMA_FILE = Path(__file__).with_name("doctor.schema.json")


class Problem(StrEnum):
    """Every problem the doctor can find, the ``code`` of its JSON (the schema and the
    README list them with their meaning)."""

    CONFIG_INVALID = "config_invalid"
    TOKEN_UNREADABLE = "token_unreadable"
    CHANNEL_NOT_SET = "channel_not_set"
    API_UNREACHABLE = "api_unreachable"
    TOKEN_REFUSED = "token_refused"
    TOKEN_FORBIDDEN = "token_forbidden"
    TERMINAL_AMBIGUOUS = "terminal_ambiguous"
    NO_TERMINAL_ONLINE = "no_terminal_online"
    TERMINAL_OFFLINE = "terminal_offline"
    TERMINAL_NOT_LISTED = "terminal_not_listed"
    SCANNER_NOT_PERMITTED = "scanner_not_permitted"
    SCANNER_NOT_FOUND = "scanner_not_found"
    SCANNER_NOT_INPUT_DEVICE = "scanner_not_input_device"
    PRINTER_UNREACHABLE = PrinterProblem.UNREACHABLE.value
    PRINTER_NOT_READY = PrinterProblem.NOT_READY.value
    PRINTER_TEST_PAGE_FAILED = PrinterProblem.TEST_PAGE_FAILED.value
    PRINTOUT_FAILED = "printout_failed"
    JOURNAL_MISSING = "journal_missing"
    JOURNAL_DAMAGED = "journal_damaged"
    JOURNAL_WRONG_OWNER = "journal_wrong_owner"
    JOURNAL_RESTART_TILL = "journal_restart_till"
    JOURNAL_UNUSABLE = "journal_unusable"
    JOURNAL_NOT_WRITABLE = "journal_not_writable"
    INVOICE_PENDING = "invoice_pending"
    OUTCOME_UNKNOWN = "outcome_unknown"
    PAGE_PAYMENT_UNCONFIRMED = "page_payment_unconfirmed"
    SALE_SET_ASIDE = "sale_set_aside"


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
    as_json: bool = False,
) -> int:
    """Write the report to ``out``; 0 when nothing is wrong, 1 otherwise. ``test_page``:
    the printer prints one; ``as_json``: the report as one JSON document."""
    return asyncio.run(
        diagnose(
            settings, out=out, client_factory=client_factory, test_page=test_page, as_json=as_json
        )
    )


@dataclass
class Section:
    """One part of the report: its heading, its lines and what they say as data."""

    title: str
    lines: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


class Report:
    """Sections of lines, facts and problems. As text (``out`` given) every line is
    written as it comes; :meth:`document` is the same report as JSON. Every string of
    either passes through the token's redaction."""

    def __init__(self, out: TextIO | None, secrets: list[str]) -> None:
        self._out = out
        self._secrets = secrets
        self.facts: dict[str, Any] = {}
        self.sections: dict[str, Section] = {}
        self._key: str | None = None
        self.problems: list[tuple[Problem, str, str | None]] = []
        self.sale_in_progress: bool | None = None
        """Whether the journal holds a sale in progress; None when it cannot be read."""

    def write(self, text: str) -> None:
        if self._out is not None:
            self._out.write(redact(text, self._secrets) + "\n")

    def section(self, key: str, title: str) -> None:
        self._key = key
        self.sections.setdefault(key, Section(title))
        self.write(f"\n{title}")

    def line(self, text: str) -> None:
        if self._key is not None:
            self.sections[self._key].lines.append(text)
        self.write(f"  {text}")

    def fact(self, **facts: Any) -> None:
        """Data of the current section (or of the report, before its first section)."""
        (self.sections[self._key].facts if self._key is not None else self.facts).update(facts)

    def problem(self, code: Problem, text: str) -> None:
        self.problems.append((code, text, self._key))
        self.write(f"  PROBLEM: {text}")

    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def finish(self) -> int:
        """The text's last lines; the exit code."""
        if not self.problems:
            self.write("\nResult: OK, nothing wrong found.")
        else:
            self.write(f"\nResult: {len(self.problems)} problem(s):")
        for _, problem, _ in self.problems:
            self.write(f"  - {problem}")
        return self.exit_code()

    def document(self, exit_code: int) -> dict[str, Any]:
        """The report as the JSON document of ``doctor.schema.json``."""
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "version": __version__,
            "healthy": exit_code == 0,
            "exit_code": exit_code,
            "sale_in_progress": self.sale_in_progress,
            "problems": [
                {"code": code.value, "message": text, "section": key}
                for code, text, key in self.problems
            ],
            **self.facts,
        }
        for key, section in self.sections.items():
            document[key] = {"title": section.title, "lines": section.lines, **section.facts}
        redacted: dict[str, Any] = _redacted(document, self._secrets)
        return redacted


def _redacted(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _redacted(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, secrets) for item in value]
    return value


def config_error_document(error: str) -> dict[str, Any]:
    """The JSON document when the settings cannot be read (exit 2): nothing was checked."""
    report = Report(None, [])
    report.problem(Problem.CONFIG_INVALID, f"configuration error: {error}")
    return report.document(2)


def write_json(document: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(document, indent=2) + "\n")


async def diagnose(
    settings: Settings,
    *,
    out: TextIO,
    client_factory: ClientFactory = make_client,
    test_page: bool = False,
    as_json: bool = False,
) -> int:
    """The report of :func:`run_doctor`, for callers that already run an event loop."""
    token = _token(settings)
    secrets = [token.get_secret_value()] if isinstance(token, SecretStr) else []
    report = Report(None if as_json else out, secrets)
    now = time.time()
    report.write(f"tui-pos doctor on {platform.node()}, {_when(now)}")
    report.fact(host=platform.node(), checked_at=_iso(now))
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
    if as_json:
        code = report.exit_code()
        write_json(report.document(code), out)
        return code
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
    report.section("api", f"Afosto API at {settings.api_url}")
    api = {True: "reachable", False: "NOT reachable", None: "not asked yet"}[reachable]
    took = f", last answer in {latency * 1000:.0f} ms" if latency is not None else ""
    report.line(api + took)
    report.section("scanner", "Scanner")
    report.line(scanner)
    if demo:
        report.line("(training mode reads no USB scanner)")
    else:
        _candidates(report)
    report.section("printer", "Receipt printer")
    report.line(printer or "none set up (printer.kind = none)")
    _printouts(report, journal)
    _journal(report, journal.path, journal, None)
    report.section("screen_errors", "Recent errors on the screen")
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
    report.section("versions", "Versions")
    report.line(f"tui-pos {__version__}, Python {platform.python_version()}")
    packages: dict[str, str | None] = {}
    for package in ("textual", "httpx", "pydantic", "evdev"):
        try:
            packages[package] = metadata.version(package)
            report.line(f"{package} {packages[package]}")
        except metadata.PackageNotFoundError:
            packages[package] = None
            report.line(f"{package}: not installed")
    system = f"{platform.system()} {platform.release()} {platform.machine()}"
    report.line(system)
    report.fact(
        tui_pos=__version__, python=platform.python_version(), packages=packages, system=system
    )


def _settings(report: Report, settings: Settings, token: SecretStr | ConfigError) -> None:
    report.section("settings", "Settings in effect")
    if isinstance(token, ConfigError):
        report.problem(Problem.TOKEN_UNREADABLE, str(token))
        report.fact(api_token={"set": False, "source": None, "length": None})
    else:
        source = _token_source(settings)
        report.line(f"{'api_token':<19} set, {source}, {_length(token)}")
        length = len(token.get_secret_value())
        report.fact(api_token={"set": True, "source": source, "length": length})
    exclude = {"api_token", "api_token_file"}
    values = settings.model_dump(exclude=exclude)
    for key, value in _flatten(values):
        report.line(f"{key:<19} {'-' if value is None else value}")
    report.fact(values=dict(_flatten(settings.model_dump(mode="json", exclude=exclude))))
    if not settings.channel_id:
        report.problem(Problem.CHANNEL_NOT_SET, "channel_id: not set")


def _holder(report: Report, state_dir: Path) -> None:
    """Which till holds the state directory (a probe of a moment: a till starting now
    waits it out)."""
    report.section("till", f"Till on {state_dir}")
    held, pid = lock_holder(state_dir)
    report.fact(state_dir=str(state_dir), running=held, pid=pid if held else None, command=None)
    if not held:
        report.line(f"no till holds {state_dir / LOCK_NAME}: the till is not running")
        return
    holder = f"pid {pid}" if pid is not None else "pid unknown"
    command = _command(pid) if pid is not None else None
    report.fact(command=command)
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
    report.section("api", f"Afosto API at {settings.api_url}")
    report.fact(url=settings.api_url, checked=False, reachable=None, token_valid=None, call_ms=None)
    if not isinstance(token, SecretStr):
        report.line("not checked: there is no token")
        return
    report.fact(checked=True)
    async with client_factory(settings, token) as client:
        timings = []
        for _ in range(2):  # the first call pays for connecting (TLS); the second does not
            started = time.perf_counter()
            try:
                await client.get_order(PROBE_ORDER)
            except NotFound:
                timings.append((time.perf_counter() - started) * 1000)
            except Unauthorized:
                report.fact(reachable=True, token_valid=False)
                report.problem(
                    Problem.TOKEN_REFUSED, "the API refuses the token: invalid or expired (401)"
                )
                return
            except Forbidden:
                report.fact(reachable=True, token_valid=False)
                report.problem(Problem.TOKEN_FORBIDDEN, "the token may not read orders (403)")
                return
            except AfostoError as exc:
                report.fact(reachable=False)
                report.problem(Problem.API_UNREACHABLE, f"the API cannot be reached: {exc.message}")
                return
        report.line(f"reachable, {timings[1]:.0f} ms a call (first {timings[0]:.0f} ms)")
        report.line("token: valid")
        report.fact(reachable=True, token_valid=True, call_ms=round(timings[1], 1))
        await _terminals(report, settings, client, journal)


async def _terminals(
    report: Report, settings: Settings, client: AfostoClient, journal: Journal | None
) -> None:
    report.section("terminals", "PIN terminals")
    report.fact(known=False, order_number=None, terminals=[], card_terminal=None)
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
    listed = []
    for terminal in terminals:
        configured = terminal.id == settings.terminal_id
        mark = ", the configured terminal_id" if configured else ""
        state = "online" if terminal.is_online else "offline"
        report.line(f"{terminal.label} ({terminal.id}): {state}{mark}")
        listed.append(
            {
                "id": terminal.id,
                "label": terminal.label,
                "online": terminal.is_online,
                "configured": configured,
            }
        )
    chosen = default_terminal(terminals, settings.terminal_id)
    report.fact(
        known=True,
        order_number=order.number,
        terminals=listed,
        card_terminal=chosen.id if chosen is not None else None,
    )
    if chosen is not None:
        report.line(f"card payments go to {chosen.label}")
    elif any(t.is_online for t in terminals):
        report.problem(
            Problem.TERMINAL_AMBIGUOUS,
            "more than one PIN terminal is online: set terminal_id to one of them",
        )
    else:
        report.problem(
            Problem.NO_TERMINAL_ONLINE, "no PIN terminal is online: the till can only take cash"
        )
    if settings.terminal_id and (chosen is None or chosen.id != settings.terminal_id):
        is_listed = any(t.id == settings.terminal_id for t in terminals)
        state = "offline" if is_listed else "not one of them"
        code = Problem.TERMINAL_OFFLINE if is_listed else Problem.TERMINAL_NOT_LISTED
        report.problem(code, f"terminal_id {settings.terminal_id} is {state}")
    if order.options is not None:
        _methods(report, order.number, order.options.payment)


def _methods(report: Report, number: str, options: PaymentOptions) -> None:
    """The payment methods the last order offered, payment pages (FOLLOW) said so."""
    report.section("payment_methods", "Payment methods")
    report.line(f"as Afosto offers them on order {number}:")
    methods = []
    for method in options.methods:
        on_page = method.code in PAGE_METHOD_CODES
        page = ", paid on a payment page (QR code)" if on_page else ""
        report.line(f"{method.code}: {method.name} ({method.id}){page}")
        methods.append(
            {"code": method.code, "name": method.name, "id": method.id, "payment_page": on_page}
        )
    report.fact(order_number=number, methods=methods)


def _candidates(report: Report) -> None:
    """The input devices that could be the scanner, and whether the till may read them."""
    candidates = list_candidates()
    if not candidates:
        report.line("no keyboard-like input device is plugged in")
    for candidate in candidates:
        access = "readable" if candidate.readable else candidate.problem
        report.line(f"{candidate.path}: {candidate.name} [{candidate.usb_id}], {access}")
    report.fact(
        candidates=[
            {
                "path": c.path,
                "name": c.name,
                "usb_id": c.usb_id,
                "readable": c.readable,
                "problem": c.problem,
            }
            for c in candidates
        ]
    )


def _scanner(report: Report, settings: ScannerSettings) -> None:
    report.section("scanner", "Scanner")
    _candidates(report)
    report.fact(enabled=settings.enabled, device=None)
    if not settings.enabled:
        report.line("not used (scanner.enabled is false)")
        return
    try:
        path = find_device(settings)
        open_device(path).close()
    except PermissionError as exc:
        user = _name(os.geteuid())
        report.problem(
            Problem.SCANNER_NOT_PERMITTED,
            f"{exc.filename}: {user} may not read it ({_node(exc.filename)})",
        )
    except FileNotFoundError as exc:
        where = exc.filename or "no device matches scanner.name / scanner.usb_id"
        report.problem(
            Problem.SCANNER_NOT_FOUND,
            f"scanner not found: {where} (plugged in? udev rule's ids right?)",
        )
    except OSError as exc:
        report.problem(
            Problem.SCANNER_NOT_INPUT_DEVICE,
            f"{exc.filename or 'scanner'}: not an input device ({exc.strerror})",
        )
    else:
        real = os.path.realpath(path)
        report.fact(device=real)
        report.line(f"the till reads {path} -> {real} ({_node(path)})")


def _printer(report: Report, settings: Settings, *, test_page: bool) -> None:
    report.section("printer", "Receipt printer")
    report.fact(kind=settings.printer.kind, printouts=[])
    if settings.printer.kind == "none":
        report.line("none set up (printer.kind = none): no receipts, no cash drawer")
        if test_page:
            report.problem(Problem.PRINTER_TEST_PAGE_FAILED, "no test page: no printer is set up")
        return
    from tui_pos.printer.check import check_printer  # python-escpos: only when set up

    check = check_printer(settings, test_page=test_page)
    for line in check.lines:
        report.line(line)
    for code, problem in check.problems:
        report.problem(Problem(code.value), problem)


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
    report.fact(
        printouts=[
            {
                "sent_at": _iso(p.sent_at),
                "kind": p.kind.value,
                "sale_id": p.sale_id,
                "copy": p.copy,
                "state": p.state.value,
                "problem": p.problem,
            }
            for p in printouts
        ]
    )
    if printouts and printouts[0].problem is not None:
        report.problem(
            Problem.PRINTOUT_FAILED,
            f"the last printout failed: {printouts[0].problem} (F6 on the till reprints)",
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


JournalFault = tuple[Problem, str]
"""What is wrong with the journal: its code and support's words."""


def _open_journal(path: Path) -> tuple[Journal | None, JournalFault | None]:
    """The journal and what is wrong with it; never creates one."""
    gone = lost(path)
    if gone is not None:
        return None, (Problem.JOURNAL_DAMAGED, f"{path} {gone}: {REPAIR}")
    if not path.is_file():
        return None, (
            Problem.JOURNAL_MISSING,
            f"{path} does not exist (has the till started? is state_dir right?)",
        )
    owner = path.stat().st_uid
    if owner != os.geteuid():
        # SQLite would leave side files (-wal, -shm) the till's user cannot open.
        return None, (
            Problem.JOURNAL_WRONG_OWNER,
            f"{path} belongs to {_name(owner)}: run the doctor as that user",
        )
    found = stored_version(path)
    if found is not None and found < CURRENT and lock_holder(path.parent)[0]:
        # Opening it would migrate it under a till that goes on writing the old records.
        return None, (
            Problem.JOURNAL_RESTART_TILL,
            f"{path} is of journal version {found}, and the till running on it is of an "
            f"earlier version: restart the till (systemctl restart tui-pos), then run this again",
        )
    try:
        journal = Journal(path)
    except JournalError as exc:
        if exc.reason is JournalProblem.DAMAGED:
            return None, (Problem.JOURNAL_DAMAGED, f"{exc}: {REPAIR}")
        return None, (Problem.JOURNAL_UNUSABLE, str(exc))
    try:
        journal.check_writable()
    except JournalError as exc:
        return journal, (Problem.JOURNAL_NOT_WRITABLE, str(exc))
    return journal, None


def _journal(
    report: Report, path: Path, journal: Journal | None, fault: JournalFault | None
) -> None:
    report.section("journal", f"Journal {path}")
    report.fact(
        path=str(path),
        readable=journal is not None,
        writable=journal is not None and fault is None,
        size_kib=None,
        sale=None,
        pending_invoices=[],
        set_aside=[],
        recent_sales=[],
    )
    if fault is not None:
        code, problem = fault
        report.problem(code, f"journal: {problem}")
    if journal is None:
        return
    size = path.stat().st_size // 1024
    report.fact(size_kib=size)
    report.line(f"{size} KiB, readable" + ("" if fault else ", writable"))
    _sale_in_progress(report, journal)
    _sales_set_aside(report, journal)
    pending = journal.pending_invoices()
    for sale in pending:
        report.problem(
            Problem.INVOICE_PENDING,
            f"sale #{sale.id} (order {sale.order_number}) is paid but not invoiced yet "
            f"(since {_when(sale.started_at)}); the till keeps trying",
        )
    recent = journal.recent_sales(ERROR_SALES)
    report.line("recent sales:" if recent else "no sales yet")
    for sale in recent[:RECENT_SALES]:
        invoice = sale.note.invoice_number
        report.line(
            f"  #{sale.id} {_when(sale.started_at)} {sale.status.value}"
            f" order {sale.order_number or '-'}" + (f" invoice {invoice}" if invoice else "")
        )
    report.fact(
        pending_invoices=[_sale_fact(sale) for sale in pending],
        recent_sales=[_sale_fact(sale) for sale in recent[:RECENT_SALES]],
    )
    _recent_errors(report, journal, recent)


def _sale_fact(sale: SaleRecord) -> dict[str, Any]:
    return {
        "id": sale.id,
        "started_at": _iso(sale.started_at),
        "status": sale.status.value,
        "order_number": sale.order_number,
        "invoice_number": sale.note.invoice_number,
    }


def _sale_in_progress(report: Report, journal: Journal) -> None:
    active = journal.active_sale()
    units = sum(journal.cart(active.id).values()) if active else 0
    report.sale_in_progress = active is not None and (active.order_id is not None or units > 0)
    if active is None or not report.sale_in_progress:
        report.line("no sale in progress")
        return
    report.line(
        f"sale #{active.id} in progress since {_when(active.started_at)}: "
        f"order {active.order_number or '(none yet)'}, {units} item(s)"
    )
    now = time.time()
    stale = [step for step in journal.unresolved(active.id) if now - step.sent_at > STALE_STEP]
    report.fact(sale={**_sale_fact(active), "items": units, "stale_calls": len(stale)})
    _page_unknown(report, journal, active.id)
    if stale:
        report.problem(
            Problem.OUTCOME_UNKNOWN,
            f"sale #{active.id}: {len(stale)} call(s) of unknown outcome since "
            f"{_when(stale[0].sent_at)} ({stale[0].kind}); the till reads them back",
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
            Problem.PAGE_PAYMENT_UNCONFIRMED,
            f"sale #{sale_id}: page payment {last.intent.payment_id} (shown since "
            f"{_when(last.sent_at)}) is not confirmed: the customer may still pay it. "
            "No new payment starts until the till reads it ended (F5 on the till).",
        )


def _sales_set_aside(report: Report, journal: Journal) -> None:
    """Sales whose order is gone from Afosto with money taken on it: kept for support."""
    active = journal.active_sale()
    kept = journal.set_aside_sales()
    if active is not None and active.note.gone_with_money:
        kept.append(active)
    report.fact(set_aside=[_sale_fact(sale) for sale in kept])
    for sale in kept:
        waiting = " (on the till: Ctrl+X sets it aside)" if sale.status is SaleStatus.ACTIVE else ""
        report.problem(
            Problem.SALE_SET_ASIDE,
            f"sale #{sale.id} (order {sale.order_number}) was set aside{waiting}: its order "
            f"is gone from Afosto, but money was taken on it (since "
            f"{_when(sale.started_at)}). Settle it with support.",
        )


def _recent_errors(report: Report, journal: Journal, sales: list[SaleRecord]) -> None:
    report.section("recent_errors", "Recent errors (failed calls in the journal)")
    failed = [
        (step, sale)
        for sale in sales
        for step in journal.steps(sale.id)
        if step.state is StepState.FAILED
    ]
    if not failed:
        report.line("none")
    shown = sorted(failed, key=lambda pair: pair[0].sent_at, reverse=True)[:10]
    calls = []
    for step, sale in shown:
        result = asdict(step.result) if step.result is not None else {}
        said = " ".join(f"{name}={value}" for name, value in result.items())
        report.line(f"{_when(step.sent_at)} sale #{sale.id} {step.kind}: {said or 'no answer'}")
        calls.append(
            {"sent_at": _iso(step.sent_at), "sale_id": sale.id, "kind": step.kind, "said": said}
        )
    report.fact(calls=calls)


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def _iso(timestamp: float) -> str:
    """A moment for the JSON: ISO 8601 in the till's time zone, with its offset."""
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")
