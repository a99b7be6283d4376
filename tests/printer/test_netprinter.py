"""The network printer of our own (tests/support/netprinter.py), driven by python-escpos's
own ``Network`` printer. These tests also pin down what python-escpos 3.1 does on each
fault (which exception it lets through, with which message): the till's printer code
turns exactly these into the cashier's words."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Network

from tests.support.netprinter import (
    NetPrinter,
    PrinterState,
    _status_queries,
    closed_port,
    status_byte,
)

TIMEOUT = 0.5
SMALL_SNDBUF = 4096
"""The sender's buffer, shrunk, so that a printer that stops reading blocks a send of
200 kB (with the kernel's defaults on loopback it takes several MB)."""


def network(printer: NetPrinter) -> Network:
    return Network(host="127.0.0.1", port=printer.port, timeout=TIMEOUT)


@pytest.fixture
def connected() -> Iterator[tuple[NetPrinter, Network]]:
    with NetPrinter() as printer:
        device = network(printer)
        yield printer, device
        device.close()


def small_send_buffer(device: Network) -> None:
    device.open()
    assert isinstance(device.device, socket.socket)
    device.device.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SMALL_SNDBUF)


# --- recording ---


def test_textln_is_recorded(connected: tuple[NetPrinter, Network]) -> None:
    printer, device = connected
    device.textln("Kaas 1 x 4,95")
    printer.wait_for(lambda p: b"Kaas 1 x 4,95\n" in p.received)
    assert printer.connections == [printer.received]


def test_each_connection_is_recorded_on_its_own() -> None:
    with NetPrinter() as printer:
        for word in ("first", "second"):
            device = network(printer)
            device.textln(word)
            device.close()
            printer.wait_for(lambda p, w=word: p.ended == ["first", "second"].index(w) + 1)
        first, second = printer.connections
        assert b"first\n" in first and b"second" not in first
        assert b"second\n" in second
        assert printer.received == first + second


def test_wait_for_fails_with_what_was_received() -> None:
    with NetPrinter() as printer:
        device = network(printer)
        device.textln("only this")
        printer.wait_for(lambda p: b"only this" in p.received)
        started = time.monotonic()
        with pytest.raises(AssertionError, match="only this"):
            printer.wait_for(lambda p: b"never sent" in p.received, timeout=0.2)
        assert time.monotonic() - started < 2
        device.close()


def test_nothing_is_left_running_after_the_with() -> None:
    import threading

    before = set(threading.enumerate())
    with NetPrinter("hang") as printer:
        device = network(printer)
        device.open()
    assert set(threading.enumerate()) <= before
    device.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", printer.port), timeout=TIMEOUT)


# --- status ---


@pytest.mark.parametrize(
    ("state", "online", "paper"),
    [
        (PrinterState(), True, 2),
        (PrinterState(paper_low=True), True, 1),
        (PrinterState(paper_out=True), False, 0),
        (PrinterState(cover_open=True), False, 2),
        (PrinterState(online=False), False, 2),
        (PrinterState(drawer_open=True), True, 2),
    ],
    ids=["ok", "paper-low", "paper-out", "cover-open", "offline", "drawer-open"],
)
def test_is_online_and_paper_status_read_the_state(
    connected: tuple[NetPrinter, Network], state: PrinterState, online: bool, paper: int
) -> None:
    printer, device = connected
    printer.state = state
    assert device.is_online() is online
    assert device.paper_status() == paper
    assert printer.queries == [(1, status_byte(1, state)), (4, status_byte(4, state))]


def test_the_state_may_change_on_a_live_connection(connected: tuple[NetPrinter, Network]) -> None:
    printer, device = connected
    assert device.paper_status() == 2
    printer.state.paper_out = True
    assert device.paper_status() == 0
    printer.state.paper_out = False
    assert device.paper_status() == 2


@pytest.mark.parametrize(
    ("n", "state", "expected"),
    [
        (1, PrinterState(), 0x12),
        (1, PrinterState(drawer_open=True), 0x16),
        (1, PrinterState(online=False), 0x1A),
        (1, PrinterState(cover_open=True), 0x1A),
        (2, PrinterState(), 0x12),
        (2, PrinterState(cover_open=True), 0x16),
        (2, PrinterState(paper_out=True), 0x32),
        (2, PrinterState(online=False), 0x52),
        (3, PrinterState(online=False), 0x12),
        (4, PrinterState(), 0x12),
        (4, PrinterState(paper_low=True), 0x1E),
        (4, PrinterState(paper_out=True), 0x7E),
    ],
)
def test_the_status_bytes_are_epsons(
    connected: tuple[NetPrinter, Network], n: int, state: PrinterState, expected: int
) -> None:
    printer, device = connected
    printer.state = state
    assert device.query_status(b"\x10\x04" + bytes([n])) == bytes([expected])
    assert expected & 0x93 == 0x12


def test_a_query_split_between_two_writes_is_answered(
    connected: tuple[NetPrinter, Network],
) -> None:
    printer, device = connected
    device._raw(b"abc\x10")
    printer.wait_for(lambda p: p.received.endswith(b"abc\x10"))
    device._raw(b"\x04")
    printer.wait_for(lambda p: p.received.endswith(b"\x10\x04"))
    assert device.query_status(b"\x04") == b"\x12"


def test_the_scanner_of_queries() -> None:
    assert _status_queries(b"x\x10\x04\x01y\x10\x04\x09\x10\x04\x04") == ([1, 4], b"")
    assert _status_queries(b"text\x10") == ([], b"t\x10")
    assert _status_queries(b"text\x10\x04") == ([], b"\x10\x04")


