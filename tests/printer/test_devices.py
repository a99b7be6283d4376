"""The printer itself (tui_pos.printer.devices) against real devices: the network printer
of our own on 127.0.0.1 (tests/support/netprinter.py), files for the usblp path, and a
host name that cannot resolve. Nothing of ours is mocked: each fault is the printer's."""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import threading
import time
import tty
from pathlib import Path
from typing import Any

import pytest
from escpos.exceptions import DeviceNotFoundError

from tests.printer.test_layout import PDF, RECEIPT, shop
from tests.support.netprinter import (
    Mode,
    NetPrinter,
    PrinterState,
    _status_queries,
    closed_port,
    status_byte,
)
from tui_pos.config import PrinterSettings
from tui_pos.printer.devices import (
    STATUS_SECONDS,
    Printer,
    PrinterFault,
    deliver,
    words_for,
)
from tui_pos.printer.layout import receipt_bytes
from tui_pos.printer.render import render

TIMEOUT = 0.5
DATA = receipt_bytes(RECEIPT, shop())
CUT = b"\x1dV"
QUERIES = (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04")


def network(printer: NetPrinter, timeout: float = TIMEOUT, **changes: object) -> PrinterSettings:
    return PrinterSettings(
        kind="network",
        host="127.0.0.1",
        port=printer.port,
        timeout=timeout,
        **changes,  # type: ignore[arg-type]
    )


def file_printer(path: Path) -> PrinterSettings:
    return PrinterSettings(kind="file", device=path, timeout=TIMEOUT)


def without_queries(data: bytes) -> bytes:
    for query in QUERIES:
        data = data.replace(query, b"")
    return data


def fault_of(settings: PrinterSettings, data: bytes = DATA) -> PrinterFault:
    with pytest.raises(PrinterFault) as caught:
        deliver(settings, data)
    return caught.value


class RunsOutWhilePrinting(NetPrinter):
    """Its paper ends with the receipt: every status asked after the cut says so (while
    ``runs_out``; set it False for a printer with a new roll)."""

    runs_out = True

    def _reply(self, n: int, mode: Mode) -> int | None:
        if self.runs_out and CUT in self._connections[-1]:
            self.state.paper_out = True
        return super()._reply(n, mode)


class GarblesPaper(NetPrinter):
    """Answers the online query as it should, the paper query with a byte that is none."""

    def _reply(self, n: int, mode: Mode) -> int | None:
        return 0x00 if n == 4 else super()._reply(n, mode)


class AnswersLate(RunsOutWhilePrinting):
    """Answers every status query late: the first one ``first`` seconds after it came
    (after the till gave up on it), each later one ``later`` seconds after it came."""

    def __init__(self, first: float, later: float) -> None:
        super().__init__()
        self.first, self.later = first, later
        self._conn: socket.socket | None = None
        self._timers: list[threading.Timer] = []

    def _serve(self, conn: socket.socket, index: int, mode: Mode) -> None:
        self._conn = conn
        super()._serve(conn, index, mode)

    def _reply(self, n: int, mode: Mode) -> int | None:
        answer = bytes([super()._reply(n, mode) or 0])
        conn = self._conn
        assert conn is not None

        def send() -> None:
            with contextlib.suppress(OSError):
                conn.sendall(answer)

        timer = threading.Timer(self.later if self._timers else self.first, send)
        self._timers.append(timer)
        timer.start()
        return None

    def __exit__(self, *exc: Any) -> None:
        for timer in self._timers:
            timer.cancel()
            timer.join(2.0)
        super().__exit__(*exc)


class PtyPrinter:
    """A serial receipt printer on a pseudo-terminal: the till opens its slave side as
    a serial device; this answers DLE EOT from the master side, as the NetPrinter does
    (``silent``: never answers)."""

    def __init__(self, state: PrinterState | None = None, *, silent: bool = False) -> None:
        self.state = state or PrinterState()
        self.silent = silent
        self.received = bytearray()
        self._stop = threading.Event()
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        self.path = Path(os.ttyname(self._slave))
        self._thread = threading.Thread(target=self._serve, name="ptyprinter", daemon=True)

    def __enter__(self) -> PtyPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(2.0)
        os.close(self._master)
        os.close(self._slave)
        assert not self._thread.is_alive()

    def _serve(self) -> None:
        tail = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            chunk = os.read(self._master, 4096)
            self.received += chunk
            queries, tail = _status_queries(tail + chunk)
            if queries and not self.silent:
                os.write(self._master, bytes(status_byte(n, self.state) for n in queries))


# --- a printer that works ---


def test_an_ok_printer_gets_the_whole_receipt_and_confirms_it() -> None:
    with NetPrinter() as printer:
        assert deliver(network(printer), DATA) is True
        printer.wait_for(lambda p: p.ended == 1)
        received = printer.received
    assert received.count(DATA) == 1 and without_queries(received) == DATA
    printed = render(received, 42)
    text = "\n".join(printed.plain(42))
    for expected in ("Order 1000042", "Invoice F2026-000123"):
        assert expected in text
    lines = printed.plain(42)
    for left, right in [
        ("TOTAL", "€ 5,33"),
        ("Card", "€ 2,00"),
        ("Cash", "€ 5,00"),
        ("Change", "€ 1,67"),
    ]:
        assert any(line.startswith(left) and line.endswith(right) for line in lines), left
    assert printed.qr_codes == (PDF,)
    assert printed.cuts == 1
    # asked before (online, paper) and after, each answered
    assert [n for n, _ in printer.queries] == [1, 4, 1, 4]


def test_paper_low_prints_and_confirms() -> None:
    with NetPrinter(state=PrinterState(paper_low=True)) as printer:
        assert deliver(network(printer), DATA) is True
        with Printer(network(printer)) as device:
            status = device.status()
    assert (status.known, status.paper_low, status.problem) == (True, True, None)
    assert status.words == "ready, paper low"


# --- a printer that says it cannot print: it gets nothing ---


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (PrinterState(paper_out=True), "out of paper"),
        (PrinterState(cover_open=True), "the cover is open"),
        (PrinterState(online=False), "offline (check its light and buttons)"),
    ],
    ids=["paper-out", "cover-open", "offline"],
)
def test_a_printer_that_cannot_print_gets_not_one_byte(state: PrinterState, words: str) -> None:
    with NetPrinter(state=state) as printer:
        fault = fault_of(network(printer))
        printer.wait_for(lambda p: p.ended == 1)
        received = printer.received
    assert (str(fault), fault.partly) == (words, False)
    assert received and without_queries(received) == b""  # only the status queries


