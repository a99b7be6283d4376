"""Where the till's engine comes from: the real Afosto API, or the built-in simulator.

Nothing here loads pydantic, httpx or the journal at import: the sale screen is painted
first, and the settings and the engine are loaded after (see :func:`open_runtime`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_pos.system import notify

if TYPE_CHECKING:
    import httpx

    from tui_pos.app.metrics import MetricsWriter
    from tui_pos.checkout import EngineSettings, Journal, Till
    from tui_pos.config import Settings
    from tui_pos.scanner import InputDeviceLike, Opener
    from tui_pos.sim import SimServer, Simulator
    from tui_pos.staff import CashierFile
    from tui_pos.system.lock import StateDirLock

TRAINING_CASHIERS = "training.toml"
"""The training till's cashier file, in the package: cashiers 1 (PIN 1111) and 2 (PIN
2222), manager 9 (PIN 9999)."""

DEMO_API_URL = "http://afosto.demo"
"""The demo's API origin; requests never leave the process (``SimTransport``)."""

DEMO_PAGE_PAID_AFTER = 20.0
"""In the demo a payment page nobody pays is paid after this many seconds, so that a
trainee without a phone sees one paid."""


@dataclass
class Runtime:
    """Settings plus how to reach the API; ``demo`` runs on the in-process simulator."""

    settings: Settings
    demo: bool = False
    transport: httpx.AsyncBaseTransport | None = None
    state_dir: Path = field(default=Path("."))
    _scratch: tempfile.TemporaryDirectory[str] | None = None
    scanner_opener: Opener | None = None
    """Opens the scanner device; set in live mode (evdev), or by tests (a fake device)."""
    cashiers: CashierFile | None = None
    """Who may sign in (``None``: no cashier file, one anonymous cashier)."""
    training_cashiers: bool = False
    """``cashiers`` are the training till's (the sign-in shows their PINs)."""
    simulator: Simulator | None = None
    """The demo's simulator, whose payment pages :meth:`serve_pages` serves."""
    _journal: Journal | None = field(default=None, init=False, repr=False)
    _lock: StateDirLock | None = field(default=None, init=False, repr=False)
    _pages: SimServer | None = field(default=None, init=False, repr=False)

    def load_cashiers(self) -> None:
        """The cashier file the settings name; :class:`StartupError` for a bad one (a till
        that cannot tell who may sign in does not start)."""
        from tui_pos.staff import CashierFileError, load_cashiers

        try:
            self.cashiers = load_cashiers(self.settings.cashiers_file)
        except CashierFileError as exc:
            raise StartupError(str(exc)) from None

    def train_cashiers(self) -> None:
        """The training till's cashiers (PINs in the README): sign-in and approvals are
        learnt in the demo too."""
        from importlib import resources

        from tui_pos.staff import CashierFile

        path = Path(str(resources.files("tui_pos.staff").joinpath(TRAINING_CASHIERS)))
        self.cashiers = CashierFile.load(path)
        self.training_cashiers = True

    def lock(self) -> None:
        """Take the state directory for this till, for the life of the process (see
        :mod:`tui_pos.system.lock`): two tills on one journal would each resume the same
        sale with a cart of their own. Raises :class:`StartupError`."""
        from tui_pos.system.lock import StateDirInUse, lock_state_dir

        try:
            self._lock = lock_state_dir(self.state_dir)
        except StateDirInUse as exc:
            raise StartupError(str(exc)) from None
        except OSError as exc:
            from tui_pos.checkout.words import cannot_save

            where = exc.filename or self.state_dir
            why = f"{where} cannot be written ({exc.strerror})"
            raise StartupError(cannot_save(why, "sale")) from None

    @classmethod
    def live(cls, settings: Settings) -> Runtime:
        return cls(settings, state_dir=settings.state_dir, scanner_opener=_open_scanner)

    @classmethod
    def demo_mode(cls, settings: Settings, simulator: Simulator | None = None) -> Runtime:
        """Training: the simulator in-process, a scratch journal, no scanner grab, the
        printer on the screen (no drawer opens); its settings say so (the support
        screen shows them)."""
        from pydantic import SecretStr

        from tui_pos.sim import DEMO_CHANNEL_ID, DEMO_TOKEN, SimTransport, Simulator

        scratch = tempfile.TemporaryDirectory(prefix="tui-pos-demo-")
        demo = settings.model_copy(
            update={
                "api_url": DEMO_API_URL,
                "api_token": SecretStr(DEMO_TOKEN),
                "api_token_file": None,
                "channel_id": DEMO_CHANNEL_ID,
                "terminal_id": None,
                "drawer_id": None,
                "state_dir": Path(scratch.name),
                "scanner": settings.scanner.model_copy(update={"enabled": False}),
                "printer": settings.printer.model_copy(
                    update={
                        "kind": "screen",
                        "shop_name": settings.printer.shop_name or "Demo shop",
                    }
                ),
            }
        )
        if simulator is None:
            from tui_pos.sim.state import PageOutcome, PaymentStatus

            simulator = Simulator(admin=False)
            simulator.store.page_default = PageOutcome(PaymentStatus.PAID, DEMO_PAGE_PAID_AFTER)
        transport = SimTransport(simulator)
        return cls(demo, True, transport, demo.state_dir, scratch, simulator=simulator)

    async def serve_pages(self) -> None:
        """In the demo, serve the simulator's payment pages on a loopback socket, so a
        browser on the till (or a test) can pay one; the payments' urls point there."""
        if self.simulator is None or self._pages is not None:
            return
        from tui_pos.sim import SimServer

        self._pages = pages = SimServer(self.simulator)
        await pages.__aenter__()
        self.simulator.page_base_url = pages.base_url

    async def stop_pages(self) -> None:
        if self._pages is not None:
            pages, self._pages = self._pages, None
            await pages.__aexit__(None, None, None)

    def engine_settings(self) -> EngineSettings:
        from tui_pos.checkout import EngineSettings

        settings = self.settings
        assert settings.channel_id is not None
        return EngineSettings(
            channel_id=settings.channel_id,
            currency=settings.currency,
            terminal_id=settings.terminal_id,
            drawer_id=settings.drawer_id,
            locale=settings.locale,
            invoice_poll=settings.invoice_poll,
            invoice_timeout=settings.invoice_timeout,
            token_source=settings.token,
            customer_card_pattern=settings.customer_card_pattern or None,
        )

    def journal(self) -> Journal:
        """The journal, opened on first use (``JournalError`` if it cannot be)."""
        from tui_pos.checkout import Journal
        from tui_pos.checkout.journal import JOURNAL_NAME

        if self._journal is None:
            self._journal = Journal(self.state_dir / JOURNAL_NAME)
        return self._journal

    def journal_problem(self) -> str | None:
        """Why the journal cannot be opened (its disk read-only or full), in the cashier's
        words; ``None`` when it can (it is then open for :meth:`open_till`). The till must
        not start without it."""
        from tui_pos.checkout.journal import REPAIR, JournalError, JournalProblem

        try:
            self.journal()
        except JournalError as exc:
            if exc.reason is JournalProblem.DAMAGED:
                return (
                    f"The till's records are damaged: {exc}. No sale can start. "
                    f"Call support ({REPAIR})."
                )
            from tui_pos.checkout.words import cannot_save

            return cannot_save(str(exc), "sale")
        return None

    def open_till(self, observe: Callable[[str, float, str | None], None] | None = None) -> Till:
        """The engine: loaded here, not at import, so the sale screen is up before it is;
        ``observe`` hears of each API request (the client's ``observe``)."""
        from tui_pos.afosto import AfostoClient
        from tui_pos.checkout import Till

        settings = self.settings
        client = AfostoClient(
            settings.api_url,
            settings.token(),
            transport=self.transport,
            timeout=settings.request_timeout,
            terminal_timeout=settings.terminal_timeout,
            observe=observe,
        )
        return Till(client, self.journal(), self.engine_settings())

    def open_metrics(self, say: Callable[[str], None]) -> MetricsWriter | None:
        """The metrics writer for ``metrics_dir`` (``None``: not set), not yet started;
        prometheus_client is loaded here, after the first paint."""
        if self.settings.metrics_dir is None:
            return None
        from tui_pos.app.metrics import MetricsWriter

        return MetricsWriter(self.settings.metrics_dir, self.journal(), say=say)

    def cleanup(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._scratch is not None:
            self._scratch.cleanup()


class StartupError(Exception):
    """Why the till cannot start; ``str()`` is the one line for the console."""


def open_runtime(config: Path | None = None, *, demo: bool = False) -> Runtime:
    """The settings (``config`` and the environment), the state directory's lock (one
    till on it), logging, and a check that the journal can be written: what ``tui-pos``
    and ``tui-pos --demo`` run on. Called once the sale screen is painted (pydantic
    alone takes longer to load than the screen takes to paint); raises
    :class:`StartupError` for a setting, a state directory or a disk the till cannot
    work with, and tells systemd why."""
    from tui_pos.config import ConfigError, load_settings
    from tui_pos.system.logs import setup_logging

    try:
        settings = load_settings(config, live=not demo)
    except ConfigError as exc:
        notify.status(f"configuration error: {exc}")
        raise StartupError(f"configuration error: {exc}") from None
    runtime = Runtime.demo_mode(settings) if demo else Runtime.live(settings)
    try:
        if demo:
            runtime.train_cashiers()
        else:  # before the journal (and the log) is opened; the demo's is its own
            runtime.lock()
            runtime.load_cashiers()
    except StartupError as exc:
        notify.status(str(exc))
        raise
    setup_logging(secrets=[] if demo else [settings.token()], state_dir=runtime.state_dir)
    problem = runtime.journal_problem()
    if problem is not None:  # a disk gone read-only or full: one line, not a traceback
        runtime.cleanup()
        notify.status(f"journal error: {problem}")
        raise StartupError(problem)
    return runtime


def _open_scanner(path: str) -> InputDeviceLike:
    """evdev's opener, imported when the scanner is first opened (after the first paint)."""
    from tui_pos.scanner import open_device

    return open_device(path)
