"""The till's Prometheus metrics, written for node_exporter's textfile collector.

:class:`MetricsWriter` keeps the till's own registry (never the process's global one):
the API's latency and errors, counted as the client reports each request, and the
journal's figures and the till's devices, read at each write. Writes run on the writer's
own thread, off the event loop: :meth:`MetricsWriter.request` only wakes it, so a burst
of requests writes once. ``prometheus_client.write_to_textfile`` writes a temporary
file beside the metrics file and renames it over: a reader sees the old file or the new
one, never half of one. A write that fails is logged once (until one works again) and
said to support; the till goes on.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from tui_pos import __version__
from tui_pos.app.facts import TillFacts
from tui_pos.checkout.journal import Journal, JournalError
from tui_pos.checkout.options import default_terminal, pin_terminals
from tui_pos.checkout.tally import Figures, Tally
from tui_pos.scanner.reader import ScannerState

if TYPE_CHECKING:
    from tui_pos.afosto.assumed import PaymentOptions

log = logging.getLogger(__name__)

FILE_NAME = "tui-pos.prom"
"""The metrics file in ``metrics_dir`` (the textfile collector reads ``*.prom``)."""

EVERY_SECONDS = 15.0
"""How often the till writes its metrics, besides after each sale."""

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 180.0)
"""Seconds; up to the terminal's long-poll, which lasts until the customer has paid."""

PRINTER_STATES = ("ok", "out_of_paper", "cover_open", "fault")
_PRINTER_WORDS = {"out of paper": "out_of_paper", "cover open": "cover_open"}
"""The status line's printer words (``Printer: out of paper``) and their state."""

NO_SCANNER = "none"
SCANNER_STATES = (NO_SCANNER, *(state.name.lower() for state in ScannerState), "unknown")
_SCANNER_WORDS = {state.value: state.name.lower() for state in ScannerState}


@dataclass(frozen=True)
class TillState:
    """What the app knows of the till's connections and devices, for one write."""

    api_up: bool | None = None
    """Afosto answered the last request (``None``: not asked yet)."""
    terminal_up: bool | None = None
    """A card payment can go to a terminal online (``None``: not known yet)."""
    printer: str | None = None
    """One of :data:`PRINTER_STATES`; ``None``: no receipt printer set up."""
    scanner: str = NO_SCANNER
    """One of :data:`SCANNER_STATES`."""


def till_state(
    facts: TillFacts, options: PaymentOptions | None, preferred_terminal: str | None
) -> TillState:
    """The state of the till as its status line shows it (``facts``) and the payment
    options Afosto last sent (``None``: none yet)."""
    terminal = None
    if options is not None:
        terminal = default_terminal(pin_terminals(options), preferred_terminal) is not None
    printer = None
    if facts.printing:
        words = (facts.printer or "").lower()
        found = (state for text, state in _PRINTER_WORDS.items() if text in words)
        printer = "ok" if facts.printer is None else next(found, "fault")
    no_reader = facts.scanner == TillFacts().scanner  # the status line's "No USB scanner"
    scanner = NO_SCANNER if no_reader else _SCANNER_WORDS.get(facts.scanner, "unknown")
    return TillState(facts.api, terminal, printer, scanner)


