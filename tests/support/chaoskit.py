"""Helpers of the chaos tests: the real till in a real pty against the simulator.

The till runs as ``python -m tui_pos`` in a pseudo-terminal of its own (80x24,
``TERM=linux``), the way systemd runs it on tty1; the test reads what it draws through a
small terminal emulator and types into it. The simulator is served on a 127.0.0.1 port
from a thread of the test process, where it can go down and come back on the same port;
the test arms its faults and reads its state through its admin endpoints (``/_sim/...``),
which run on the simulator's own event loop.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import os
import re
import signal
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench.ptyproc import PtyProc
from tests.support.simkit import SKUS
from tests.support.waiting import eventually
from tui_pos.checkout.codes import check_code
from tui_pos.sim import DEMO_CHANNEL_ID, Simulator, run_in_thread
from tui_pos.sim.app import Arrival
from tui_pos.sim.catalog import CATALOG

TOKEN = "s3cret-till-token-42"
"""The token the till starts with (never to be seen on the screen or in a log)."""

CODES = SKUS

A, B, C = CODES[0], CODES[1], CODES[2]
LABEL = {sku: product.label for sku, product in CATALOG.items()}

KEYS = {
    # What a Linux console sends for these keys; Textual parses them whatever TERM says.
    "enter": b"\r",
    "escape": b"\x1b",
    "f1": b"\x1b[[A",
    "f5": b"\x1b[[E",
    "f6": b"\x1b[17~",
    "f8": b"\x1b[19~",
    "f9": b"\x1b[20~",
    "f10": b"\x1b[21~",
    "ctrl+u": b"\x15",
}

SIZE = (80, 24)


# --- the screen -----------------------------------------------------------------------


class Screen:
    """Just enough of a terminal to read what Textual draws: cursor moves, CR/LF and text.

    Colours, modes and queries are skipped; the cursor never wraps (Textual turns
    autowrap off). Every line ever drawn is remembered, so that a message that showed only
    for a moment can be asserted afterwards."""

    _CSI = re.compile(rb"\x1b\[([0-9;?<=>$ ]*)([@-~])")

    def __init__(self, columns: int = SIZE[0], rows: int = SIZE[1]) -> None:
        self.columns, self.rows = columns, rows
        self.cells = [[" "] * columns for _ in range(rows)]
        self.row = self.column = 0
        self.history: set[str] = set()
        self.raw = bytearray()
        self._pending = b""
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode

    def feed(self, data: bytes) -> None:
        self.raw += data
        data = self._pending + data
        self._pending = b""
        i, text = 0, bytearray()
        while i < len(data):
            byte = data[i]
            if byte != 0x1B:
                end = data.find(b"\x1b", i)
                end = len(data) if end < 0 else end
                text += data[i:end]
                i = end
                continue
            self._write(self._decode(bytes(text)))
            text.clear()
            consumed = self._escape(data, i)
            if consumed is None:  # an escape sequence cut in two by the read
                self._pending = data[i:]
                break
            i = consumed
        self._write(self._decode(bytes(text)))
        self.history.update(self.lines())

    def _escape(self, data: bytes, i: int) -> int | None:
        if i + 1 >= len(data):
            return None
        kind = data[i + 1]
        if kind == ord("["):
            match = self._CSI.match(data, i)
            if match is None:
                return None if len(data) - i < 32 else i + 2
            params, final = match.group(1), match.group(2)
            if final == b"H" and not params.startswith(b"?"):
                parts = [int(p) if p else 1 for p in params.split(b";")] if params else [1, 1]
                row, column = [*parts, 1, 1][:2]
                self.row = min(max(row - 1, 0), self.rows - 1)
                self.column = min(max(column - 1, 0), self.columns - 1)
            elif final == b"J" and params in (b"2", b"3"):
                self.cells = [[" "] * self.columns for _ in range(self.rows)]
            return match.end()
        if kind == ord("]"):  # OSC, ended by BEL or ST
            bel, st = data.find(b"\x07", i), data.find(b"\x1b\\", i)
            ends = [end + 1 for end in (bel,) if end >= 0] + [end + 2 for end in (st,) if end >= 0]
            return min(ends) if ends else None
        return i + 2

    def _write(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.column = 0
            elif char == "\n":
                self.row = min(self.row + 1, self.rows - 1)
            elif char == "\b":
                self.column = max(self.column - 1, 0)
            elif unicodedata.category(char) in ("Cc", "Cf", "Mn", "Me"):
                continue
            else:
                if self.column < self.columns:
                    self.cells[self.row][self.column] = char
                width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
                self.column = min(self.column + width, self.columns)

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.cells]

    def text(self) -> str:
        return "\n".join(self.lines())

    def shows(self, text: str) -> bool:
        """Whether ``text`` is on the screen, also when it is wrapped over lines: in the
        full width, or in the sale screen's left column (where its messages are)."""
        wanted = " ".join(text.split())
        for width in (self.columns, 50):
            flat = " ".join(
                " ".join(line[:width].replace("│", " ").split()) for line in self.lines()
            )
            if wanted in flat:
                return True
        return False

    def showed(self, text: str) -> bool:
        """Whether ``text`` was on one line of the screen at any time."""
        return any(text in line for line in self.history)