def test_paper_running_out_while_it_prints_is_partly() -> None:
    with RunsOutWhilePrinting() as printer:
        fault = fault_of(network(printer))
        received = printer.received
    assert (str(fault), fault.partly) == ("out of paper", True)
    assert DATA in received


# --- a printer that cannot say ---


def test_a_silent_printer_gets_the_receipt_unconfirmed_within_the_status_time() -> None:
    # The printer's own timeout is long; the status queries are bounded by STATUS_SECONDS.
    with NetPrinter("silent") as printer:
        started = time.monotonic()
        assert deliver(network(printer, timeout=3.0), DATA) is False
        took = time.monotonic() - started
        printer.wait_for(lambda p: DATA in p.received)
    assert took < 2 * STATUS_SECONDS + 0.8
    assert all(reply is None for _, reply in printer.queries)


@pytest.mark.parametrize("garble", [0x00, 0xFF, 0x08, 0x13, 0x92])
def test_garbled_status_bytes_are_unknown_never_a_problem_nor_fine(garble: int) -> None:
    with NetPrinter("garble", garble_byte=garble) as printer:
        with Printer(network(printer)) as device:
            status = device.status()
        assert (status.known, status.problem) == (False, None)
        assert status.words == "status unknown (the printer does not report it)"
        assert deliver(network(printer), DATA) is False  # sent, not known printed
        printer.wait_for(lambda p: DATA in p.received)


def test_a_garbled_paper_answer_is_unknown_not_fine() -> None:
    with GarblesPaper() as printer:
        with Printer(network(printer)) as device:
            assert device.status().known is False
        assert deliver(network(printer), DATA) is False


