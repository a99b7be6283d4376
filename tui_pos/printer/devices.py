"""The receipt printer itself, through python-escpos: open it, ask its status, send it
bytes, and say every failure in a cashier's words. Everything here blocks: it runs on a
thread of its own (see :mod:`tui_pos.printer.desk`), never on the event loop."""

from __future__ import annotations

import contextlib
import errno
import socket
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
    """One connection to the configured printer, for one printout."""

    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self._device: Any = None

    def __enter__(self) -> Printer:
        self._device = _open(self.settings)
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection says nothing new
            self._device.close()

    def status(self) -> PrinterStatus:
        """Ask the printer (DLE EOT); a printer that cannot answer, or does not in time,
        gives an unknown status, never a guess."""
        if self.settings.kind in ("file", "screen") or not self.settings.status:
            return PrinterStatus(known=False)
        with self._short_reads():
            online = self._query(RT_STATUS_ONLINE)
            if online is None:
                return PrinterStatus(known=False)
            cause = self._query(_OFFLINE_CAUSE) if online & 0x08 else 0
            paper = self._query(RT_STATUS_PAPER) or 0
        return PrinterStatus(
            known=True,
            online=not online & 0x08,
            cover_open=bool((cause or 0) & 0x04),
            paper_out=bool((cause or 0) & 0x20) or paper & 0x60 == 0x60,
            paper_low=paper & 0x0C == 0x0C,
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
        try:
            return _valid(self._device.query_status(request))
        except Exception:  # no answer in time, or the line dropped: the status is unknown
            return None

    @contextlib.contextmanager
    def _short_reads(self) -> Any:
        sock = self._device.device if self.settings.kind == "network" else None
        if not isinstance(sock, socket.socket):
            yield
            return
        sock.settimeout(min(STATUS_SECONDS, self.settings.timeout))
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(self.settings.timeout)


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
        after = printer.status()
        if after.problem is not None:  # e.g. the paper ran out while it printed
            raise PrinterFault(after.problem, partly=True)
        return after.known


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
            device = escpos_printer.File(str(settings.device), profile=settings.profile)
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
    if isinstance(cause, TimeoutError | socket.timeout):
        return "did not respond in time"
    if isinstance(cause, socket.gaierror):
        return "has an address the till cannot find"
    if isinstance(cause, OSError) and cause.errno in _ERRNO_WORDS:
        return _ERRNO_WORDS[cause.errno]
    if isinstance(exc, escpos_errors.DeviceNotFoundError):
        return "is not connected or cannot be found"
    return "failed (see the log)"