# --- the till -------------------------------------------------------------------------


class TillProcess:
    """``python -m tui_pos`` in a pty of its own (the bench's driver, ``PtyProc``), read
    through :class:`Screen`; killed (if still running) on close."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.screen = Screen()
        self.status: int | None = None
        self.proc = PtyProc([sys.executable, "-m", "tui_pos"], env, *SIZE)
        self.pid = self.proc.pid
        self._fed = 0

    # reading

    def pump(self, seconds: float = 0.0) -> None:
        """Read what the till drew (for ``seconds``, at least once)."""
        deadline = time.monotonic() + seconds
        while True:
            self.proc.pump(max(0.0, min(deadline - time.monotonic(), 0.05)))
            if len(self.proc.out) > self._fed:
                self.screen.feed(bytes(self.proc.out[self._fed :]))
                self._fed = len(self.proc.out)
            if time.monotonic() >= deadline:
                return

    def wait_until(self, condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while True:
            self.pump()
            if condition():
                return
            if time.monotonic() > deadline or not self.alive():
                self.pump(0.2)
                state = "running" if self.alive() else f"exited ({self.status})"
                raise AssertionError(f"{what} never happened; till {state}, screen:\n{self.text}")
            self.pump(0.02)

    def wait_for(self, *texts: str, seconds: float = 15) -> None:
        """Until every one of ``texts`` is on the screen at once."""
        self.wait_until(
            lambda: all(self.screen.shows(t) for t in texts), f"{texts!r} on screen", seconds
        )

    @property
    def text(self) -> str:
        return self.screen.text()

    # typing

    def write(self, data: bytes) -> None:
        self.proc.write(data)

    def type(self, text: str, enter: bool = True) -> None:
        self.write(text.encode() + (b"\r" if enter else b""))

    def press(self, *keys: str) -> None:
        for key in keys:
            self.write(KEYS.get(key, key.encode()))
            time.sleep(0.05)  # a person's pace: not taken for a scanner's burst

    def paste(self, text: str) -> None:
        """A bracketed paste, as a terminal sends it: without ESC, which terminals (xterm,
        Alacritty, tmux) drop from a paste so that pasted text cannot end the paste early
        and be taken as keys. (Textual would take it so: an ESC inside a paste starts an
        escape sequence, and what follows is sent as keys, Ctrl+Q included.)"""
        text = text.replace("\x1b", "")
        self.write(b"\x1b[200~" + text.encode("utf-8", "surrogateescape") + b"\x1b[201~")

    # life

    def alive(self) -> bool:
        if self.status is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """The power goes (SIGKILL), or systemd stops it (SIGTERM)."""
        if self.alive():
            os.kill(self.pid, sig)
            deadline = time.monotonic() + 10
            while self.alive() and time.monotonic() < deadline:
                self.pump(0.02)
            if self.alive():
                os.kill(self.pid, signal.SIGKILL)
                _, status = os.waitpid(self.pid, 0)
                self.status = os.waitstatus_to_exitcode(status)
        self.pump()

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            self.kill()
        self.proc.exit_code = self.status
        if self.proc.fd >= 0:
            os.close(self.proc.fd)
            self.proc.fd = -1


# --- the simulator --------------------------------------------------------------------


class RecordingSimulator(Simulator):
    """The simulator, keeping every API request it is sent (a spy on the wire, through
    its ``observers`` hook), and able to hold the answer of a request it has processed
    (``hold_after``): the till then waits for an answer to a step that has already
    happened, which is the moment a power cut does the most harm."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log: list[Arrival] = []
        """Every API request that reached an operation, in order."""
        self.hold_after: set[str] = set()
        """Operations whose requests are processed and then never answered (until it is
        cleared: :meth:`Chaos.restart` does)."""
        self.held: list[str] = []
        """Operations processed whose answer is being held."""
        self.observers.append(self._record)

    def _record(self, arrival: Arrival) -> Callable[[], Awaitable[None]] | None:
        self.log.append(arrival)
        held = sorted(self.hold_after.intersection(arrival.operations))
        if not held:
            return None

        async def hold() -> None:
            self.held += held
            await asyncio.Event().wait()  # until the client hangs up (or dies)

        return hold

    def arrivals(self, operation: str) -> list[float]:
        """When each request to ``operation`` came in (``time.monotonic()``)."""
        return [arrival.at for arrival in list(self.log) if operation in arrival.operations]

    def skus_sent(self) -> list[str]:
        """Every SKU the till asked Afosto to add, in order."""
        skus = []
        for arrival in list(self.log):
            if "addItemsToOrder" in arrival.operations:
                request = json.loads(arrival.body)
                skus += [item["sku"] for item in request["variables"]["input"]["items"]]
        return skus


