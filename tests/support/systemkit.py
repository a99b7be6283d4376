"""Helpers of the system tests: the shipped files, and a unix datagram socket standing
in for systemd's notification socket or for /dev/log."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.ptyproc import PtyProc

SYSTEMD_DIR = Path(__file__).parents[2] / "systemd"
UNIT = SYSTEMD_DIR / "tui-pos.service"
INSTALL = SYSTEMD_DIR / "install.sh"
DOCTOR_WRAPPER = SYSTEMD_DIR / "tui-pos-doctor"


def directives(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file's ``Key=value`` lines per section; a key may repeat."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


class Datagrams:
    """A bound ``AF_UNIX`` datagram socket; ``address`` is how a client names it."""

    def __init__(self, sock: socket.socket, address: str) -> None:
        self.sock = sock
        self.address = address

    def receive(self, timeout: float = 2.0) -> str:
        self.sock.settimeout(timeout)
        return self.sock.recv(65536).decode()

    def pending(self) -> bool:
        """Whether a datagram is waiting (without waiting for one)."""
        self.sock.setblocking(False)
        try:
            self.sock.recv(65536, socket.MSG_PEEK)
        except BlockingIOError:
            return False
        return True


@contextmanager
def datagram_socket(*, abstract: bool = False) -> Iterator[Datagrams]:
    """A socket at a short filesystem path (unix paths are limited to 107 bytes), or in
    the abstract namespace, written ``@name`` as systemd does."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    directory = None
    try:
        if abstract:
            name = f"tui-pos-test-{uuid.uuid4().hex}"
            sock.bind("\0" + name)
            address = "@" + name
        else:
            directory = tempfile.mkdtemp(prefix="tui-pos-")
            address = os.path.join(directory, "socket")
            sock.bind(address)
        yield Datagrams(sock, address)
    finally:
        sock.close()
        if directory is not None:
            shutil.rmtree(directory)


# --- the till on a pty of its own ---


@contextmanager
def till_in_pty(env: dict[str, str]) -> Iterator[PtyProc]:
    """``python -m tui_pos`` with ``env`` on an 80x24 pty of its own (the bench's
    driver). Stopped on the way out if it still runs (SIGTERM, then SIGKILL)."""
    with PtyProc([sys.executable, "-m", "tui_pos"], env) as till:
        yield till


def notifications(sock: socket.socket) -> list[str]:
    """Every datagram the till has sent systemd so far."""
    got = []
    while True:
        try:
            got.append(sock.recv(4096).decode())
        except BlockingIOError:
            return got
