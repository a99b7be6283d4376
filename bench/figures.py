"""Each figure of issue 7, measured beside its baseline in the same run."""

from __future__ import annotations

import asyncio
import select
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import mean, median
from typing import TYPE_CHECKING

from bench.naive import naive_sale
from bench.ptyproc import CLK_TCK, PtyProc
from bench.runners import READY, notify_socket, spawn_bare, spawn_till, state_dir, wait_ready
from bench.simproc import EXTRA_SKUS, SimProcess

if TYPE_CHECKING:
    from tests.support.netprinter import NetPrinter

FRAME = 1 / 60
SCROLLED = 2048
"""Bytes past which a scan's repaint included the whole cart (it scrolled)."""
F9 = b"\x1b[20~"
PASTE = (b"\x1b[200~", b"\x1b[201~")
INVOICE = b"Invoice F"


@dataclass
class Row:
    figure: str
    value: str
    baseline: str
    ratio: float | None
    goal: str
    ok: bool | None
    note: str = ""


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def label(index: int) -> bytes:
    """The confirmed line's text for ``EXTRA_SKUS[index]`` (see bench.simproc)."""
    return f"Artikel {index:04d}".encode()


@contextmanager
def till_on(
    sim: SimProcess, parent: str | None = None, env: dict[str, str] | None = None
) -> Iterator[PtyProc]:
    """A till on a fresh journal, ready (its engine up: it has told "systemd" READY=1)
    and quiet. (A scan typed sooner waits for the engine: that is the start figure's
    note, not the scan figures'.)"""
    with (
        state_dir(parent) as folder,
        notify_socket() as (path, sock),
        spawn_till(sim.url, folder, notify=path, env=env) as till,
    ):
        till.wait_for(READY)
        wait_ready(till, sock)
        till.settle(0.3)
        yield till


def scan(till: PtyProc, index: int) -> tuple[float, int]:
    """Scan ``EXTRA_SKUS[index]``: seconds until its line shows (pending, before the API
    answers), and the bytes written until the screen is steady again (confirmed)."""
    code = EXTRA_SKUS[index].encode()
    start = len(till.out)
    written = till.write(code + b"\r")
    shown = till.wait_for(code + b" ...", start)
    till.wait_for(label(index), start)
    till.settle(0.25)
    return shown - written, len(till.out) - start