class LoopbackSim:
    """The simulator on a fixed 127.0.0.1 port, served from a thread; it can go down
    (connections refused) and come back with its state intact."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.port = 0
        self._stack: ExitStack | None = None
        self.base_url = ""

    def start(self) -> None:
        assert self._stack is None
        stack = ExitStack()
        self.base_url = stack.enter_context(run_in_thread(self.sim, "127.0.0.1", self.port))
        self.port = int(self.base_url.rsplit(":", 1)[1])
        self._stack = stack

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    @property
    def up(self) -> bool:
        return self._stack is not None

    def _admin(self, method: str, route: str, body: Any = None) -> Any:
        with httpx.Client(base_url=self.base_url, timeout=5) as client:
            response = client.request(method, route, json=body)
        assert response.status_code < 300, response.text
        return response.json()["data"]

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self._admin("GET", "/_sim/state")
        return state

    def orders(self) -> list[dict[str, Any]]:
        orders: list[dict[str, Any]] = self.state()["orders"]
        return orders

    def requests(self, operation: str) -> int:
        return int(self.state()["requests"].get(operation, 0))

    def inject(self, operation: str, kind: str, **parameters: Any) -> None:
        self._admin("POST", "/_sim/faults", {"operation": operation, "kind": kind, **parameters})

    def clear_faults(self) -> None:
        self._admin("DELETE", "/_sim/faults")

    def settings(self, **settings: Any) -> None:
        self._admin("POST", "/_sim/settings", settings)


# --- the journal ----------------------------------------------------------------------


def journal(state_dir: Path, query: str) -> list[tuple[Any, ...]]:
    """Rows of the till's journal, read as another process would (read-only)."""
    path = state_dir / "journal.sqlite3"
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute(query).fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        db.close()


def cart(state_dir: Path) -> dict[str, int]:
    """The cart the cashier asked for in the newest sale, voided lines left out."""
    rows = journal(
        state_dir,
        "SELECT sku, quantity FROM cart WHERE sale_id = (SELECT MAX(id) FROM sale) "
        "ORDER BY position",
    )
    return {sku: quantity for sku, quantity in rows if quantity}


# --- what must hold -------------------------------------------------------------------


def units(order: dict[str, Any]) -> list[str]:
    return [unit for line in order["lines"] for unit in line["ids"]]


def assert_money_invariants(orders: list[dict[str, Any]]) -> None:
    """Whatever happened: no unit twice, no overpayment (at most one paid payment when
    one pays it all), opened at most once, each unit invoiced at most once."""
    for order in orders:
        ids = units(order)
        assert len(ids) == len(set(ids)), "a unit id appears twice"
        paid = [p for p in order["payments"] if p["is_paid"]]
        assert sum(p["amount"] for p in paid) == order["paid"] <= order["total"], "overpaid"
        assert order["open_count"] <= 1, "the order was opened twice"
        invoiced = [unit for invoice in order["invoices"] for unit in invoice["ids"]]
        assert len(invoiced) == len(set(invoiced)), "a unit was invoiced twice"


def assert_sale_completed(orders: list[dict[str, Any]], wanted: dict[str, int]) -> dict[str, Any]:
    """The one order with lines holds exactly ``wanted``, is paid in full by one payment,
    was opened once and invoiced unit by unit once; returns it."""
    assert_money_invariants(orders)
    with_lines = [order for order in orders if order["lines"]]
    assert len(with_lines) == 1, f"expected one order with items, got {len(with_lines)}"
    (order,) = with_lines
    assert {line["sku"]: line["quantity"] for line in order["lines"]} == wanted
    assert order["paid"] == order["total"] > 0
    assert [p["amount"] for p in order["payments"] if p["is_paid"]] == [order["total"]]
    assert order["status"] == "OPEN" and order["open_count"] == 1
    invoiced = sorted(unit for invoice in order["invoices"] for unit in invoice["ids"])
    assert invoiced == sorted(units(order)), "not every unit was invoiced exactly once"
    return order