def test_python_escpos_reads_the_bytes_as_epson_writes_them() -> None:
    assert RT_STATUS_ONLINE == b"\x10\x04\x01" and RT_STATUS_PAPER == b"\x10\x04\x04"


# --- faults, and what python-escpos lets through ---


def test_silent_a_status_query_times_out_it_is_never_an_empty_answer() -> None:
    # python-escpos's Network._read is a plain recv(16): with nothing answered it waits for
    # the socket's timeout and raises; its "empty answer" branches (is_online() False,
    # paper_status() 2) are reached only when the printer has closed the connection.
    with NetPrinter("silent") as printer:
        device = network(printer)
        for query in (
            lambda: device.query_status(RT_STATUS_ONLINE),
            device.is_online,
            device.paper_status,
        ):
            started = time.monotonic()
            with pytest.raises(TimeoutError, match=r"^timed out$"):
                query()
            assert TIMEOUT * 0.8 < time.monotonic() - started < TIMEOUT + 1
        device.textln("still recorded")
        printer.wait_for(lambda p: b"still recorded\n" in p.received)
        assert [reply for _, reply in printer.queries] == [None, None, None]
        device.close()


def test_garble_python_escpos_does_not_check_the_fixed_bits() -> None:
    with NetPrinter("garble") as printer:
        device = network(printer)
        assert device.query_status(RT_STATUS_ONLINE) == b"\x00"
        assert device.is_online() is True  # 0x00: bit 3 clear, so "online"
        assert device.paper_status() == 0  # 0x00: no mask matches, so "no paper"
        printer.garble_byte = 0xFF
        assert device.is_online() is False
        assert device.paper_status() == 0
        device.close()
    assert all(reply is not None and reply & 0x93 != 0x12 for _, reply in printer.queries)


def test_drop_after_a_short_write_is_lost_silently_the_next_ones_fail() -> None:
    # A receipt-sized write that the printer drops still "succeeds": the kernel took it.
    # The reset surfaces on a later write: ConnectionResetError once, then BrokenPipeError.
    with NetPrinter("drop_after", drop_after=100) as printer:
        device = network(printer)
        device.text("x" * 300)  # no exception, 200 of these bytes are lost
        printer.wait_for(lambda p: p.ended == 1)
        assert printer.received == (b"\x1bt\x00" + b"x" * 300)[:100]
        errors: list[OSError] = []
        for _ in range(1000):  # bounded: the reset is back within a write or two
            try:
                device.textln("y")
            except OSError as error:
                errors.append(error)
                if len(errors) == 2:
                    break
        first, second = errors
        assert type(first) is ConnectionResetError and first.errno == 104
        assert str(first) == "[Errno 104] Connection reset by peer"
        assert type(second) is BrokenPipeError and str(second) == "[Errno 32] Broken pipe"
        device.close()


def test_drop_after_a_long_text_raises_connection_reset() -> None:
    with NetPrinter("drop_after", drop_after=1000) as printer:
        device = network(printer)
        small_send_buffer(device)
        with pytest.raises(ConnectionResetError, match=r"^\[Errno 104\] Connection reset by peer$"):
            device.text("x" * 200_000)
        printer.wait_for(lambda p: p.ended == 1)
        assert len(printer.received) == 1000
        device.close()


def test_hang_a_large_send_blocks_until_the_socket_timeout() -> None:
    with NetPrinter("hang") as printer:
        device = network(printer)
        small_send_buffer(device)
        started = time.monotonic()
        with pytest.raises(TimeoutError, match=r"^timed out$"):
            device.text("x" * 200_000)
        assert TIMEOUT * 0.8 < time.monotonic() - started < TIMEOUT + 1.5
        assert printer.received == b""
        with pytest.raises(TimeoutError):
            device.is_online()  # the query itself may be sent; nothing ever answers
        device.close()


def test_hang_with_the_default_buffers_it_takes_megabytes_to_block() -> None:
    with NetPrinter("hang") as printer:
        device = network(printer)
        device._raw(b"x" * 100_000)  # taken by the kernel: a receipt never blocks
        with pytest.raises(TimeoutError):
            device._raw(b"x" * 16_000_000)
        device.close()


def test_closed_port_open_raises_device_not_found() -> None:
    port = closed_port()
    device = Network(host="127.0.0.1", port=port, timeout=TIMEOUT)
    with pytest.raises(DeviceNotFoundError) as caught:
        device.open()
    assert str(caught.value) == (
        "Device not found (Could not open socket for 127.0.0.1:\n[Errno 111] Connection refused)"
    )
    assert caught.value.resultcode == 90
    assert caught.value.__cause__ is None  # not chained: the OSError is only in the text
    assert isinstance(caught.value.__context__, ConnectionRefusedError)
    assert not isinstance(caught.value, OSError)


def test_closed_port_the_first_write_opens_and_raises_the_same() -> None:
    device = Network(host="127.0.0.1", port=closed_port(), timeout=TIMEOUT)
    with pytest.raises(DeviceNotFoundError, match="Connection refused"):
        device.textln("x")


def test_the_modes_are_checked() -> None:
    with pytest.raises(ValueError, match="drop_after"):
        NetPrinter("drop_after")
    with pytest.raises(ValueError, match="one of"):
        NetPrinter("broken")  # type: ignore[arg-type]


def test_a_mode_set_before_a_connection_applies_to_it() -> None:
    with NetPrinter() as printer:
        first = network(printer)
        assert first.is_online() is True
        printer.mode = "silent"
        second = network(printer)
        with pytest.raises(TimeoutError):
            second.is_online()
        assert first.is_online() is True  # the first keeps its mode
        first.close()
        second.close()