def pump_all(procs: Sequence[PtyProc], seconds: float) -> None:
    """Keep reading every pty for ``seconds`` (so no app ever blocks on its output)."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        fds = {p.fd: p for p in procs if p.fd >= 0}
        ready, _, _ = select.select(list(fds), [], [], left)
        for fd in ready:
            fds[fd].pump(0)


# --- start, idle CPU, memory ---


def startup(reps: int) -> list[Row]:
    """Process start until the sale screen's entry placeholder is in the pty output; and,
    for the till, a code typed at that moment: when its line shows."""
    till_times: list[float] = []
    bare_times: list[float] = []
    first_line: list[float] = []
    with SimProcess() as sim:
        for rep in range(reps + 1):  # the first pair warms the page cache, not counted
            with spawn_bare() as bare:
                bare_at = bare.wait_for(READY) - bare.spawned
            with state_dir() as folder, spawn_till(sim.url, folder) as till:
                till_at = till.wait_for(READY) - till.spawned
                code = EXTRA_SKUS[0].encode()
                start = len(till.out)
                till.write(code + b"\r")
                line_at = till.wait_for(code + b" ...", start) - till.spawned
            if rep:
                bare_times.append(bare_at)
                till_times.append(till_at)
                first_line.append(line_at)
    till_s, bare_s = median(till_times), median(bare_times)
    ratio = till_s / bare_s
    return [
        Row(
            "start to ready-to-scan (pty)",
            ms(till_s),
            f"{ms(bare_s)} bare app",
            ratio,
            "<= 1.2x",
            ratio <= 1.2,
            f"median of {reps}; the engine loads after that first paint: a code typed the "
            f"moment the screen shows has its line up {ms(median(first_line))} after start",
        )
    ]


def idle_and_memory(reps: int, seconds: float = 10.0) -> list[Row]:
    """The till, the bare app and the bare app without a blinking cursor started side by
    side (and, for memory, the bare app with the till's libraries loaded); CPU ticks over
    ``seconds`` idle, then peak RSS."""
    names = ("till", "bare", "still", "libraries")
    ticks: dict[str, list[int]] = {name: [] for name in names}
    peaks: dict[str, list[int]] = {name: [] for name in names}
    with SimProcess() as sim:
        for _ in range(reps):
            with (
                till_on(sim) as till,
                spawn_bare() as bare,
                spawn_bare(blink=False) as still,
                spawn_bare(libraries=True) as libraries,
            ):
                procs = {"till": till, "bare": bare, "still": still, "libraries": libraries}
                for proc in (bare, still, libraries):
                    proc.wait_for(READY)
                pump_all(list(procs.values()), 1.0)  # let all finish starting
                before = {name: proc.cpu_ticks() for name, proc in procs.items()}
                pump_all(list(procs.values()), seconds)
                for name, proc in procs.items():
                    ticks[name].append(proc.cpu_ticks() - before[name])
                    peaks[name].append(proc.status_kb("VmHWM"))
    till_ticks, bare_ticks = median(ticks["till"]), median(ticks["bare"])
    cpu_ratio = till_ticks / bare_ticks if bare_ticks else (0.0 if not till_ticks else None)
    till_kb, bare_kb = median(peaks["till"]), median(peaks["bare"])
    libraries_kb = median(peaks["libraries"])
    tick_ms = 1000 / CLK_TCK
    return [
        Row(
            f"CPU over {seconds:.0f} s idle on the sale screen",
            f"{till_ticks:g} ticks",
            f"{bare_ticks:g} ticks bare app",
            cpu_ratio,
            "<= 1.0x, ideally 0",
            till_ticks <= bare_ticks,
            f"1 tick = {tick_ms:.0f} ms CPU; runs {ticks['till']} vs {ticks['bare']}; the "
            f"bare app without its blinking cursor {median(ticks['still']):g} ticks (Textual "
            "itself: its input thread wakes up while idle)",
        ),
        Row(
            "peak memory (VmHWM) once ready",
            f"{till_kb / 1024:.1f} MiB",
            f"{bare_kb / 1024:.1f} MiB bare app",
            till_kb / bare_kb,
            "<= 1.25x",
            till_kb / bare_kb <= 1.25,
            f"median of {reps}; the bare app with the till's libraries loaded (pydantic with "
            f"a model and a settings class, an httpx client, SQLite): "
            f"{libraries_kb / 1024:.1f} MiB, and the till {till_kb / libraries_kb:.2f}x that: "
            f"the libraries take {(libraries_kb - bare_kb) / 1024:.1f} of the "
            f"{(till_kb - bare_kb) / 1024:.1f} MiB more",
        ),
    ]


# --- scanning ---


def scan_latency(scans: int) -> list[Row]:
    """Code + Enter written to the pty until the pending line is in the output, with
    the API answering 300 ms later; the journal on disk, then on tmpfs for comparison."""
    with SimProcess(latency=0.3) as sim:
        with till_on(sim) as till:
            results = [scan(till, i) for i in range(scans)]
        memory: list[float] = []
        if Path("/dev/shm").is_dir():
            with till_on(sim, "/dev/shm") as till:
                memory = [scan(till, scans + i)[0] for i in range(scans)]
    disk = [seconds for seconds, _ in results]
    # A scan that scrolls the cart (past the first screenful, one in six) repaints every
    # row: many more bytes than one that does not.
    still = [seconds for seconds, size in results if size < SCROLLED]
    scrolled = [seconds for seconds, size in results if size >= SCROLLED]
    p50, p95 = median(disk), pct(disk, 95)
    note = (
        f"{scans} scans into one sale, API answers after 300 ms; the {len(scrolled)} that "
        f"scrolled the cart: max {ms(max(scrolled, default=0))}; the others: "
        f"p50 {ms(median(still))} p95 {ms(pct(still, 95))}"
    )
    if memory:
        note += f"; journal on tmpfs (no fsync): p50 {ms(median(memory))} p95 {ms(pct(memory, 95))}"
    return [
        Row(
            "scan to line on screen p50", ms(p50), "16.7 ms (1 frame)", p50 / FRAME, "-", None, note
        ),
        Row(
            "scan to line on screen p95",
            ms(p95),
            "16.7 ms (1 frame)",
            p95 / FRAME,
            "<= 1 frame",
            p95 <= FRAME,
        ),
    ]


def journal_write(writes: int = 200) -> list[Row]:
    """What one scan's journal write (SQLite WAL, synchronous=FULL) costs, in-process."""
    from tui_pos.checkout import Journal

    results: dict[str, list[float]] = {}
    for name, parent in (("disk", None), ("tmpfs", "/dev/shm")):
        if parent and not Path(parent).is_dir():
            continue
        with tempfile.TemporaryDirectory(dir=parent) as folder:
            journal = Journal(Path(folder) / "journal.sqlite3")
            sale = journal.new_sale()
            times = []
            for i in range(writes):
                began = time.perf_counter()
                journal.set_quantity(sale, EXTRA_SKUS[i], 1)
                times.append(time.perf_counter() - began)
            journal.close()
        results[name] = times
    disk = results["disk"]
    tmpfs = results.get("tmpfs", disk)
    return [
        Row(
            "journal write per scan (fsync)",
            f"{median(disk) * 1000:.2f} ms",
            f"{median(tmpfs) * 1000:.2f} ms tmpfs",
            median(disk) / FRAME,
            "(share of a frame)",
            None,
            f"p95 {pct(disk, 95) * 1000:.2f} ms; ratio is against one frame",
        )
    ]


def growth(samples: int) -> list[Row]:
    """Time to add a scan at N = 1, 100 and 500 lines: the mean of ``samples`` scans in a
    row from N on (the cart scrolls half a view at a time: 6 scans hold one scroll; the
    first scan of N = 1 also creates the order)."""
    at: dict[int, list[float]] = {}
    with SimProcess(latency=0.3) as sim, till_on(sim) as till:
        index = 0
        for target in (1, 100, 500):
            if index < target - 1:  # fill up to N - 1 lines in one paste
                codes = b"\r".join(EXTRA_SKUS[i].encode() for i in range(index, target - 1))
                till.write(PASTE[0] + codes + PASTE[1])
                till.wait_for(f"|  {target - 1} items".encode(), timeout=60)
                till.wait_for(label(target - 2), timeout=60)
                till.settle(1.0, timeout=60)
                index = target - 1
            at[target] = [scan(till, index + k)[0] for k in range(samples)]
            index += samples
    base = mean(at[1])
    ratios = {n: mean(at[n]) / base for n in at}
    note = ", ".join(f"N={n}: mean {ms(mean(v))}, max {ms(max(v))}" for n, v in at.items())
    return [
        Row(
            "cost growth: add the Nth scan, N=500 vs N=1",
            ms(mean(at[500])),
            f"{ms(base)} at N=1",
            ratios[500],
            "<= 1.2x",
            ratios[500] <= 1.2,
            f"{note} ({samples} scans each; N=100 {ratios[100]:.2f}x)",
        )
    ]


# --- the API ---


def till_sale(
    sim: SimProcess, codes: Sequence[int], interval: float, pay_after: float
) -> dict[str, float]:
    with till_on(sim) as till:
        began = time.monotonic()
        for n, index in enumerate(codes):
            while (wait := began + n * interval - time.monotonic()) > 0:
                till.pump(wait)
            till.write(EXTRA_SKUS[index].encode() + b"\r")
        till.idle(pay_after)
        start = len(till.out)
        pay = till.write(F9)
        till.wait_for(INVOICE, start, timeout=30)
        till.settle(0.5)
        return {"pay": pay}


def count_between(
    log: list[tuple[float, list[str]]], after: float, first: str, last: str
) -> tuple[int, int]:
    """Requests from ``after`` to the ``first`` operation (exclusive), and from there
    (exclusive) to ``last`` (inclusive)."""
    ops = [op for at, ops in log if at >= after for op in ops]
    start = ops.index(first)
    end = ops.index(last, start)
    return start, end - start


def api(items: int = 10, interval: float = 0.2, pay_after: float = 1.0) -> list[Row]:
    """A 10-item PIN sale scanned at 5 per second, paid 1 s after the last scan, against
    the simulator with 50 ms latency: the till versus the guide's naive sequence."""
    settings = {"latency": 0.05, "terminal_delay": 0.5, "invoice_delay": 0.0}
    with SimProcess(**settings) as sim:
        marks = till_sale(sim, range(items), interval, pay_after)
        till_log = sim.log()
    with SimProcess(**settings) as sim:
        naive = asyncio.run(
            naive_sale(sim.url, EXTRA_SKUS[:items], interval=interval, pay_after=pay_after)
        )
        naive_log = sim.log()
    till_total, naive_total = len(till_log), len(naive_log)
    till_prompt, till_invoice = count_between(
        till_log, marks["pay"], "startPayment", "invoiceItems"
    )
    naive_prompt, naive_invoice = count_between(
        naive_log, naive["pay"], "startPayment", "invoiceItems"
    )
    ops = ", ".join(op for _, o in till_log for op in o)
    return [
        Row(
            f"HTTP requests, {items}-item PIN sale at 5 scans/s",
            str(till_total),
            f"{naive_total} naive",
            till_total / naive_total,
            "<= 0.5x",
            till_total / naive_total <= 0.5,
            f"50 ms latency; till: {ops}",
        ),
        Row(
            "round trips: pay key to terminal prompt",
            str(till_prompt),
            f"{naive_prompt} naive",
            till_prompt / naive_prompt,
            "2",
            till_prompt <= 2,
        ),
        Row(
            "round trips: terminal paid to invoice shown",
            str(till_invoice),
            f"{naive_invoice} naive",
            till_invoice / naive_invoice,
            "2 (openOrder, invoiceItems)",
            till_invoice <= 2,
            "processing instant (invoice_delay 0): openOrder's answer lists the invoice ids",
        ),
    ]


# --- the receipt printer ---


CUT = b"\x1dV"
"""GS V: the receipt's last command (python-escpos's cut)."""


def printed_sale(sim: SimProcess, printer: NetPrinter | None, delay: float) -> dict[str, float]:
    """A one-item PIN sale: seconds from the terminal's approval to the invoice on the
    screen and (with ``printer``) to the receipt's last byte at the printer; the till's
    peak memory after. ``delay``: the simulator's terminal delay."""
    env = {}
    if printer is not None:
        env = {
            "TUI_POS_PRINTER__KIND": "network",
            "TUI_POS_PRINTER__HOST": "127.0.0.1",
            "TUI_POS_PRINTER__PORT": str(printer.port),
        }
    with till_on(sim, env=env) as till:
        received = len(printer.received) if printer else 0
        scan(till, 0)
        start = len(till.out)
        pay = till.write(F9)
        shown = till.wait_for(INVOICE, start, timeout=30)
        printed = None
        deadline = time.monotonic() + 30
        while printer is not None and printed is None and time.monotonic() < deadline:
            till.pump(0.002)
            if CUT in printer.received[received:]:
                printed = time.monotonic()
        till.settle(0.3)
        memory = till.status_kb("VmHWM")
    started = next(at for at, ops in sim.log() if at >= pay and "startPayment" in ops)
    approved = started + delay  # the simulator's terminal approves after ``delay``
    figures = {"invoice": shown - approved, "memory": memory}
    if printer is not None:
        assert printed is not None, "the receipt never reached the printer"
        figures["receipt"] = printed - approved
    return figures


def receipt(reps: int) -> list[Row]:
    """The same PIN sale with a network printer (our own on 127.0.0.1) and without: the
    sale's finishing must not wait for the printer, and the receipt follows at once."""
    from tests.support.netprinter import NetPrinter

    delay = 0.3
    with SimProcess(0.0, delay, 0.0) as sim, NetPrinter() as printer:
        bare = [printed_sale(sim, None, delay) for _ in range(reps)]
        printing = [printed_sale(sim, printer, delay) for _ in range(reps)]
    bare_invoice = median(run["invoice"] for run in bare)
    invoice = median(run["invoice"] for run in printing)
    receipt = median(run["receipt"] for run in printing)
    bare_kb = median(run["memory"] for run in bare)
    kb = median(run["memory"] for run in printing)
    return [
        Row(
            "approval to invoice shown, with a printer",
            ms(invoice),
            f"{ms(bare_invoice)} no printer",
            invoice / bare_invoice,
            "<= 1.1x",
            invoice <= 1.1 * bare_invoice,
            "terminal delay 0.3 s, no API latency; printing runs beside the finishing",
        ),
        Row(
            "approval to the receipt's last byte at the printer",
            ms(receipt),
            f"{ms(bare_invoice)} invoice, no printer",
            receipt / bare_invoice,
            "-",
            None,
            "a network printer of our own on 127.0.0.1 (status asked before and after)",
        ),
        Row(
            "peak memory after a sale, with a printer",
            f"{kb / 1024:.1f} MiB",
            f"{bare_kb / 1024:.1f} MiB no printer",
            kb / bare_kb,
            "-",
            None,
            "python-escpos and what it imports, loaded after the first paint",
        ),
    ]


# --- the terminal ---


def bytes_per_scan(samples: int) -> list[Row]:
    """Bytes written to the terminal for one scan (pending, then confirmed) at 80x24,
    once the screen is steady, against a full repaint forced by a resize."""
    with SimProcess(latency=0.05) as sim, till_on(sim) as till:
        first_paint = len(till.out)
        for i in range(3):  # a few lines in, so the cart is not empty
            scan(till, i)
        sizes = [scan(till, 3 + k)[1] for k in range(samples)]
        till.resize(81, 24)
        till.settle(0.5)
        till.resize(80, 24)
        start = len(till.out)
        till.settle(0.5)
        repaint = len(till.out) - start
    per_scan = median(sizes)
    return [
        Row(
            "bytes to the terminal per scan, 80x24",
            f"{per_scan:.0f} B",
            f"{repaint} B full repaint",
            per_scan / repaint,
            "<= 3 KB",
            per_scan <= 3072,
            f"median of {samples}, line shown pending then confirmed; first paint {first_paint} B",
        )
    ]


FIGURES: dict[str, Callable[[int], list[Row]]] = {
    "startup": startup,
    "idle": lambda reps: idle_and_memory(max(1, reps // 2)),
    "scan": lambda reps: scan_latency(4 * reps) + journal_write(),
    "growth": lambda reps: growth(12 if reps > 1 else 2),
    "api": lambda reps: api() if reps > 1 else api(items=3, pay_after=0.5),
    "bytes": lambda reps: bytes_per_scan(max(1, reps // 2 + 1)),
    "receipt": lambda reps: receipt(max(1, reps // 2)),
}