def error_kind(name: str) -> str:
    """The label for an error class's name: ``OutcomeUnknown`` -> ``outcome_unknown``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class MetricsWriter:
    """Writes ``directory``/:data:`FILE_NAME` on its own thread, reading ``journal``'s
    file on a connection of the thread's own; the sales it counts are those paid from
    now on. ``say`` tells support of a write that failed (on the writer's thread)."""

    def __init__(
        self, directory: Path, journal: Journal, *, say: Callable[[str], None] = log.warning
    ) -> None:
        self.path = directory / FILE_NAME
        self._journal_path = journal.path
        self._since = Tally.newest_receipt(journal)
        self._say = say
        self.registry = CollectorRegistry(auto_describe=True)
        self._latency = Histogram(
            "tui_pos_api_request_duration_seconds",
            "Seconds each request to the Afosto API took, by operation.",
            ["operation"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._errors = Counter(
            "tui_pos_api_errors",
            "Requests to the Afosto API that failed, by operation and kind of error.",
            ["operation", "kind"],
            registry=self.registry,
        )
        self._journal_metrics = _JournalCollector()
        self.registry.register(self._journal_metrics)
        self._state = TillState()
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="tui-pos metrics", daemon=True)
        self.writes = 0
        """Files written so far."""
        self.problem: str | None = None
        """Why the last write failed; ``None`` when it worked (or none was tried)."""

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread, after the write it may be doing."""
        self._stopping = True
        self._wanted.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def observe(self, operation: str, seconds: float, error: str | None) -> None:
        """The client's observer: one request, how long it took, and the name of its
        error's class (``None``: it worked). Cheap: called on the event loop."""
        self._latency.labels(operation).observe(seconds)
        if error is not None:
            self._errors.labels(operation, error_kind(error)).inc()

    def request(self, state: TillState) -> None:
        """Write the metrics soon, with ``state``; returns at once."""
        self._state = state
        self._wanted.set()

    def _run(self) -> None:
        tally: Tally | None = None
        while True:
            self._wanted.wait()
            if self._stopping:
                break
            self._wanted.clear()
            try:
                if tally is None:
                    tally = Tally(Journal(self._journal_path), since=self._since)
                self._write(tally.read(), self._state)
            except (OSError, JournalError) as exc:
                self._failed(str(exc))
            except Exception as exc:  # a bug here must not stop the metrics for good
                log.exception("metrics: unexpected error")
                self._failed(f"unexpected error ({exc!r})")
        if tally is not None:
            tally.close()

    def _write(self, figures: Figures, state: TillState) -> None:
        self._journal_metrics.figures, self._journal_metrics.state = figures, state
        write_to_textfile(str(self.path), self.registry)
        self.writes += 1
        if self.problem is not None:
            log.info("metrics: %s written again", self.path)
            self.problem = None

    def _failed(self, why: str) -> None:
        if self.problem is None:  # once, until a write works again
            words = f"Metrics not written to {self.path}: {why}"
            log.warning("%s", words)
            self._say(words)
        self.problem = why


class _JournalCollector(Collector):
    """The journal's figures and the till's state, as at the write being made."""

    def __init__(self) -> None:
        self.figures: Figures | None = None
        self.state = TillState()

    def describe(self) -> list[Metric]:
        return []  # collected only when written: nothing to check at registration

    def collect(self) -> Iterator[Metric]:
        figures, state = self.figures, self.state
        yield _gauge("tui_pos_info", "The till's version.", 1, version=__version__)
        yield _gauge(
            "tui_pos_metrics_written_timestamp_seconds",
            "When the till wrote this file (unix seconds).",
            time.time(),
        )
        yield from _device_metrics(state)
        if figures is not None:
            yield from _journal_metrics(figures)


def _device_metrics(state: TillState) -> Iterator[Metric]:
    if state.api_up is not None:
        yield _gauge("tui_pos_api_up", "Afosto answered the last request.", state.api_up)
    if state.terminal_up is not None:
        yield _gauge(
            "tui_pos_terminal_up",
            "A card payment can go to a PIN terminal that is online.",
            state.terminal_up,
        )
    if state.printer is not None:
        yield _states(
            "tui_pos_printer_state", "The receipt printer's state.", PRINTER_STATES, state.printer
        )
    yield _states("tui_pos_scanner_state", "The scanner's state.", SCANNER_STATES, state.scanner)


def _journal_metrics(figures: Figures) -> Iterator[Metric]:
    sales = CounterMetricFamily(
        "tui_pos_sales", "Sales paid since the till started (from the journal)."
    )
    sales.add_metric([], figures.sales)
    yield sales
    paid = CounterMetricFamily(
        "tui_pos_sales_cents",
        "Money paid on sales since the till started, per tender, in cents.",
        labels=["tender"],
    )
    for method, amount in sorted(figures.tenders.items()):
        paid.add_metric([method.lower()], amount)
    yield paid
    day = figures.day
    yield _gauge("tui_pos_day_open", "A day is open on the till.", day is not None)
    if day is not None:
        yield _gauge("tui_pos_day_sales", "Sales paid in the open day.", day.sales)
        day_paid = GaugeMetricFamily(
            "tui_pos_day_sales_cents",
            "Money paid on sales in the open day, per tender, in cents.",
            labels=["tender"],
        )
        for tender in day.tenders:
            day_paid.add_metric([tender.method.lower()], tender.amount)
        yield day_paid
    if figures.last_sale_at is not None:
        yield _gauge(
            "tui_pos_last_sale_timestamp_seconds",
            "When the newest sale was paid (unix seconds).",
            figures.last_sale_at,
        )
    yield _gauge(
        "tui_pos_invoices_pending",
        "Paid sales whose invoice is still to be made (the outbox).",
        figures.invoices_pending,
    )
    if figures.oldest_invoice_pending_at is not None:
        yield _gauge(
            "tui_pos_invoice_pending_oldest_timestamp_seconds",
            "When the oldest sale still waiting for its invoice was paid (unix seconds).",
            figures.oldest_invoice_pending_at,
        )
    yield _gauge(
        "tui_pos_unknown_outcomes",
        "Calls of the sale in progress sent without a known outcome (a card payment "
        "not confirmed, among others).",
        figures.unknown_outcomes,
    )
    if figures.oldest_unknown_at is not None:
        yield _gauge(
            "tui_pos_unknown_outcome_oldest_timestamp_seconds",
            "When the oldest call of unknown outcome was sent (unix seconds).",
            figures.oldest_unknown_at,
        )
    yield _gauge(
        "tui_pos_journal_size_bytes",
        "The journal's size, its write-ahead log included.",
        figures.journal_bytes,
    )


def _gauge(name: str, documentation: str, value: float, **labels: str) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, documentation, labels=list(labels))
    gauge.add_metric(list(labels.values()), float(value))
    return gauge


def _states(name: str, documentation: str, states: tuple[str, ...], now: str) -> Metric:
    """One series per state, 1 for the state it is in."""
    gauge = GaugeMetricFamily(name, documentation, labels=["state"])
    for state in states:
        gauge.add_metric([state], float(state == now))
    return gauge