def test_a_late_answer_is_never_read_as_the_answer_to_the_next_query() -> None:
    # The first query's answer comes after the till gave up on it; the paper runs out
    # with the receipt. Read in step, the late "online" would answer the query after the
    # receipt, and that one's "offline" the paper query: "printed", on a printer out of
    # paper. Out of step, the status after is unknown: sent, not known printed.
    with AnswersLate(first=TIMEOUT + 0.3, later=0.5) as printer:
        assert deliver(network(printer), DATA) is False
        assert [n for n, _ in printer.queries] == [1]  # nothing asked once out of step


def test_a_printer_that_answers_twice_is_out_of_step() -> None:
    with NetPrinter() as printer, Printer(network(printer)) as device:
        assert device.status().known is True
        device.send(b"\x10\x04\x01")  # an answer the status query did not ask for
        printer.wait_for(lambda p: len(p.queries) == 3)
        readable, _, _ = select.select([device._device.device], [], [], 2.0)
        assert readable  # the unasked answer is here
        assert device.status().known is False
        assert len(printer.queries) == 3  # not asked: the answers are out of step


# --- a serial printer (a pseudo-terminal) ---


def serial(printer: PtyPrinter, timeout: float = 3.0) -> PrinterSettings:
    return PrinterSettings(kind="serial", device=printer.path, timeout=timeout)


def test_a_serial_printer_answers_at_once_and_is_not_waited_on() -> None:
    # pyserial's read(16) waits for 16 bytes or its timeout: one status byte is read alone.
    with PtyPrinter() as printer:
        started = time.monotonic()
        assert deliver(serial(printer), DATA) is True
        assert time.monotonic() - started < 1.0
    assert without_queries(bytes(printer.received)) == DATA


def test_a_serial_printer_out_of_paper_gets_nothing() -> None:
    with PtyPrinter(PrinterState(paper_out=True)) as printer:
        fault = fault_of(serial(printer))
    assert (str(fault), fault.partly) == ("out of paper", False)
    assert printer.received and without_queries(bytes(printer.received)) == b""


def test_a_silent_serial_printer_is_waited_on_for_the_status_time_only() -> None:
    with PtyPrinter(silent=True) as printer:
        started = time.monotonic()
        assert deliver(serial(printer), DATA) is False
        assert time.monotonic() - started < 2 * STATUS_SECONDS + 0.8
    assert DATA in bytes(printer.received)


