"""The receipt printer itself, through python-escpos: open it, ask its status, send it
bytes, and say every failure in a cashier's words. Everything here blocks: it runs on a
thread of its own (see :mod:`tui_pos.printer.desk`), never on the event loop."""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import sys
from dataclasses import dataclass
from typing import Any

from escpos import exceptions as escpos_errors
from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER

from tui_pos.config import PrinterSettings

STATUS_SECONDS = 1.0
"""How long a printer may take to answer a status query before it counts as silent."""
_OFFLINE_CAUSE = b"\x10\x04\x02"  # DLE EOT 2: why the printer is offline


class PrinterFault(Exception):
    """Why a printout did not print, or not wholly: ``str()`` is the cashier's words
    ("out of paper"); ``partly`` when some of it may have reached the printer."""

    def __init__(self, words: str, *, partly: bool = False) -> None:
        super().__init__(words)
        self.partly = partly


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said of itself; ``known`` is False when it cannot say (a file
    device) or did not answer."""

    known: bool
    online: bool = True
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False

    @property
    def problem(self) -> str | None:
        """Why it cannot print now, or None."""
        if self.paper_out:
            return "out of paper"
        if self.cover_open:
            return "the cover is open"
        if not self.online:
            return "offline (check its light and buttons)"
        return None

    @property
    def words(self) -> str:
        if not self.known:
            return "status unknown (the printer does not report it)"
        return self.problem or ("ready, paper low" if self.paper_low else "ready")


def _valid(answer: bytes) -> int | None:
    """The status byte of a DLE EOT answer; ESC/POS fixes bits 1 and 4 on, 0 and 7 off."""
    if len(answer) != 1 or answer[0] & 0x93 != 0x12:
        return None
    return answer[0]


class Printer:
    """One connection to the configured printer, for one printout.

    ESC/POS status answers are single bytes that do not say which query they answer, so
    the connection's answers are trusted only while they keep step with the queries: once
    a query went unanswered in time, or something came that is not an answer (garbled,
    twice, unasked), a late or stray byte could be read as the answer to the next query;
    from then on this connection's status is unknown, never guessed."""

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self._device: Any = None
        self._in_step = True

    def __enter__(self) -> Printer:
        self._device = _open(self.settings)
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection says nothing new
            self._device.close()

    def status(self) -> PrinterStatus:
        """Ask the printer (DLE EOT); a printer that cannot answer, or does not in time,
        gives an unknown status, never a guess. A connection found lost while asking
        raises :class:`PrinterFault` ("dropped the connection")."""
        if self.settings.kind in ("file", "screen") or not self.settings.status:
            return PrinterStatus(known=False)
        with self._short_reads():
            online = self._query(RT_STATUS_ONLINE)
            if online is None:
                return PrinterStatus(known=False)
            offline = bool(online & 0x08)
            cause = self._query(_OFFLINE_CAUSE) if offline else 0
            paper = self._query(RT_STATUS_PAPER)
        paper_out = bool((cause or 0) & 0x20) or (paper is not None and paper & 0x60 == 0x60)
        if not offline and paper is None:
            return PrinterStatus(known=False)  # online, but the paper not known: no guess
        return PrinterStatus(
            known=True,
            online=not offline,
            cover_open=bool((cause or 0) & 0x04),
            paper_out=paper_out,
            paper_low=paper is not None and paper & 0x0C == 0x0C,
        )

    def send(self, data: bytes) -> None:
        """All of ``data`` to the printer (python-escpos's documented way to send what
        its Dummy printer laid out)."""
        try:
            self._device._raw(data)
            flush = getattr(self._device, "flush", None)
            if callable(flush):
                flush()
        except Exception as exc:  # every library's own exception, said in words
            raise PrinterFault(words_for(exc), partly=True) from exc

    def _query(self, request: bytes) -> int | None:
        """The status byte answering ``request``, or None (no answer in time, or one out
        of step with the queries: the rest of the connection's answers are unknown)."""
        if not self._in_step:
            return None
        try:
            if self._unasked():
                self._in_step = False
                return None
            self._device._raw(request)
            answer = self._answer()
        except PrinterFault:
            raise
        except Exception as exc:
            if isinstance(exc, OSError) and not _timed_out(exc):
                raise PrinterFault(words_for(exc)) from exc  # the line is down
            self._in_step = False  # no answer in time (or the library's own error)
            return None
        if self.settings.kind == "network" and answer == b"":
            raise PrinterFault("dropped the connection")  # the printer closed it
        value = _valid(answer)
        if value is None:
            self._in_step = False
        return value

    def _unasked(self) -> bytes:
        """What came from the printer before it was asked (a late answer, one twice)."""
        device: Any = getattr(self._device, "device", None)
        if isinstance(device, socket.socket):
            readable, _, _ = select.select([device], [], [], 0)
            if not readable:
                return b""
            got = device.recv(64)
            if got == b"":
                raise PrinterFault("dropped the connection")
            return got
        waiting = getattr(device, "in_waiting", None)  # a serial port
        if isinstance(waiting, int) and waiting:
            return bytes(device.read(waiting))
        return b""

    def _answer(self) -> bytes:
        """One answer: a status byte is one byte, so a serial port reads one (its read
        waits for as many as it is asked for, or its timeout) and then what else came."""
        if self.settings.kind == "serial":
            port = self._device.device
            answer = bytes(port.read(1))
            if answer and port.in_waiting:
                answer += bytes(port.read(port.in_waiting))
            return answer
        return bytes(self._device._read())

    @contextlib.contextmanager
    def _short_reads(self) -> Any:
        """A status answer is waited for at most STATUS_SECONDS, whatever the printer's
        own timeout (on a network socket and a serial port; python-escpos's USB reads
        have pyusb's own second)."""
        short = min(STATUS_SECONDS, self.settings.timeout)
        device = getattr(self._device, "device", None)
        if isinstance(device, socket.socket):
            device.settimeout(short)
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    device.settimeout(self.settings.timeout)
        elif self.settings.kind == "serial" and device is not None:
            device.timeout = short
            try:
                yield
            finally:
                with contextlib.suppress(Exception):
                    device.timeout = self.settings.timeout
        else:
            yield


