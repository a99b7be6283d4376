"""The Textual app: one screen per checkout phase over the engine's sale.

The engine does the work in the app's own event loop; every change it publishes comes
back as a :class:`SaleChanged` message and picks the screen to show. Nothing here waits
on the network in a handler: engine calls run as workers, so the screen stays live.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Coroutine
from functools import partial
from importlib import resources
from pathlib import Path, PurePath
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui_pos.app.console import BlockScrollBarRender, key_name, tolerate_stray_bytes
from tui_pos.app.messages import BarcodeScanned, SaleChanged, ScannerChanged
from tui_pos.app.runtime import StartupError
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.info import InfoScreen, help_screen
from tui_pos.app.screens.result import ResultScreen
from tui_pos.app.screens.sale import EntryField, SaleScreen
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.app.screens.terminal import TerminalScreen
from tui_pos.app.wedge import BurstDetector
from tui_pos.checkout import Phase, SaleView
from tui_pos.money import DEFAULT_LOCALE, Locale
from tui_pos.system import notify
from tui_pos.system.redact import redact

if TYPE_CHECKING:
    from tui_pos.app.runtime import Runtime
    from tui_pos.checkout import Sale, Till
    from tui_pos.scanner import ScannerReader, ScannerState, ScanProblem

STYLES = ("till.tcss",)
log = logging.getLogger(__name__)

FREEZE_AFTER = 1.0
"""Seconds after the till is ready before its start-up objects are frozen."""


def stylesheets() -> list[str | PurePath]:
    """The app's Textual CSS, shipped inside the package (``styles/`` in the source)."""
    folder = resources.files("tui_pos").joinpath("styles")
    return [Path(str(folder.joinpath(name))) for name in STYLES]


def on_linux_console() -> bool:
    """The Linux text console: 16 colours and a ~500-glyph font."""
    return os.environ.get("TERM") == "linux"


