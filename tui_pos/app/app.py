"""The Textual app: one screen per checkout phase over the engine's sale.

Screens post what the cashier wants (:mod:`tui_pos.app.messages`; a code entered, through
a callback); the app decides what that means in the sale's state and calls the engine.
Every change the engine publishes sets :attr:`TillApp.view`, which the screens show, and
picks the screen from one table (:data:`PHASE_SCREENS`). Nothing here waits on the
network in a handler: engine calls run as workers, so the screen stays live.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import replace
from functools import partial
from importlib import resources
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui_pos.app.console import key_name
from tui_pos.app.facts import TillFacts
from tui_pos.app.messages import (
    BackToSale,
    BarcodeScanned,
    CardFailed,
    CashMoveWanted,
    CheckCard,
    CheckPage,
    CloseDayWanted,
    CountGiven,
    CredentialsGiven,
    CustomerPicked,
    CustomerRemoved,
    CustomerSearchWanted,
    CustomerWanted,
    DayWanted,
    FinishAgain,
    InvoiceRest,
    NextSale,
    NoSale,
    PayByCard,
    PayByPage,
    PayInCash,
    PayPart,
    PrintReceipt,
    PrintReport,
    RetryCard,
    SaleChanged,
    ScannerChanged,
    SetAside,
    SetQuantity,
    StopWaiting,
    StopWatchingPage,
    TakeCash,
    ToggleLater,
    VoidLine,
)
from tui_pos.app.printing import Printing
from tui_pos.app.runtime import StartupError
from tui_pos.app.screens.base import MIN_SIZE, TillModal, TillScreen
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.customer import CustomerDialog
from tui_pos.app.screens.day import CountScreen
from tui_pos.app.screens.info import InfoScreen, help_text, key_rows, own_bindings
from tui_pos.app.screens.page import PageScreen
from tui_pos.app.screens.prompts import YesNoPrompt
from tui_pos.app.screens.result import ResultScreen
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.screens.signin import Credentials
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.app.screens.terminal import TerminalScreen
from tui_pos.app.shift import Approval, Shift
from tui_pos.app.textual_fixes import (
    Field,
    KeyTapApp,
    LineField,
    tolerate_stray_bytes,
    use_block_scrollbars,
)
from tui_pos.app.wedge import BurstDetector
from tui_pos.checkout import Customer, Phase, SaleView, TerminalState
from tui_pos.checkout.cash import ApprovalAction, Count, MoveKind
from tui_pos.money import format_money
from tui_pos.system import notify
from tui_pos.system.redact import redact

if TYPE_CHECKING:
    from tui_pos.app.metrics import MetricsWriter
    from tui_pos.app.runtime import Runtime
    from tui_pos.checkout import Sale, Till
    from tui_pos.scanner import ScannerReader, ScannerState, ScanProblem
    from tui_pos.staff import Cashier

STYLES = ("till.tcss",)
log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 5.0
"""How often the till looks whether it has been idle long enough to lock."""

FREEZE_AFTER = 1.0
"""Seconds after the till is ready before its start-up objects are frozen."""

PHASE_SCREENS: dict[Phase, type[TillScreen]] = {
    Phase.SCANNING: SaleScreen,
    Phase.TENDER: SaleScreen,
    Phase.TERMINAL: TerminalScreen,
    Phase.PAGE: PageScreen,
    Phase.CASH: CashScreen,
    Phase.OPENING: ResultScreen,
    Phase.INVOICING: ResultScreen,
    Phase.DONE: ResultScreen,
}
"""The screen of each phase of a sale. A pay screen the cashier opened over the sale
(cash, a part) stays while the phase's screen is the sale screen or itself."""

QUIT_HELP = {
    False: "quit (the sale is kept and resumes when the till starts)",
    True: "quit (training: the next start is a fresh training till)",
}
MID_PAYMENT = (Phase.TERMINAL, Phase.CASH, Phase.OPENING, Phase.INVOICING)
"""Phases in which quitting asks first."""