def test_a_printer_that_drops_mid_receipt_is_never_printed() -> None:
    # The kernel takes the whole receipt, so the send itself succeeds; the drop shows on
    # the status asked after it (a reset, or the end of the stream). That is a fault,
    # partly printed: the till knows the line went down while the receipt was on it.
    with NetPrinter("drop_after", drop_after=len(DATA) // 2) as printer:
        fault = fault_of(network(printer))
        printer.wait_for(lambda p: p.ended == 1)
        received = printer.received
    assert (str(fault), fault.partly) == ("dropped the connection", True)
    assert len(received) == len(DATA) // 2


def test_a_hung_printer_that_takes_no_more_did_not_respond_in_time() -> None:
    # A receipt fits in the kernel's buffers; 16 MB do not (see test_netprinter).
    big = b"x" * 16_000_000
    with NetPrinter("hang") as printer:
        started = time.monotonic()
        fault = fault_of(network(printer), big)
        took = time.monotonic() - started
    assert (str(fault), fault.partly) == ("did not respond in time", True)
    assert took < 2 * TIMEOUT + 1.0  # one status query and the send, each its timeout


def test_a_hung_printer_that_takes_a_receipt_into_its_buffer_is_unconfirmed() -> None:
    # Nothing tells a printer that stopped reading from one that keeps quiet: sent, not
    # known printed (never "printed").
    with NetPrinter("hang") as printer:
        started = time.monotonic()
        assert deliver(network(printer), DATA) is False
        assert time.monotonic() - started < 2 * TIMEOUT + 1.0


def test_a_refused_connection_says_so_and_sent_nothing() -> None:
    settings = PrinterSettings(kind="network", host="127.0.0.1", port=closed_port(), timeout=1)
    fault = fault_of(settings)
    assert str(fault) == "refused the connection (is it switched on, at that address?)"
    assert fault.partly is False


def test_a_host_name_that_cannot_resolve() -> None:
    settings = PrinterSettings(kind="network", host="no-such-printer.invalid", timeout=1)
    fault = fault_of(settings)
    assert (str(fault), fault.partly) == ("has an address the till cannot find", False)


# --- a file printer (the usblp path) ---


def test_a_file_printer_gets_the_bytes_and_cannot_confirm(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    assert deliver(file_printer(device), DATA) is False
    assert device.read_bytes() == DATA  # no status queries: a file cannot answer


def test_a_file_printer_whose_directory_is_missing_is_not_connected(tmp_path: Path) -> None:
    fault = fault_of(file_printer(tmp_path / "usb" / "lp0"))
    assert (str(fault), fault.partly) == ("is not connected (its device is missing)", False)


def test_a_missing_device_is_not_connected_and_is_not_made(tmp_path: Path) -> None:
    # /dev/usb/lp0 gone with the printer unplugged: never a regular file in its place
    # that every later receipt is "sent" to.
    device = tmp_path / "lp0"
    fault = fault_of(file_printer(device))
    assert (str(fault), fault.partly) == ("is not connected (its device is missing)", False)
    assert not device.exists()


def unwritable(tmp_path: Path) -> Path:
    """A device the till may not write to, as root too (a read-only sysfs attribute)."""
    if os.geteuid() != 0:
        device = tmp_path / "lp0"
        device.touch()
        device.chmod(0)
        return device
    device = Path("/sys/kernel/uevent_seqnum")
    if not device.exists():
        pytest.skip("running as root without /sys: no file root may not write")
    return device


def test_a_device_without_write_permission(tmp_path: Path) -> None:
    device = unwritable(tmp_path)
    fault = fault_of(file_printer(device))
    assert str(fault) == "may not be used by the till (device permissions; see tui-pos doctor)"
    assert fault.partly is False


# --- words ---


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ECONNREFUSED, "refused the connection (is it switched on, at that address?)"),
        (errno.EHOSTUNREACH, "cannot be reached on the network"),
        (errno.ENETUNREACH, "cannot be reached on the network"),
        (errno.ENOENT, "is not connected (its device is missing)"),
        (errno.ENODEV, "was unplugged"),
        (errno.ENXIO, "was unplugged"),
        (errno.EACCES, "may not be used by the till (device permissions; see tui-pos doctor)"),
        (errno.EPERM, "may not be used by the till (device permissions; see tui-pos doctor)"),
        (errno.EBUSY, "is in use by another program"),
        (errno.ENOSPC, "out of paper"),
        (errno.EIO, "reported an error (check paper and cover)"),
        (errno.EPIPE, "dropped the connection"),
        (errno.ECONNRESET, "dropped the connection"),
        (errno.ECONNABORTED, "dropped the connection"),
    ],
)
def test_words_for_each_errno(number: int, words: str) -> None:
    error = OSError(number, os.strerror(number))
    assert words_for(error) == words
    try:  # as python-escpos lets it through: its own exception, the OSError its context
        try:
            raise error
        except OSError as exc:
            raise DeviceNotFoundError(f"Could not open:\n{exc}") from None
    except DeviceNotFoundError as wrapped:
        assert words_for(wrapped) == words


def test_words_for_timeouts_and_addresses() -> None:
    assert words_for(TimeoutError("timed out")) == "did not respond in time"
    gai = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert words_for(gai) == "has an address the till cannot find"
    assert words_for(DeviceNotFoundError("gone")) == "is not connected or cannot be found"
    assert words_for(RuntimeError("what")) == "failed (see the log)"


def test_words_for_the_usb_and_serial_libraries() -> None:
    import serial
    import usb.core

    timeout = usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT)
    assert words_for(timeout) == "did not respond in time"
    gone = usb.core.USBError("No such device (it may have been disconnected)", -4, errno.ENODEV)
    assert words_for(gone) == "was unplugged"
    assert words_for(usb.core.NoBackendError("No backend available")) == (
        "cannot use USB (libusb is missing; see tui-pos doctor)"
    )
    assert words_for(serial.SerialTimeoutException("Write timeout")) == "did not respond in time"
    assert words_for(OSError(errno.ETIMEDOUT, "Connection timed out")) == (
        "did not respond in time"
    )
