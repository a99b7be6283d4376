"""Helpers for the app's tests: a fast in-process simulator, the till on it, scans."""

from __future__ import annotations

import runpy
import time
from pathlib import Path
from types import SimpleNamespace

from textual.pilot import Pilot

from tests.support.simkit import SKUS
from tests.support.waiting import wait_for
from tui_pos.app import TillApp, create_app
from tui_pos.app.runtime import Runtime
from tui_pos.checkout import TerminalState
from tui_pos.config import PrinterSettings, Settings
from tui_pos.sim import Simulator

CODES = SKUS
DECLINED, ABORTED, EXPIRED = "8783016613182", "8794821993512", "8781909378651"
UNKNOWN_EAN = "8712345678906"
DATA = Path(__file__).parents[1] / "data"
FONT = DATA / "tui-pos-Lat15-Fixed16.txt"
"""The till's console font's table of code points (Lat15-Fixed16 and the half blocks)."""
STOCK_FONT = DATA / "Lat15-Fixed16.txt"
"""Debian's Lat15-Fixed16's table (a console without ours)."""
FONT_BUILDER = Path(__file__).parents[2] / "systemd" / "font" / "make_font.py"


def fast_simulator(terminal_delay: float = 0.05) -> Simulator:
    """Quick terminal (unless told) and invoicing, and a fixed year for invoice numbers."""
    sim = Simulator(admin=False, terminal_delay=terminal_delay, invoice_delay=0.05)
    sim.store.today = lambda: time.gmtime(1_790_000_000)  # 2026
    return sim


def make_app(
    sim: Simulator | None = None,
    *,
    use_printer: PrinterSettings | None = None,
    state_dir: Path | None = None,
    cashiers: bool = False,
    **settings: object,
) -> TillApp:
    """The till in training mode on ``sim``, the way ``tui-pos --demo`` builds it;
    ``use_printer`` instead of the training till's screen printer (``PrinterSettings()``:
    none at all; ``printer=`` in ``settings`` is the training till's, made a screen),
    ``state_dir`` instead of its scratch directory (to start a second
    till on the first one's journal); ``cashiers``: with a cashier file (it starts
    locked)."""
    runtime = Runtime.demo_mode(Settings(**settings), sim or fast_simulator())
    update: dict[str, object] = {}
    if use_printer is not None:
        update["printer"] = use_printer
    if state_dir is not None:
        update["state_dir"] = runtime.state_dir = state_dir
    if update:  # read by the app when it starts (the journal, the printing desk)
        runtime.settings = runtime.settings.model_copy(update=update)
    if cashiers:  # staffkit's file: manager 12 Anna, cashiers 3 Bob and 7 Zoë
        from tests.support.staffkit import CountingHasher, write_cashiers
        from tui_pos.staff import CashierFile

        path = write_cashiers(runtime.state_dir / "cashiers.toml", CountingHasher())
        runtime.cashiers = CashierFile.load(path, CountingHasher())
    return create_app(runtime)


def network_printer(port: int, **settings: object) -> PrinterSettings:
    """A raw-TCP receipt printer on 127.0.0.1 at ``port`` (a :class:`NetPrinter`)."""
    fields: dict[str, object] = {"kind": "network", "host": "127.0.0.1", "port": port}
    return PrinterSettings(**(fields | {"timeout": 1.0} | settings))


async def type_code(pilot: Pilot[None], code: str) -> None:
    await pilot.press(*code, "enter")


async def scan(pilot: Pilot[None], app: TillApp, *codes: str) -> None:
    """Type each code with Enter, then wait until Afosto has confirmed the cart."""
    for code in codes:
        await type_code(pilot, code)
    await wait_for(pilot, lambda: app.view.synced and not app.view.busy and bool(app.view.lines))
    await pilot.pause()


async def settled(pilot: Pilot[None], app: TillApp) -> None:
    """Nothing more comes by itself: the printing desk is loaded, the terminal known,
    no worker runs (a test of what a key paints counts from here)."""

    def quiet() -> bool:
        printing = app.printing
        loaded = printing is not None and (printing.loaded or not printing.configured)
        return (
            loaded and app.facts.terminal is not None and not any(w.is_running for w in app.workers)
        )

    await wait_for(pilot, quiet, what="the till settled")
    await pilot.pause()
    await pilot.pause()


async def wait_for_card(pilot: Pilot[None], app: TillApp) -> None:
    """Scan a code and press F9: until the terminal waits for the card."""
    await scan(pilot, app, CODES[0])
    await pilot.press("f9")
    await wait_for(pilot, lambda: app.view.terminal is TerminalState.WAITING)


def screen_text(app: TillApp) -> str:
    """The text on the screen, as the compositor draws it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def font_glyphs(table: Path = FONT) -> set[str]:
    """The characters the till's console font can draw (``STOCK_FONT``: Debian's), read
    from its table."""
    glyphs = set()
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.startswith("U+"):
            glyphs.add(chr(int(line.split()[0][2:], 16)))
    return glyphs


def font_builder() -> SimpleNamespace:
    """systemd/font/make_font.py's functions (run from its file: no bytecode in systemd/)."""
    return SimpleNamespace(**runpy.run_path(str(FONT_BUILDER)))