def stylesheets() -> list[str | PurePath]:
    """The app's Textual CSS, shipped inside the package (``styles/`` in the source)."""
    folder = resources.files("tui_pos").joinpath("styles")
    return [Path(str(folder.joinpath(name))) for name in STYLES]


def on_linux_console() -> bool:
    """The Linux text console: 16 colours and a ~500-glyph font."""
    return os.environ.get("TERM") == "linux"


class TillApp(KeyTapApp):
    """The till. Build it with :func:`tui_pos.app.create_app`."""

    CSS_PATH = stylesheets()
    TITLE = "tui-pos"
    ENABLE_COMMAND_PALETTE = False
    # A priority over the screens' own keys, or a dialog (a modal screen) would hide them.
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True, tooltip="the keys of this screen"),
        Binding("ctrl+s", "support", "Support", priority=True, tooltip="support information"),
        Binding(
            "f11", "lock", "Lock", show=False, priority=True, tooltip="lock the till (sign out)"
        ),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, tooltip=QUIT_HELP[False]),
    ]

    view: var[SaleView] = var(SaleView(), always_update=True)
    facts: var[TillFacts] = var(TillFacts())

    def __init__(self, runtime: Runtime | Callable[[], Runtime], *, demo: bool = False) -> None:
        """``runtime``, or what opens it once the sale screen is painted (settings,
        logging, the journal check); ``demo`` says training mode until then."""
        # The theme before Textual's __init__ reads its colours into the stylesheet: set
        # later (on mount), it makes Textual parse every stylesheet a second time.
        self.set_reactive(App.theme, "ansi-dark" if on_linux_console() else "textual-dark")
        super().__init__()
        self.add_class(f"-theme-{self.theme}")
        use_block_scrollbars()
        tolerate_stray_bytes()
        if callable(runtime):
            self._runtime: Runtime | None = None
            self._open_runtime = runtime
            self.demo = demo
        else:
            self._runtime, self.demo = runtime, runtime.demo
        self.set_reactive(TillApp.facts, TillFacts(demo=self.demo))
        self.startup_error: StartupError | None = None
        """Why the till could not start (its settings, its disk); it has exited then."""
        self.till: Till | None = None
        self._sale: Sale | None = None
        self._payment: Worker[Any] | None = None
        self._paying: TillScreen | None = None
        """The pay screen (cash, a part) the cashier opened over the sale screen."""
        self._wedge = BurstDetector()
        self._loop_thread: int | None = None
        self.errors: deque[str] = deque(maxlen=20)
        self._scanner: ScannerReader | None = None
        self._early: list[Callable[[], None]] = []
        """What the cashier asked for while the engine was loading, done once it is."""
        self.printing: Printing | None = None
        """The receipt printer and the drawer, once the engine is up."""
        self.shift: Shift | None = None
        """The cashiers and the day, once the engine is up."""
        self.metrics: MetricsWriter | None = None
        """The Prometheus metrics' writer, when ``metrics_dir`` is set."""

    @property
    def runtime(self) -> Runtime:
        assert self._runtime is not None, "used before the runtime was opened"
        return self._runtime

    @property
    def scanner_state(self) -> str:
        return self.facts.scanner

    def get_key_display(self, binding: Binding) -> str:
        """Key names in plain letters: the console font has no arrows-and-symbols keys."""
        return key_name(binding.key)

    # --- life cycle ---

    def get_default_screen(self) -> Screen[Any]:
        """The sale screen is the first screen, at the bottom of the stack."""
        return SaleScreen(self.scan)

    async def on_mount(self) -> None:
        self._loop_thread = threading.get_ident()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)
        self._check_size(self.size)
        # The sale screen first, the engine (API client, journal) and the scanner after
        # its first paint: the till shows sooner, and a scan typed meanwhile waits in line.
        self.call_after_refresh(self._start)
        # Keys wait in the app's queue until the entry field can take them.
        sale = self.screen_stack[0]
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
        self._set_facts(locale=self.runtime.settings.locale)
        self.metrics = self.runtime.open_metrics(say=self.errors.append)
        self.till = self.runtime.open_till(self.metrics.observe if self.metrics else None)
        await self.runtime.serve_pages()
        sale = await self.till.start(recover=False)
        self._bind(sale)
        self._start_shift()
        self._follow(self.view)
        self.run_payment(sale.recover())  # a sale to pick up after a stop: ask Afosto
        self._start_scanner()
        self._start_printing()
        for early in self._early:
            early()
        self._early.clear()
        notify.ready()
        self._start_metrics()
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

    def _start_printing(self) -> None:
        """The printer's desk, loaded on a worker: python-escpos is heavy to import."""
        settings = self.runtime.settings
        self.printing = printing = Printing(
            settings,
            self.runtime.journal(),
            say=self._note,
            state=lambda words: self._set_facts(printer=words),
            paper=lambda _, printed: self._set_facts(paper=(*self.facts.paper, printed)[-4:]),
            run=lambda work: self.run_worker(work, group="printer", exit_on_error=False),
        )
        if printing.configured:
            self._set_facts(
                printing=True,
                receipt_ask=settings.printer.receipt == "ask",
                paper_columns=settings.printer.columns,
            )
            self.run_worker(printing.load(), group="printer", exit_on_error=False)

    def _start_metrics(self) -> None:
        """The metrics' thread, and a write now, every 15 s and after each sale."""
        if self.metrics is None:
            return
        from tui_pos.app.metrics import EVERY_SECONDS

        self.metrics.start()
        self._write_metrics()
        self.set_interval(EVERY_SECONDS, self._write_metrics)

    def _write_metrics(self) -> None:
        """Wake the metrics' thread (it writes once for a burst of these)."""
        if self.metrics is None or self.till is None:
            return
        from tui_pos.app.metrics import till_state

        options, terminal = self.till.known_options, self.runtime.settings.terminal_id
        self.metrics.request(till_state(self.facts, options, terminal))

    def _start_shift(self) -> None:
        """The cashier file (read by the runtime) and the day book; with cashiers, the
        till starts locked, and locks itself when idle."""
        from tui_pos.checkout.day import DayBook

        self.shift = shift = Shift(self, self.runtime.cashiers, DayBook(self.runtime.journal()))
        if shift.active:
            shift.lock()
            after = self.runtime.settings.lock_after
            self.set_interval(min(IDLE_CHECK_SECONDS, max(after / 4, 0.05)), shift.idle_check)

    async def on_unmount(self) -> None:
        notify.stopping()
        if self._scanner is not None:
            self._scanner.stop()
        if self.metrics is not None:
            self.metrics.stop()
        if self.till is not None:
            await self.till.close()
            await self.till.client.aclose()
        if self._runtime is not None:
            await self._runtime.stop_pages()
            self._runtime.cleanup()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size)  # the app's own size is set after this handler

    def _check_size(self, size: Size) -> None:
        """Below the smallest size every screen fits, each says so instead of cutting.
        Hidden, the screen's field lost the focus: it gets it back when the window
        is large enough again (each screen below, when it is back on top)."""
        width, height = MIN_SIZE
        too_small = size.width < width or size.height < height
        if self.has_class("-too-small") and not too_small:
            self.call_after_refresh(self._refocus)
        self.set_class(too_small, "-too-small")

    def _refocus(self) -> None:
        if self.screen.focused is None:
            self.screen.focus_next()

    # --- the sale's changes pick the screen ---

    def _bind(self, sale: Sale) -> None:
        self._sale = sale
        sale.subscribe(self._post_view)
        self.view = sale.view

    def _post_view(self, view: SaleView) -> None:
        if threading.get_ident() == self._loop_thread:
            # The engine runs in the app's event loop: show the change at once, so that a
            # scan and its line are painted in one frame, not one frame after another.
            self._view_changed(view)
        else:
            self.post_message(SaleChanged(view))

    @property
    def sale(self) -> Sale:
        assert self._sale is not None
        return self._sale

    def _set_facts(self, **changes: Any) -> None:
        facts = replace(self.facts, **changes)
        if facts != self.facts:
            self.facts = facts

    def _terminal_summary(self) -> str | None:
        """The terminal the next card payment goes to, and whether it is online."""
        options = self.till.known_options if self.till else None
        if options is None:
            return None
        from tui_pos.checkout.options import default_terminal, pin_terminals

        terminals = pin_terminals(options)
        chosen = default_terminal(terminals, self.runtime.settings.terminal_id)
        if chosen is not None:
            return f"{chosen.label} online"
        online = sum(t.is_online for t in terminals)
        return f"{online} terminals online" if online else "No terminal online"

    def on_sale_changed(self, message: SaleChanged) -> None:
        self._view_changed(message.view)

    def _view_changed(self, view: SaleView) -> None:
        if self._sale is None or view is not self._sale.view:
            return  # a stale view, or one from the sale before
        if view.error and view.error != self.view.error:
            self.errors.append(redact(view.error))
            log.warning("sale %s: %s", view.order_number, view.error)
        before, self.view = self.view, view
        if self.till is not None:
            self._set_facts(api=self.till.client.reachable, terminal=self._terminal_summary())
        if self.printing is not None:  # the drawer as the cash is recorded, then the receipt
            if (cash := _cash_payments(view)) > _cash_payments(before):
                self.printing.cash_taken(self._sale.sale_id, cash)
            if view.phase is Phase.DONE and before.phase is not Phase.DONE:
                self.printing.sale_paid(self._sale.sale_id)
        if view.phase is Phase.DONE and before.phase is not Phase.DONE:
            self._write_metrics()
        self._follow(view)

    def _follow(self, view: SaleView) -> None:
        wanted = PHASE_SCREENS[view.phase]
        paying = self._paying
        if paying is not None and wanted in (SaleScreen, type(paying)):
            return  # the cashier is on the pay screen, or the cash is being recorded
        self._show(wanted)

    def _show(self, wanted: type[TillScreen]) -> None:
        """``wanted`` on top of the till's screens; what is over it (help, a question)
        stays. Any other screen goes, down to the sale screen."""
        top = next(s for s in reversed(self.screen_stack) if isinstance(s, TillScreen))
        if type(top) is wanted:
            return
        self._paying = None
        self._set_facts(note=None)
        while len(self.screen_stack) > 1:  # down to the sale screen
            self.pop_screen()
        if wanted is CashScreen:  # the cash being recorded, after a restart
            self.push_screen(CashScreen(self.view.due))
        elif wanted is not SaleScreen:
            self.push_screen(wanted())
        if self.shift is not None:  # a locked till stays covered, whatever the sale does
            self.shift.cover()

    def _open_paying(self, screen: TillScreen) -> None:
        """The pay screen the cashier asked for, over the sale screen; what was opened
        over that while the cart settled (help, a question) goes: the pay key came first."""
        self._show(SaleScreen)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._paying = screen

        def closed(_: object) -> None:
            if self._paying is screen:
                self._paying = None

        self.push_screen(screen, closed)

    def _close_paying(self) -> None:
        if self._paying is not None:
            self._show(SaleScreen)

    def _note(self, text: str) -> None:
        """What the till just did at the cashier's word, in the message line."""
        self._set_facts(note=redact(text))

    def _label(self, sku: str) -> str:
        line = next((line for line in self.view.lines if line.sku == sku), None)
        return (line.label if line and line.label else None) or sku

    # --- what the cashier wants ---

    def _engine_ready(self, later: Callable[[], None]) -> bool:
        """``True`` once the engine is loaded; before, ``later`` runs when it is."""
        if self._sale is None:
            self._early.append(later)
            return False
        return True

    def on_barcode_scanned(self, message: BarcodeScanned) -> None:
        self.scan(message.code)

    def scan(self, code: str, quantity: int = 1) -> None:
        """A code from the entry field, the scanner or a wedge burst."""
        if not self._engine_ready(partial(self.scan, code, quantity)):
            return
        if self.shift is not None:
            if self.shift.locked:
                self.shift.refuse_scan()
                return
            self.shift.touched()
        view = self.view
        self._set_facts(note=None)
        if view.phase is Phase.DONE:
            self._next_sale()
        elif view.phase is Phase.TERMINAL:
            self.sale.back_to_sale()
        paying = self._paying is not None and view.phase is not Phase.CASH
        paying = paying and not self.sale.is_customer_card(code)  # no item: the due stands
        self.sale.scan(code, quantity)
        if paying and self.sale.view.error is None:
            # What is due changed under the pay screen: back to the sale, and say so.
            self._close_paying()
            self.sale.report("Item added while paying. Press the pay key again for the new total.")

    def run_payment(self, work: Coroutine[Any, Any, None]) -> None:
        """Run one payment step at a time: a pay key pressed twice starts one payment,
        and a key pressed while a step runs says why it does nothing."""
        if self.payment_running:
            work.close()
            self.sale.report("A payment is still running. Wait for it to finish.")
            return
        name = getattr(work, "__qualname__", "payment step")
        self._payment = self.run_worker(work, name=name, group="payment", exit_on_error=False)

    @property
    def payment_running(self) -> bool:
        return self._payment is not None and self._payment.is_running

    def on_pay_by_card(self, message: PayByCard) -> None:
        self.pay_card(message.amount)

    def pay_card(self, amount: int | None = None) -> None:
        if self._engine_ready(partial(self.pay_card, amount)):
            self._close_paying()
            self.run_payment(self.sale.pay_pin(amount))

    def on_pay_in_cash(self, message: PayInCash) -> None:
        self.pay_cash(message.amount)

    def pay_cash(self, amount: int | None = None) -> None:
        """The cash screen, for what is due once Afosto has confirmed every scan (or for
        ``amount``, a part the cashier chose, never above what is due)."""
        if not self._engine_ready(partial(self.pay_cash, amount)):
            return
        if self.view.phase is Phase.TERMINAL:
            self.sale.back_to_sale()
        self._close_paying()
        self.run_payment(self._open_pay_screen(lambda due: CashScreen(min(amount or due, due))))

    def on_pay_part(self, message: PayPart) -> None:
        self.pay_part()

    def pay_part(self) -> None:
        if self._engine_ready(self.pay_part):
            self.run_payment(self._open_pay_screen(TenderScreen))

    async def _open_pay_screen(self, screen: Callable[[int], TillScreen]) -> None:
        """Settle the cart first, then show the pay screen for what is due after; the
        engine says why when no payment can start (a card payment not confirmed)."""
        due = await self.sale.due_now()
        if due is not None and self.view.phase in (Phase.SCANNING, Phase.TENDER):
            self._open_paying(screen(due))

    def on_take_cash(self, message: TakeCash) -> None:
        self.run_payment(self._take_cash(message.tendered, message.amount))

    async def _take_cash(self, tendered: int, amount: int) -> None:
        paid = self.view.paid
        await self.sale.pay_cash(tendered, amount)
        if self.view.paid > paid:  # recorded: the cash screen has done its work
            self._close_paying()

    def on_void_line(self, message: VoidLine) -> None:
        self._set_quantity(message.sku, 0)

    def on_set_quantity(self, message: SetQuantity) -> None:
        self._set_quantity(message.sku, message.quantity)

    def _set_quantity(self, sku: str, quantity: int, approved: bool = False) -> None:
        label = self._label(sku)
        line = next((line for line in self.view.lines if line.sku == sku), None)
        lower = line is not None and quantity < line.quantity
        if lower and self.view.paid and not approved and self.shift is not None:
            what = f"Void {label}" if quantity == 0 else f"{label}: {quantity} instead of more"
            self.shift.approve(
                Approval(
                    ApprovalAction.VOID_AFTER_PAYMENT,
                    f"{what} (a payment was made)",
                    lambda _: self._set_quantity(sku, quantity, approved=True),
                    self.sale.sale_id,
                )
            )
            return
        self.sale.set_quantity(sku, quantity)
        if self.sale.view.error is None:
            self._note(f"Voided: {label}" if quantity == 0 else f"{label}: now {quantity}")

    def on_toggle_later(self, message: ToggleLater) -> None:
        sku, label = message.sku, self._label(message.sku)
        later = sku not in self.view.held
        self.sale.hold_invoice(sku, later)
        if self.sale.view.error is None:
            self._note(f"{label}: invoiced later" if later else f"{label}: on the invoice again")

    def on_retry_card(self, message: RetryCard) -> None:
        self.run_payment(self.sale.retry_terminal())

    def on_check_card(self, message: CheckCard) -> None:
        self.run_payment(self.sale.check_payment())

    def on_stop_waiting(self, message: StopWaiting) -> None:
        self.sale.stop_waiting()

    def on_pay_by_page(self, message: PayByPage) -> None:
        self.pay_page(message.method_code, message.amount)

    def pay_page(self, method_code: str, amount: int | None = None) -> None:
        if self._engine_ready(partial(self.pay_page, method_code, amount)):
            self._close_paying()
            self.run_payment(self.sale.pay_page(method_code, amount))

    def on_check_page(self, message: CheckPage) -> None:
        if not self.sale.check_page():  # nobody watches it: read it and watch it again
            self.run_payment(self.sale.watch_page())

    def on_stop_watching_page(self, message: StopWatchingPage) -> None:
        self.sale.stop_watching_page()

    def on_back_to_sale(self, message: BackToSale) -> None:
        self.sale.back_to_sale()

    def on_card_failed(self, message: CardFailed) -> None:
        """Ask the cashier, who risks a double charge, before taking the card as failed."""
        amount = format_money(self.view.attempt_amount or 0, self.facts.locale)

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            if self.shift is None:
                self.sale.confirm_terminal_failed()
            else:
                self.shift.approve(
                    Approval(
                        ApprovalAction.UNCONFIRMED_CARD,
                        f"Card payment of {amount} taken as failed",
                        lambda _: self.sale.confirm_terminal_failed(),
                        self.sale.sale_id,
                    )
                )

        prompt = YesNoPrompt(
            f"Card payment of {amount} not confirmed by Afosto.",
            "Only if the terminal's own screen shows this payment FAILED or CANCELLED. "
            "If the card was charged after all, the customer pays twice. "
            "Your answer is recorded with the time.",
            "Y: yes, the terminal shows it failed   Esc: no, go back",
        )
        self.push_screen(prompt, answered)

    def on_next_sale(self, message: NextSale) -> None:
        self._next_sale()

    def _next_sale(self) -> None:
        if self.till is not None and self.view.phase is Phase.DONE:
            self._bind(self.till.new_sale())
            self._set_facts(paper=())
            self._show(SaleScreen)

    def on_print_receipt(self, message: PrintReceipt) -> None:
        """The receipt of the sale on the result screen, else the last one paid."""
        if self.printing is None:
            return
        done = self._sale is not None and self.view.phase is Phase.DONE
        self.printing.print_receipt(self.sale.sale_id if done else None)

    def on_no_sale(self, message: NoSale) -> None:
        printing, shift = self.printing, self.shift
        if printing is None or shift is None:
            return
        if not printing.drawer_ready():
            return
        shift.approve(
            Approval(
                ApprovalAction.NO_SALE, "Open the drawer (no sale)", lambda _: printing.no_sale()
            )
        )

    # --- the cashiers and the day ---

    def action_lock(self) -> None:
        if self.shift is not None:
            self.shift.lock()

    def on_credentials_given(self, message: CredentialsGiven) -> None:
        if self.shift is not None and isinstance(message.screen, Credentials):
            work = self.shift.credentials(message.screen, message.number, message.pin)
            self.run_worker(work, group="shift", exit_on_error=False)

    def on_day_wanted(self, message: DayWanted) -> None:
        if self.shift is not None and self.view.phase in (Phase.SCANNING, Phase.TENDER):
            self._journaled(self.shift.show_day)

    # --- the sale's customer ---

    def on_customer_wanted(self, message: CustomerWanted) -> None:
        """F5 on the sale screen: the customer dialog, while the sale takes changes."""
        taking = self.view.phase in (Phase.SCANNING, Phase.TENDER)
        if self._engine_ready(partial(self.on_customer_wanted, message)) and taking:
            self.push_screen(CustomerDialog())

    def on_customer_search_wanted(self, message: CustomerSearchWanted) -> None:
        screen = message.screen
        if isinstance(screen, CustomerDialog):
            work = self._search_customers(screen, message.query)
            self.run_worker(work, group="customer-search", exit_on_error=False)

    async def _search_customers(self, screen: CustomerDialog, query: str) -> None:
        found = await self.sale.search_customers(query)
        if screen.is_attached:  # Esc meanwhile: nobody waits for the answer
            screen.show_search(found)

    def on_customer_picked(self, message: CustomerPicked) -> None:
        if isinstance(message.customer, Customer):
            work = self.sale.attach_customer(message.customer)
            self.run_worker(work, group="customer", exit_on_error=False)

    def on_customer_removed(self, message: CustomerRemoved) -> None:
        self.run_worker(self.sale.remove_customer(), group="customer", exit_on_error=False)

    def on_cash_move_wanted(self, message: CashMoveWanted) -> None:
        if self.shift is not None and isinstance(message.kind, MoveKind):
            shift, kind = self.shift, message.kind
            self._journaled(lambda: shift.cash_move(kind, message.amount, message.reason))

    def on_close_day_wanted(self, message: CloseDayWanted) -> None:
        if self.shift is not None:
            self._journaled(self.shift.close_day)

    def on_count_given(self, message: CountGiven) -> None:
        shift = self.shift
        if shift is not None and isinstance(message.screen, CountScreen):
            screen, count = message.screen, message.count
            if isinstance(count, Count):
                self._journaled(lambda: shift.counted(screen, count))

    def on_print_report(self, message: PrintReport) -> None:
        self.print_report(message.title, message.lines)

    def _journaled(self, work: Callable[[], None]) -> None:
        """Day work that writes the journal: a journal that cannot be written, or a
        count that is no count, is said, and nothing is half done (one transaction)."""
        from tui_pos.checkout import JournalError, NotAllowed
        from tui_pos.checkout.words import explain

        try:
            work()
        except JournalError as exc:
            log.warning("the day: %s", exc)
            self._say_over(f"Not done: {explain(exc)}")
        except (ValueError, NotAllowed) as exc:  # the day book's words
            self._say_over(str(exc))

    def _say_over(self, words: str) -> None:
        """Words on the dialog on top, or the message line."""
        screen = self.screen
        if isinstance(screen, TillModal):
            screen.say(words, error=True)
        else:
            self._note(words)

    def note_words(self, words: str) -> None:
        """What the till just did, in the message line, and on a page or dialog over the
        sale screen (the day's page) too."""
        self._note(words)
        if isinstance(self.screen, TillModal):
            self.screen.say(words)

    def cashier_changed(self, cashier: Cashier | None) -> None:
        """Who is signed in now (``None``: locked). A cashier signing in is on the
        receipts from now on, and starts the sale on the screen if it is still empty; a
        lock keeps the last one for the receipts (a card payment that ends under the lock
        was served by who started it)."""
        if self.till is not None and cashier is not None:
            self.till.cashier = (cashier.number, cashier.name)
            if self._sale is not None and not self.view.lines:
                self.till.journal.set_started_by(self.sale.sale_id, cashier.number)
        self._set_facts(cashier=f"{cashier.name} ({cashier.number})" if cashier else None)

    def close_dialogs(self) -> None:
        """Close the dialogs and pages over the till's screens (an approval, a count, the
        day's page): what a lock cancels."""
        while len(self.screen_stack) > 1 and isinstance(self.screen, TillModal):
            self.pop_screen()

    def sale_started_by(self) -> int | None:
        if self.till is None or self._sale is None:
            return None
        return self.till.journal.sale(self.sale.sale_id).started_by

    def print_report(self, title: str, lines: list[str]) -> None:
        if self.printing is not None and self.printing.configured:
            self.printing.print_report(title, lines)

    def open_drawer_for_cash(self) -> None:
        if self.printing is not None:
            self.printing.cash_move()

    def on_finish_again(self, message: FinishAgain) -> None:
        self.run_payment(self.sale.finish())

    def on_invoice_rest(self, message: InvoiceRest) -> None:
        self.run_payment(self._invoice_rest())

    async def _invoice_rest(self) -> None:
        view = self.view
        labels = [line.label or line.sku for line in view.lines if line.sku in view.held]
        await self.sale.invoice_rest()
        if self.view.error is None and not self.view.held:
            self._note(f"Invoiced now: {', '.join(labels)}")

    def on_set_aside(self, message: SetAside) -> None:
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

    # --- on every screen ---

    def action_help(self) -> None:
        """The keys of the screen on top, from its bindings, and the keys of every screen;
        pressed on the help, it closes it."""
        screen = self.screen
        if self._page_open("Keys"):
            return
        everywhere = [
            (key_name(b.key), QUIT_HELP[self.demo] if b.action == "quit" else b.tooltip)
            for b in own_bindings(self)
        ]
        keys = [*getattr(screen, "TYPED", ()), *key_rows(own_bindings(screen))]
        name = screen.title or type(screen).__name__
        text = help_text([(name, keys), ("On every screen", everywhere)])
        self.push_screen(InfoScreen("Keys", text))

    def _page_open(self, title: str) -> bool:
        """Close the page ``title`` if it is on top (F1 or Ctrl+S again); ``True`` if so."""
        screen = self.screen
        if isinstance(screen, InfoScreen) and screen.title_text == title:
            screen.dismiss()
            return True
        return False

    def action_support(self) -> None:
        if self._page_open("Support"):
            return
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
            scanner=self.facts.scanner,
            printer=self.facts.printer or ("ok" if self.facts.printing else None),
        )
        self.push_screen(InfoScreen("Support", text))

    async def action_quit(self) -> None:
        """Quit; in the middle of a payment, only once the cashier says so."""
        view = self.view
        waiting = view.terminal in (TerminalState.WAITING, TerminalState.CHECKING)
        if not (self.payment_running or waiting or view.phase in MID_PAYMENT):
            self.exit()
            return
        kept = (
            "Training: this sale is not kept; the next start is a fresh training till."
            if self.demo
            else "The sale is kept: when the till starts again, it asks Afosto how the "
            "payment ended and goes on from there."
        )

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        prompt = YesNoPrompt("Quit in the middle of a payment?", kept, "Y: quit   Esc: stay")
        self.push_screen(prompt, answered)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A step that died of an unexpected error: in the log and on the screen."""
        worker = event.worker
        if event.state is WorkerState.ERROR and self._sale is not None:
            error = worker.error
            log.error("%s failed: %r", worker.name, error, exc_info=error)
            self.sale.fail_unexpectedly(error)

    # --- the scanner, and scans from outside the entry field ---

    def on_scanner_changed(self, message: ScannerChanged) -> None:
        if message.state is not None:
            self._set_facts(scanner=message.state)
        if message.problem:
            self.sale.report(message.problem)

    def tap_key(self, event: events.Key) -> bool:
        """A fast burst ending in Enter outside the entry field is a scan, not typing;
        the field it went into takes it back."""
        if self.shift is not None:
            self.shift.touched()
        code = self._wedge.feed(event.character, event.key, event.time)
        focused = self.focused
        if code is None:  # not a burst: the dialog on top may move its focus first
            return self.pass_on(event)
        if isinstance(focused, LineField):
            return False
        if isinstance(focused, Field):
            focused.post_message(Field.TakeBack(code))
        self.post_message(BarcodeScanned(code))
        return True

    def pass_on(self, event: events.Key) -> bool:
        screen = self.screen
        return isinstance(screen, TillModal) and screen.tap(event.key)


def _cash_payments(view: SaleView) -> int:
    return sum(payment.is_paid and payment.method == "CASH" for payment in view.payments)


def create_app(runtime: Runtime | Callable[[], Runtime], *, demo: bool = False) -> TillApp:
    """The app factory that the command line, the tests and textual-dev share."""
    return TillApp(runtime, demo=demo)
