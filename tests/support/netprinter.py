"""A network receipt printer of our own on 127.0.0.1: a raw-TCP (port-9100 style) server
that records every byte it receives and answers ESC/POS real-time status queries
(DLE EOT n) the way an Epson-compatible printer does.

    with NetPrinter() as printer:
        Network(host="127.0.0.1", port=printer.port, timeout=1).textln("hello")
        printer.wait_for(lambda p: b"hello\\n" in p.received)

Modes (``NetPrinter(mode)``, or ``printer.mode = ...`` before the next connection; each
connection keeps the mode it was accepted in):

- ``"ok"``: records, answers every status query from ``printer.state``.
- ``"silent"``: records, never answers (a printer whose status port is off).
- ``"drop_after"``: as ``"ok"``, then closes the connection once it has received
  ``drop_after`` bytes (a printer that accepts and drops mid-receipt). Unread bytes in the
  kernel make that close a reset, as with a printer that goes away.
- ``"hang"``: accepts and never reads nor answers; the receive buffer is small so that a
  sender's ``sendall`` soon blocks.
- ``"garble"``: records, answers each status query with ``garble_byte``, a byte that is not
  a status byte (it fails ``b & 0x93 == 0x12``).

A printer that refuses is a port with nothing listening: :func:`closed_port`.

Loopback only, every loop bounded, every thread joined on ``__exit__`` (AssertionError if
one is still alive after ``JOIN_SECONDS``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Literal

Mode = Literal["ok", "silent", "drop_after", "hang", "garble"]
MODES: tuple[str, ...] = ("ok", "silent", "drop_after", "hang", "garble")

HOST = "127.0.0.1"
TICK = 0.05
"""Seconds a thread blocks in accept/recv before it looks at the stop flag again."""
JOIN_SECONDS = 2.0
"""How long ``__exit__`` waits for the threads in all."""
HANG_RCVBUF = 4096
"""SO_RCVBUF of a hanging printer (the kernel doubles it and keeps a floor)."""

DLE_EOT = b"\x10\x04"

# Every real-time status byte: bits 1 and 4 set, bits 0 and 7 clear.
STATUS_FIXED = 0x12
STATUS_MASK = 0x93


@dataclass
class PrinterState:
    """What the printer reports to DLE EOT n; change it at any time."""

    online: bool = True
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    drawer_open: bool = False


def status_byte(n: int, state: PrinterState) -> int:
    """The reply to DLE EOT ``n`` (1..4) for ``state``, as in Epson's ESC/POS reference.

    n=1 printer status: bit 2 drawer kick-out connector pin 3 high (``drawer_open``; what
    high means depends on the drawer's switch), bit 3 offline. An Epson printer goes
    offline when its cover is open or its paper has run out, so those set bit 3 too.
    n=2 offline cause: bit 2 cover open, bit 3 paper fed by the button (never here),
    bit 5 printing stopped by paper end, bit 6 error (``online`` false for no other reason).
    n=3 error cause: none reported.
    n=4 roll paper sensor: bits 2-3 paper near end (0x0C, also set when out: the near-end
    sensor is passed first), bits 5-6 paper end (0x60).
    """
    value = STATUS_FIXED
    if n == 1:
        if state.drawer_open:
            value |= 0x04
        if not state.online or state.cover_open or state.paper_out:
            value |= 0x08
    elif n == 2:
        if state.cover_open:
            value |= 0x04
        if state.paper_out:
            value |= 0x20
        if not state.online and not (state.cover_open or state.paper_out):
            value |= 0x40
    elif n == 4:
        if state.paper_low or state.paper_out:
            value |= 0x0C
        if state.paper_out:
            value |= 0x60
    return value


def closed_port() -> int:
    """A 127.0.0.1 port nobody listens on (bound, read, closed): connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
    return port


class NetPrinter:
    """The printer; use it as a context manager. See the module's docstring."""

    def __init__(
        self,
        mode: Mode = "ok",
        *,
        drop_after: int | None = None,
        state: PrinterState | None = None,
        garble_byte: int = 0x00,
        port: int = 0,
    ) -> None:
        """``port``: listen there (a printer back where it was, say after
        :func:`closed_port`), else on any free port."""
        self.state = state if state is not None else PrinterState()
        self.drop_after = drop_after
        self.garble_byte = garble_byte
        self._mode: Mode = "ok"
        self._cond = threading.Condition()
        self._connections: list[bytearray] = []
        self._queries: list[tuple[int, int | None]] = []
        self._ended = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.port = port
        self.mode = mode

    # --- settings ---

    @property
    def mode(self) -> Mode:
        return self._mode

    @mode.setter
    def mode(self, mode: Mode) -> None:
        if mode not in MODES:
            raise ValueError(f"mode {mode!r}: one of {', '.join(MODES)}")
        if mode == "drop_after" and (self.drop_after is None or self.drop_after < 0):
            raise ValueError("mode 'drop_after' needs drop_after=<bytes>")
        self._mode = mode
        if mode == "hang" and self._listener is not None:
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, HANG_RCVBUF)

    # --- what it received ---

    @property
    def connections(self) -> list[bytes]:
        """The bytes received on each connection so far, in the order they were accepted."""
        with self._cond:
            return [bytes(data) for data in self._connections]

    @property
    def received(self) -> bytes:
        """Every byte received so far, all connections in order."""
        with self._cond:
            return b"".join(self._connections)

    @property
    def queries(self) -> list[tuple[int, int | None]]:
        """Each status query seen: (n, the byte answered or None when not answered)."""
        with self._cond:
            return list(self._queries)

    @property
    def ended(self) -> int:
        """How many connections are over (closed by the sender or dropped by the printer)."""
        with self._cond:
            return self._ended

    def wait_for(self, predicate: Callable[[NetPrinter], object], timeout: float = 5.0) -> None:
        """Block until ``predicate(self)`` holds (checked on every change, never by a
        fixed sleep); AssertionError with what was received after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"the printer waited {timeout} s in vain; received per connection: "
                        f"{[bytes(data) for data in self._connections]!r}, "
                        f"status queries: {self._queries!r}"
                    )
                self._cond.wait(left)

    # --- life ---

    def __enter__(self) -> NetPrinter:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener = listener
        if self._mode == "hang":
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, HANG_RCVBUF)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(8)
        listener.settimeout(TICK)
        self.port = listener.getsockname()[1]
        self._start(self._accept_loop, "netprinter-accept")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        deadline = time.monotonic() + JOIN_SECONDS
        # The accept thread first: once it is over, no connection thread can start.
        accept, *_ = self._threads
        accept.join(JOIN_SECONDS)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._listener is not None:
            self._listener.close()
        for sock in self._sockets:
            sock.close()
        alive = [thread.name for thread in self._threads if thread.is_alive()]
        if alive:
            raise AssertionError(f"NetPrinter threads still alive after {JOIN_SECONDS} s: {alive}")

    def _start(self, target: Callable[..., None], name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                if self._stop.is_set():
                    return
                raise
            conn.settimeout(TICK)
            self._sockets.append(conn)
            with self._cond:
                index = len(self._connections)
                self._connections.append(bytearray())
                self._cond.notify_all()
            mode = self._mode
            if mode == "hang":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, HANG_RCVBUF)
            self._start(self._serve, f"netprinter-{index}-{mode}", conn, index, mode)

    def _serve(self, conn: socket.socket, index: int, mode: Mode) -> None:
        try:
            if mode == "hang":
                self._stop.wait()
                return
            self._read_loop(conn, index, mode)
        finally:
            conn.close()
            with self._cond:
                self._ended += 1
                self._cond.notify_all()

    def _read_loop(self, conn: socket.socket, index: int, mode: Mode) -> None:
        limit = self.drop_after if mode == "drop_after" else None
        got = 0
        tail = b""
        while not self._stop.is_set():
            want = 4096 if limit is None else min(4096, limit - got)
            if want <= 0:
                return  # drop: close with whatever is still unread
            try:
                chunk = conn.recv(want)
            except TimeoutError:
                continue
            except OSError:
                return  # the sender reset the connection
            if not chunk:
                return
            got += len(chunk)
            data = tail + chunk
            queries, tail = _status_queries(data)
            replies = []
            with self._cond:
                self._connections[index] += chunk
                for n in queries:
                    reply = self._reply(n, mode)
                    self._queries.append((n, reply))
                    if reply is not None:
                        replies.append(reply)
                self._cond.notify_all()
            if replies:
                try:
                    conn.sendall(bytes(replies))
                except OSError:
                    return

    def _reply(self, n: int, mode: Mode) -> int | None:
        if mode == "silent":
            return None
        if mode == "garble":
            return self.garble_byte
        return status_byte(n, self.state)


def _status_queries(data: bytes) -> tuple[list[int], bytes]:
    """The n of each DLE EOT n (n 1..4) in ``data``, and the tail to carry over to the
    next chunk (a query may be split between two)."""
    found = []
    start = 0
    while True:
        at = data.find(DLE_EOT, start)
        if at < 0 or at + 2 >= len(data):
            break
        n = data[at + 2]
        if 1 <= n <= 4:
            found.append(n)
            start = at + 3
        else:
            start = at + 1
    return found, data[max(start, len(data) - 2) :]
