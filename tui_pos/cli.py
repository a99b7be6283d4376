"""The ``tui-pos`` command: the till, its demo mode and the Afosto simulator."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

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
    commands.add_parser("doctor", help="check the till and print a report (for support)")
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


def doctor_command(args: argparse.Namespace) -> int:
    from tui_pos.config import ConfigError, load_settings
    from tui_pos.doctor import run_doctor

    try:
        settings = load_settings(args.config, live=False)
    except ConfigError as exc:
        print(f"tui-pos: configuration error: {exc}", file=sys.stderr)
        return 2
    return run_doctor(settings, out=sys.stdout)


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
    return run_till(args)


if __name__ == "__main__":
    sys.exit(main())