def deliver(settings: PrinterSettings, data: bytes) -> bool:
    """Print ``data``: the status asked before (a printer that says it cannot print gets
    nothing) and after (what it says then, the bytes before it have reached it). True
    when the printer confirmed it, False when it cannot report (a file device, a
    network printer that keeps quiet): sent, not known printed."""
    with Printer(settings) as printer:
        before = printer.status()
        if before.problem is not None:
            raise PrinterFault(before.problem)
        printer.send(data)
        try:
            after = printer.status()
        except PrinterFault as fault:  # e.g. the printer dropped the line with it
            raise PrinterFault(str(fault), partly=True) from fault
        if after.problem is not None:  # e.g. the paper ran out while it printed
            raise PrinterFault(after.problem, partly=True)
        return after.known


def _timed_out(exc: BaseException) -> bool:
    """A timeout, as the socket, pyserial or pyusb says it."""
    return isinstance(exc, TimeoutError) or getattr(exc, "errno", None) == errno.ETIMEDOUT


def _open(settings: PrinterSettings) -> Any:
    """The python-escpos printer for ``settings``, connected."""
    from escpos import printer as escpos_printer

    kind = settings.kind
    try:
        if kind == "network":
            device = escpos_printer.Network(
                settings.host, settings.port, timeout=settings.timeout, profile=settings.profile
            )
        elif kind == "file":
            path = str(settings.device)
            if not os.path.exists(path):  # python-escpos would make a file in its place
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
            device = escpos_printer.File(path, profile=settings.profile)
        elif kind == "serial":
            device = escpos_printer.Serial(
                str(settings.device),
                baudrate=settings.baudrate,
                timeout=settings.timeout,
                profile=settings.profile,
            )
        elif kind == "usb":
            assert settings.usb_id is not None
            vendor, product = (int(part, 16) for part in settings.usb_id.split(":"))
            device = escpos_printer.Usb(
                vendor, product, timeout=int(settings.timeout * 1000), profile=settings.profile
            )
        else:
            raise PrinterFault(f"is not one this till can drive (kind {kind})")
        device.open()
    except PrinterFault:
        raise
    except Exception as exc:
        raise PrinterFault(words_for(exc)) from exc
    return device


_ERRNO_WORDS = {
    errno.ECONNREFUSED: "refused the connection (is it switched on, at that address?)",
    errno.EHOSTUNREACH: "cannot be reached on the network",
    errno.ENETUNREACH: "cannot be reached on the network",
    errno.ENOENT: "is not connected (its device is missing)",
    errno.ENODEV: "was unplugged",
    errno.ENXIO: "was unplugged",
    errno.EACCES: "may not be used by the till (device permissions; see tui-pos doctor)",
    errno.EPERM: "may not be used by the till (device permissions; see tui-pos doctor)",
    errno.EBUSY: "is in use by another program",
    errno.ENOSPC: "out of paper",
    errno.EIO: "reported an error (check paper and cover)",
    errno.EPIPE: "dropped the connection",
    errno.ECONNRESET: "dropped the connection",
    errno.ECONNABORTED: "dropped the connection",
}


def words_for(exc: BaseException) -> str:
    """A library's exception as what the cashier is told of the printer."""
    cause = exc
    while not isinstance(cause, OSError) and cause.__context__ is not None:
        cause = cause.__context__  # python-escpos wraps the OSError it met
    if _timed_out(cause) or _library_error(cause, "serial", "SerialTimeoutException"):
        return "did not respond in time"
    if _library_error(exc, "usb.core", "NoBackendError"):
        return "cannot use USB (libusb is missing; see tui-pos doctor)"
    if isinstance(cause, socket.gaierror):
        return "has an address the till cannot find"
    if isinstance(cause, OSError) and cause.errno in _ERRNO_WORDS:
        return _ERRNO_WORDS[cause.errno]
    if isinstance(exc, escpos_errors.DeviceNotFoundError):
        return "is not connected or cannot be found"
    return "failed (see the log)"


def _library_error(exc: BaseException, module: str, name: str) -> bool:
    """Whether ``exc`` is the exception ``name`` of ``module`` (pyserial's, pyusb's),
    without importing a library the till does not use."""
    kind = getattr(sys.modules.get(module), name, None)
    return isinstance(kind, type) and isinstance(exc, kind)
