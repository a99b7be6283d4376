"""systemd's notification protocol (``sd_notify``) in plain Python.

Each message is one datagram to ``$NOTIFY_SOCKET``: a filesystem path, or an abstract
socket name written with a leading ``@``. Outside systemd every call is a no-op that
returns ``False``.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


def notify(*fields: str) -> bool:
    """Send ``KEY=value`` fields in one datagram; ``True`` once systemd has it."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if address.startswith("@"):
        address = "\0" + address[1:]
    elif not address.startswith("/"):
        return False  # not under systemd (or a vsock address, which a till never has)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall("\n".join(fields).encode())
    except OSError as exc:
        log.warning("systemd notification %s not sent: %s", fields[0], exc)
        return False
    return True


def ready(text: str | None = None) -> bool:
    """The sale screen is up: systemd stops waiting for the start."""
    return notify("READY=1", *_status_field(text))


def stopping(text: str | None = None) -> bool:
    """The till is shutting down on purpose."""
    return notify("STOPPING=1", *_status_field(text))


def watchdog() -> bool:
    """Still alive; send every :func:`watchdog_interval` seconds from the event loop."""
    return notify("WATCHDOG=1")


def status(text: str) -> bool:
    """A one-line state shown by ``systemctl status``."""
    return notify(*_status_field(text))


def watchdog_interval() -> float | None:
    """Seconds between pings (half of ``WatchdogSec``), or ``None`` when no watchdog
    watches this process (``$WATCHDOG_PID`` names another one)."""
    try:
        usec = int(os.environ.get("WATCHDOG_USEC", ""))
        pid = int(os.environ.get("WATCHDOG_PID", os.getpid()))
    except ValueError:
        return None
    if usec <= 0 or pid != os.getpid():
        return None
    return usec / 2 / 1_000_000


def _status_field(text: str | None) -> list[str]:
    # A newline would start another field (a status must not say READY=1 by accident).
    return [] if text is None else ["STATUS=" + " ".join(text.splitlines())]