def assert_no_invalid_code_sent(sim: RecordingSimulator) -> None:
    """Every SKU the till sent passes the engine's own check (printable, check digit)."""
    for sku in sim.skus_sent():
        check_code(sku)  # raises NotAllowed for a code that must never leave the till


# --- a till against a simulator -------------------------------------------------------


class Chaos:
    """One test's world: a simulator server, a state directory, and tills started on it
    (each killed at the end of the test)."""

    def __init__(self, state_dir: Path, sim: Simulator) -> None:
        self.state_dir = state_dir
        self.sim = sim
        self.server = LoopbackSim(sim)
        self.tills: list[TillProcess] = []

    def base_env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", ""),
            "TERM": "linux",
            "LANG": "C.UTF-8",
            "PYTHONUTF8": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "TEXTUAL_ANIMATIONS": "none",
            "TUI_POS_API_URL": self.server.base_url,
            "TUI_POS_API_TOKEN": TOKEN,
            "TUI_POS_CHANNEL_ID": DEMO_CHANNEL_ID,
            "TUI_POS_STATE_DIR": str(self.state_dir),
            "TUI_POS_SCANNER__ENABLED": "false",
            "TUI_POS_INVOICE_POLL": "0.1",
        }

    def start_till(self, *texts: str, **env: str | None) -> TillProcess:
        """Start (or restart) the till on the state directory and wait until it shows
        ``texts`` (by default: its empty entry field, ready for a scan). An ``env`` value
        of ``None`` leaves that variable out."""
        merged = {**self.base_env(), **env}
        till = TillProcess({key: value for key, value in merged.items() if value is not None})
        self.tills.append(till)
        till.wait_for(*(texts or ("Scan or type",)), seconds=30)
        return till

    def restart(self, crashed: TillProcess, *texts: str, **env: str | None) -> TillProcess:
        """The power went: ``crashed`` is killed (if it still runs) and a new till starts
        on the same journal."""
        crashed.kill()
        if isinstance(self.sim, RecordingSimulator):
            self.sim.hold_after.clear()  # the next till gets its answers
        return self.start_till(*texts, **env)

    def quiet(self, seconds: float = 0.5, limit: float = 15) -> None:
        """Wait until the till has asked Afosto nothing for ``seconds``: a restarted till's
        recovery is over (until then it takes no pay key)."""
        deadline = time.monotonic() + limit
        last, since = self.server.state()["requests"], time.monotonic()
        while time.monotonic() - since < seconds:
            assert time.monotonic() < deadline, "the till never stopped asking Afosto"
            time.sleep(0.1)
            now = self.server.state()["requests"]
            if now != last:
                last, since = now, time.monotonic()

    def close(self) -> None:
        for till in self.tills:
            till.close()
        self.server.stop()


@contextlib.contextmanager
def chaos_world(state_dir: Path, sim: Simulator | None = None) -> Iterator[Chaos]:
    world = Chaos(state_dir, sim or RecordingSimulator(tokens=[TOKEN]))
    world.sim.terminal_delay = 0.3
    world.sim.invoice_delay = 0.2
    world.server.start()
    try:
        yield world
    finally:
        world.close()


# --- the sale as the simulator sees it ------------------------------------------------


def newest(world: Chaos) -> dict[str, Any]:
    """The newest order on the simulator (the sale under test)."""
    orders = world.server.orders()
    assert orders, "no order on the simulator yet"
    return orders[-1]


def lines(order: dict[str, Any]) -> dict[str, int]:
    return {line["sku"]: line["quantity"] for line in order["lines"]}


def scan(world: Chaos, till: TillProcess, *codes: str) -> None:
    """Type each code and Enter, then wait until Afosto holds the journal's cart."""
    for code in codes:
        till.type(code)
    wanted: dict[str, int] = {}
    for code in codes:
        wanted[code] = wanted.get(code, 0) + 1
    eventually(
        lambda: all(cart(world.state_dir).get(c, 0) >= n for c, n in wanted.items()),
        f"{codes} journaled",
    )
    eventually(
        lambda: bool(world.server.orders()) and lines(newest(world)) == cart(world.state_dir),
        "the cart confirmed by Afosto",
    )


def pay_cash(till: TillProcess) -> None:
    """F10, then Enter alone: the exact amount in cash."""
    till.press("f10")
    till.wait_for("Cash payment")
    till.press("enter")