class TillApp(App[None]):
    """The till. Build it with :func:`tui_pos.app.create_app`."""

    CSS_PATH = stylesheets()
    TITLE = "tui-pos"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    view: var[SaleView] = var(SaleView(), always_update=True)
    scanner_state: var[str] = var("No USB scanner")

    def __init__(self, runtime: Runtime | Callable[[], Runtime], *, demo: bool = False) -> None:
        """``runtime``, or what opens it once the sale screen is painted (settings,
        logging, the journal check); ``demo`` says training mode until then."""
        # The theme before Textual's __init__ reads its colours into the stylesheet: set
        # later (on mount), it makes Textual parse every stylesheet a second time.
        self.set_reactive(App.theme, "ansi-dark" if on_linux_console() else "textual-dark")
        super().__init__()
        self.add_class(f"-theme-{self.theme}")
        ScrollBar.renderer = BlockScrollBarRender
        tolerate_stray_bytes()
        if callable(runtime):
            self._runtime: Runtime | None = None
            self._open_runtime = runtime
            self.demo = demo
        else:
            self._runtime, self.demo = runtime, runtime.demo
        self.startup_error: StartupError | None = None
        """Why the till could not start (its settings, its disk); it has exited then."""
        self.till: Till | None = None
        self._sale: Sale | None = None
        self._payment: Worker[Any] | None = None
        self._wedge = BurstDetector()
        self.errors: deque[str] = deque(maxlen=20)
        self._scanner: ScannerReader | None = None
        self._early: list[Callable[[], None]] = []
        """What the cashier asked for while the engine was loading, done once it is."""

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "used before the runtime was opened"
        return self._runtime

    @property
    def locale(self) -> Locale:
        """How money is shown: the settings' locale once they are read."""
        return self._runtime.settings.locale if self._runtime else DEFAULT_LOCALE

    def get_key_display(self, binding: Binding) -> str:
        """Key names in plain letters: the console font has no arrows-and-symbols keys."""
        return key_name(binding.key)

    # --- life cycle ---

    def get_default_screen(self) -> Screen[Any]:
        """The sale screen is the first screen, at the bottom of the stack."""
        return SaleScreen()

    async def on_mount(self) -> None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)
        # The sale screen first, the engine (API client, journal) and the scanner after
        # its first paint: the till shows sooner, and a scan typed meanwhile waits in line.
        self.call_after_refresh(self._start)
        # Keys wait in the app's queue until the entry field can take them.
        sale = self.screen
        assert isinstance(sale, SaleScreen)
        await sale.entry_ready.wait()

    async def _start(self) -> None:
        if self._runtime is None:
            try:
                self._runtime = self._open_runtime()
            except StartupError as exc:
                self.startup_error = exc
                self.exit(return_code=2)
                return
        self.till = self.runtime.open_till()
        sale = await self.till.start(recover=False)
        self._bind(sale)
        self._follow(self.view)
        self.run_payment(sale.recover())  # a sale to pick up after a stop: ask Afosto
        self._start_scanner()
        for early in self._early:
            early()
        self._early.clear()
        notify.ready()
        await self._warm_up()
        interval = notify.watchdog_interval()
        if interval is not None:  # under systemd's watchdog: prove the event loop runs
            self.set_interval(interval, notify.watchdog)

    async def _warm_up(self) -> None:
        """httpx loads its async backend (anyio) on its first request, some 20 ms of
        imports that would hold up the first scan's line: load it now, while the till
        waits for that first scan. A moment later, what is loaded by then lives as
        long as the till: see :meth:`_freeze_startup`."""
        import anyio.lowlevel

        await anyio.lowlevel.checkpoint()
        self.set_timer(FREEZE_AFTER, self._freeze_startup)

    def _freeze_startup(self) -> None:
        """Move what the till loaded (Textual, the engine, httpx, pydantic) out of the
        garbage collector's way (``gc.freeze``, after one collection), so that a full
        collection in a long sale walks the sale, not the whole program: pauses of tens
        of ms in a scan's line otherwise. Not at once: the collection takes a moment."""
        import gc

        gc.collect()
        gc.freeze()

    def _start_scanner(self) -> None:
        """Read the USB scanner on its own thread; it posts what it reads to the app."""
        opener = self.runtime.scanner_opener
        if opener is None:
            return
        from tui_pos.scanner import ScannerReader

        def scanned(code: str) -> None:  # these three run on the reader's thread
            self.post_message(BarcodeScanned(code))

        def problem(problem: ScanProblem) -> None:
            self.post_message(ScannerChanged(None, problem.value))

        def state(state: ScannerState) -> None:
            self.post_message(ScannerChanged(state.value))

        settings = self.runtime.settings.scanner
        self._scanner = ScannerReader(
            settings, on_scan=scanned, on_error=problem, on_state=state, opener=opener
        )
        self._scanner.start()

    async def on_unmount(self) -> None:
        notify.stopping()
        if self._scanner is not None:
            self._scanner.stop()
        if self.till is not None:
            await self.till.close()
            await self.till.client.aclose()
        if self._runtime is not None:
            self._runtime.cleanup()

    def _bind(self, sale: Sale) -> None:
        self._sale = sale
        sale.subscribe(self._post_view)
        self.view = sale.view

    def _post_view(self, view: SaleView) -> None:
        if threading.get_ident() == self._thread_id:
            # The engine runs in the app's event loop: show the change at once, so that a
            # scan and its line are painted in one frame, not one frame after another.
            self._view_changed(view)
        else:
            self.post_message(SaleChanged(view))

    @property
    def sale(self) -> Sale:
        assert self._sale is not None
        return self._sale

    @property
    def api_reachable(self) -> bool | None:
        return self.till.client.reachable if self.till else None

    def terminal_summary(self) -> str:
        """The terminal the next card payment goes to, and whether it is online."""
        options = self.till.known_options if self.till else None
        if options is None:
            return "Terminal -"
        from tui_pos.checkout.options import default_terminal, pin_terminals

        terminals = pin_terminals(options)
        chosen = default_terminal(terminals, self.runtime.settings.terminal_id)
        if chosen is not None:
            return f"{chosen.label} online"
        online = sum(t.is_online for t in terminals)
        return f"{online} terminals online" if online else "No terminal online"

    # --- the sale's changes pick the screen ---

    def on_sale_changed(self, message: SaleChanged) -> None:
        self._view_changed(message.view)

    def _view_changed(self, view: SaleView) -> None:
        if self._sale is None or view is not self._sale.view:
            return  # a stale view, or one from the sale before
        if view.error and view.error != self.view.error:
            self.errors.append(redact(view.error))
            log.warning("sale %s: %s", view.order_number, view.error)
        self.view = view
        self._follow(view)

    def _follow(self, view: SaleView) -> None:
        wanted: type[TillScreen] = SaleScreen
        if view.phase is Phase.TERMINAL:
            wanted = TerminalScreen
        elif view.phase in (Phase.OPENING, Phase.INVOICING, Phase.DONE):
            wanted = ResultScreen
        elif view.phase is Phase.CASH or isinstance(self.screen, (CashScreen, TenderScreen)):
            if not (isinstance(self.screen, CashScreen) and view.busy is False and view.paid):
                return  # the cashier is still typing, or the cash is being recorded
            wanted = SaleScreen
        self._show(wanted)

    def _show(self, wanted: type[TillScreen]) -> None:
        if isinstance(self.screen, wanted):
            return
        if wanted is SaleScreen and self._help_over_sale():
            return  # help or support open over the sale: the cashier closes it (Esc)
        while len(self.screen_stack) > 1:  # down to the sale screen
            self.pop_screen()
        if wanted is not SaleScreen:
            self.push_screen(wanted())

    def _help_over_sale(self) -> bool:
        stack = self.screen_stack
        return (
            len(stack) == 2
            and isinstance(stack[0], SaleScreen)
            and isinstance(stack[1], InfoScreen)
        )

    # --- what the cashier does ---

    def scan(self, code: str, quantity: int = 1) -> None:
        """A code from the entry field, the scanner or a wedge burst."""
        if self._sale is None:  # the engine is loading, just after the start
            self._early.append(partial(self.scan, code, quantity))
            return
        view = self.view
        if view.phase is Phase.DONE:
            self.action_next_sale()
        elif view.phase is Phase.TERMINAL:
            self.sale.back_to_sale()
        paying = (
            isinstance(self.screen, (CashScreen, TenderScreen)) and view.phase is not Phase.CASH
        )
        self.sale.scan(code, quantity)
        if paying and self.sale.view.error is None:
            # What is due changed under the pay screen: back to the sale, and say so.
            self._show(SaleScreen)
            self.sale.report("Item added while paying. Press the pay key again for the new total.")

    def run_payment(self, work: Coroutine[Any, Any, None]) -> None:
        """Run one payment step at a time: a pay key pressed twice starts one payment,
        and a key pressed while a step runs says why it does nothing."""
        if self._payment is not None and self._payment.is_running:
            work.close()
            self.sale.report("A payment is still running. Wait for it to finish.")
            return
        name = getattr(work, "__qualname__", "payment step")
        self._payment = self.run_worker(work, name=name, group="payment", exit_on_error=False)

    def action_pay_pin(self, amount: int | None = None) -> None:
        if self._sale is None:
            self._early.append(partial(self.action_pay_pin, amount))
            return
        self.run_payment(self.sale.pay_pin(amount))

    def action_pay_cash(self, amount: int | None = None) -> None:
        """The cash screen, for what is due once Afosto has confirmed every scan (or for
        ``amount``, a part the cashier chose, never above what is due)."""
        if self._sale is None:
            self._early.append(partial(self.action_pay_cash, amount))
            return
        if self.view.phase is Phase.TERMINAL:
            self.sale.back_to_sale()
        self.run_payment(self._open_pay_screen(lambda due: CashScreen(min(amount or due, due))))

    def take_cash(self, tendered: int, amount: int) -> None:
        self.run_payment(self.sale.pay_cash(tendered, amount))

    def action_pay_part(self) -> None:
        if self._sale is None:
            self._early.append(self.action_pay_part)
            return
        self.run_payment(self._open_pay_screen(lambda due: TenderScreen()))

    async def _open_pay_screen(self, screen: Callable[[int], TillScreen]) -> None:
        """Settle the cart first, then show the pay screen for what is due after; the
        engine says why when no payment can start (a card payment not confirmed)."""
        due = await self.sale.due_now()
        if due is not None and self.view.phase in (Phase.SCANNING, Phase.TENDER):
            self._show(SaleScreen)
            self.push_screen(screen(due))

    def confirm_terminal_failed(self) -> None:
        """Ask the cashier, who risks a double charge, before taking the card as failed."""
        from tui_pos.app.screens.confirm import ConfirmFailedPrompt

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.sale.confirm_terminal_failed()

        self.push_screen(ConfirmFailedPrompt(self.view.attempt_amount or 0, self.locale), answered)

    def action_next_sale(self) -> None:
        if self.till is not None and self.view.phase is Phase.DONE:
            self._bind(self.till.new_sale())
            self._show(SaleScreen)

    def action_set_aside(self) -> None:
        """Keep a sale whose order is gone from Afosto (money taken) for support, and
        start the next one."""
        from tui_pos.checkout import JournalError, NotAllowed
        from tui_pos.checkout.words import explain

        if self.till is not None and self.view.order_gone:
            try:
                self._bind(self.till.set_aside())
            except NotAllowed as exc:
                self.sale.report(str(exc))
                return
            except JournalError as exc:  # the cashier's words; the file is for the log
                log.warning("set aside: %s", exc)
                self.sale.report(explain(exc))
                return
            self._show(SaleScreen)

    def action_help(self) -> None:
        self.push_screen(help_screen())

    def action_support(self) -> None:
        if self.till is None:
            self._early.append(self.action_support)
            return
        from tui_pos.doctor import support_report

        text = support_report(
            self.runtime.settings,
            demo=self.demo,
            reachable=self.till.client.reachable,
            latency=self.till.client.latency,
            journal=self.till.journal,
            errors=list(self.errors),
            scanner=self.scanner_state,
        )
        self.push_screen(InfoScreen("Support", text))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A step that died of an unexpected error: in the log and on the screen."""
        worker = event.worker
        if event.state is WorkerState.ERROR and self._sale is not None:
            error = worker.error
            log.error("%s failed: %r", worker.name, error, exc_info=error)
            self.sale.fail_unexpectedly(error)

    # --- scans from outside the entry field ---

    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        self.scan(message.code)

    def on_scanner_changed(self, message: ScannerChanged) -> None:
        if message.state is not None:
            self.scanner_state = message.state
        if message.problem:
            self.sale.report(message.problem)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not self.screen_stack:
            return  # a key still on its way while the app closes: no screen to take it
        if isinstance(event, events.Key) and not event.is_forwarded and self._wedge_scan(event):
            return
        await super().on_event(event)

    def _wedge_scan(self, event: events.Key) -> bool:
        """A fast burst ending in Enter outside the entry field is a scan, not typing."""
        code = self._wedge.feed(event.character, event.key, monotonic())
        focused = self.focused
        if code is None or isinstance(focused, EntryField):
            return False
        if isinstance(focused, Input) and focused.value.endswith(code):
            focused.value = focused.value[: -len(code)]  # the burst typed into a field
        self.post_message(BarcodeScanned(code))
        return True


def create_app(runtime: Runtime | Callable[[], Runtime], *, demo: bool = False) -> TillApp:
    """The app factory that the command line, the tests and textual-dev share."""
    return TillApp(runtime, demo=demo)
