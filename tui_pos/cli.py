"""The tui-pos command: the till, its demo mode and the Afosto simulator."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_pos.checkout.journal import Unfinished
    from tui_pos.config import Settings

from tui_pos import DEFAULT_CONFIG, __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tui-pos", description=__doc__)
    parser.add_argument("--version", action="version", version=f"tui-pos {__version__}")
    parser.add_argument(
        "--config", type=Path, help=f"settings file (default {DEFAULT_CONFIG} if it exists)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="train on the built-in Afosto simulator"
    )
    commands = parser.add_subparsers(dest="command")
    doctor = commands.add_parser("doctor", help="check the till and print a report (for support)")
    doctor.add_argument(
        "--test-page", action="store_true", help="print a test page on the receipt printer"
    )
    doctor.add_argument(
        "--json",
        action="store_true",
        help="the report as one JSON document on stdout (tui_pos/doctor.schema.json)",
    )
    journal = commands.add_parser("journal", help="check a damaged journal, or set it aside")
    journal_commands = journal.add_subparsers(dest="action", required=True)
    journal_commands.add_parser(
        "check", help="say whether SQLite reads the journal whole (exit 0), or not (1)"
    )
    journal_commands.add_parser(
        "set-aside",
        help="rename a damaged journal (never delete it) and list the unfinished orders "
        "it held; the till then starts a fresh one",
    )
    from tui_pos.staff.command import add_arguments as add_cashier_arguments

    add_cashier_arguments(commands)
    day = commands.add_parser("day", help="the shop's closed days: their Z reports")
    day_commands = day.add_subparsers(dest="action", required=True)
    day_commands.add_parser("list", help="one line per closed day: number, closed, revenue")
    show = day_commands.add_parser("show", help="a closed day's Z report, as it was printed")
    show.add_argument("number", type=int, help="the day's number (from the list)")
    sim = commands.add_parser("sim", help="serve the Afosto simulator over HTTP")
    sim.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sim.add_argument("--port", type=int, default=8787, help="port (default 8787; 0 picks one)")
    sim.add_argument("--token", action="append", help="accepted bearer token (repeatable)")
    sim.add_argument("--latency", type=float, default=0.0, help="seconds added to each request")
    sim.add_argument("--terminal-delay", type=float, help="seconds a terminal payment takes")
    sim.add_argument("--invoice-delay", type=float, help="seconds until items are invoiceable")
    return parser


def run_sim(args: argparse.Namespace) -> int:
    from tui_pos.sim import Simulator, serve_forever

    sim = Simulator()
    if args.token:
        sim.tokens = set(args.token)
    sim.latency = args.latency
    if args.terminal_delay is not None:
        sim.terminal_delay = args.terminal_delay
    if args.invoice_delay is not None:
        sim.invoice_delay = args.invoice_delay
    serve_forever(sim, args.host, args.port)
    return 0


def _settings(args: argparse.Namespace) -> Settings | None:
    """The settings for a command (not the till's own start); ``None`` after saying
    what is wrong with them."""
    from tui_pos.config import ConfigError, load_settings

    try:
        return load_settings(args.config, live=False)
    except ConfigError as exc:
        print(f"tui-pos: configuration error: {exc}", file=sys.stderr)
        return None


def doctor_command(args: argparse.Namespace) -> int:
    """``tui-pos doctor [--json]``: 0 nothing wrong, 1 problems, 2 the settings cannot
    be read (with ``--json`` a document that says so, all the same)."""
    from tui_pos.config import ConfigError, load_settings
    from tui_pos.doctor import config_error_document, run_doctor, write_json

    try:
        settings = load_settings(args.config, live=False)
    except ConfigError as exc:
        print(f"tui-pos: configuration error: {exc}", file=sys.stderr)
        if args.json:
            write_json(config_error_document(str(exc)), sys.stdout)
        return 2
    return run_doctor(settings, out=sys.stdout, test_page=args.test_page, as_json=args.json)


def cashier_command(args: argparse.Namespace) -> int:
    """``tui-pos cashier add|list|remove`` on the settings' cashier file."""
    from tui_pos.staff.command import run

    settings = _settings(args)
    if settings is None:
        return 2
    return run(args, settings.cashiers_file)


def day_command(args: argparse.Namespace) -> int:
    """``tui-pos day list`` and ``tui-pos day show N``: the Z reports kept in the
    journal (0 shown, 1 no such day, 2 no journal or it cannot be read)."""
    from tui_pos.checkout import DayBook, JournalError
    from tui_pos.checkout.day_report import list_lines, report_lines
    from tui_pos.checkout.journal import JOURNAL_NAME, Journal

    settings = _settings(args)
    if settings is None:
        return 2
    path = settings.state_dir / JOURNAL_NAME
    if not path.exists():
        print(f"tui-pos: no journal at {path} (has the till started? is state_dir right?)")
        return 2
    try:
        journal = Journal(path)
        try:
            book = DayBook(journal)
            if args.action == "list":
                reports = book.z_reports(limit=1000)
                print("  day  closed                    revenue     difference")
                print("\n".join(list_lines(reports, settings.locale)) or "  no day closed yet")
                return 0
            report = book.z_report(args.number)
        finally:
            journal.close()
    except JournalError as exc:
        print(f"tui-pos: {exc}", file=sys.stderr)
        return 2
    if report is None:
        print(f"tui-pos: day {args.number} is not closed (or there is no such day)")
        return 1
    print("\n".join(report_lines(report, settings.printer.columns, settings.locale)))
    return 0


def journal_command(args: argparse.Namespace) -> int:
    """``tui-pos journal check`` (0 sound, 1 damaged, 2 nothing to check) and
    ``tui-pos journal set-aside`` (0 set aside, 1 sound so left alone, 2 cannot)."""
    from tui_pos.checkout.journal import JOURNAL_NAME, check, lost, set_aside
    from tui_pos.system.lock import StateDirInUse, lock_holder, lock_state_dir

    settings = _settings(args)
    if settings is None:
        return 2
    path = settings.state_dir / JOURNAL_NAME
    if not path.exists() and lost(path) is None:
        print(f"tui-pos: no journal at {path} (has the till started? is state_dir right?)")
        return 2
    if args.action == "check":
        held, pid = lock_holder(settings.state_dir)
        problem = check(path, in_use=held)
        running = f" (a till is running on it, pid {pid})" if held else ""
        if problem is None:
            print(f"OK: {path} is sound{running}")
            return 0
        print(f"DAMAGED: {path} {problem}{running}")
        print(
            "  to go on: stop the till (systemctl stop tui-pos), then run "
            "`tui-pos journal set-aside`"
        )
        return 1
    try:
        lock = lock_state_dir(settings.state_dir)
    except StateDirInUse as exc:
        print(f"tui-pos: {exc}; stop it first (systemctl stop tui-pos)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"tui-pos: cannot lock {settings.state_dir}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        problem = check(path)
        if problem is None:
            print(f"{path} is sound: nothing set aside (the till goes on with it)")
            return 1
        moved, sales, how = set_aside(path)
    except OSError as exc:
        print(f"tui-pos: cannot set {path} aside: {exc.strerror}", file=sys.stderr)
        return 2
    finally:
        lock.release()
    print(f"{path} {problem}")
    print("set aside (nothing deleted):")
    for name in moved:
        print(f"  {name}")
    print(f"unfinished sales it held ({how}):" if sales else f"unfinished sales: none ({how})")
    for sale in sales:
        print(f"  {_unfinished(sale)}")
    if sales:
        print("finish these in Afosto: make the invoice of a paid order, or cancel an unpaid one")
    print("the till starts with a fresh journal now")
    return 0


def _unfinished(sale: Unfinished) -> str:
    import time

    what = {"active": "not paid (in progress)", "invoice_pending": "paid, no invoice yet"}
    parts = [f"order {sale.order_number or '(no number)'}"]
    if sale.order_id:
        parts.append(f"id {sale.order_id}")
    parts.append(what.get(sale.status, sale.status))
    if sale.sale_id is not None:
        parts.append(f"sale #{sale.sale_id}")
    if sale.started_at is not None:
        parts.append("since " + time.strftime("%Y-%m-%d %H:%M", time.localtime(sale.started_at)))
    if sale.cart:
        parts.append("items " + ", ".join(f"{sku} x{n}" for sku, n in sale.cart.items()))
    return ", ".join(parts)


def run_till(args: argparse.Namespace) -> int:
    """The till; its settings, logging and journal are opened once its screen shows."""
    from tui_pos.app import create_app
    from tui_pos.app.runtime import open_runtime

    app = create_app(partial(open_runtime, args.config, demo=args.demo), demo=args.demo)
    app.run()
    if app.startup_error is not None:
        print(f"tui-pos: {app.startup_error}", file=sys.stderr)
    return app.return_code or 0  # 2 for a startup error, 1 after a crash


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sim":
        return run_sim(args)
    if args.command == "doctor":
        return doctor_command(args)
    if args.command == "journal":
        return journal_command(args)
    if args.command == "cashier":
        return cashier_command(args)
    if args.command == "day":
        return day_command(args)
    return run_till(args)


if __name__ == "__main__":
    sys.exit(main())
