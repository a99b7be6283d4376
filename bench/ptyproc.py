"""A process on a pseudo-terminal of its own, and what it writes, time-stamped.

The bench reads the pty with ``select`` (never a fixed sleep), so the time a text
appears is known to within one read. The one pty driver of the repository: the chaos
tests run the till on it too (``tests.support.chaoskit``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

CLK_TCK = os.sysconf("SC_CLK_TCK")


class Timeout(Exception):
    pass


@dataclass
class PtyProc:
    """``argv`` run on a fresh pty of ``cols`` x ``rows``; ``spawned`` is the monotonic
    time just before the fork."""

    argv: Sequence[str]
    env: Mapping[str, str]
    cols: int = 80
    rows: int = 24
    cwd: str | None = None
    out: bytearray = field(default_factory=bytearray)
    chunks: list[tuple[int, float]] = field(default_factory=list)
    """(end offset in ``out``, monotonic time read) per read."""

    def __post_init__(self) -> None:
        master, slave = os.openpty()
        self._winsize(slave, self.cols, self.rows)
        self.spawned = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: the program on the pty's other side
            try:
                os.close(master)
                os.login_tty(slave)
                if self.cwd:
                    os.chdir(self.cwd)
                os.execve(self.argv[0], list(self.argv), dict(self.env))
            finally:
                os._exit(127)
        os.close(slave)
        os.set_blocking(master, False)
        self.pid, self.fd = pid, master
        self.exit_code: int | None = None
        self.hung_up = False
        """The other side is closed (the child has gone): nothing more will come."""

    @staticmethod
    def _winsize(fd: int, cols: int, rows: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def resize(self, cols: int, rows: int) -> float:
        """Resize the terminal (the kernel sends the app SIGWINCH); returns the time."""
        self._winsize(self.fd, cols, rows)
        self.cols, self.rows = cols, rows
        return time.monotonic()

    # --- reading ---

    def pump(self, timeout: float) -> bool:
        """Read what is there, waiting up to ``timeout`` for the first byte."""
        if self.fd < 0 or self.hung_up:
            time.sleep(max(timeout, 0.0))  # nothing more will ever come
            return False
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return False
        got = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            except OSError:  # EIO: the child is gone
                self.hung_up = True
                break
            if not data:
                break
            self.out += data
            self.chunks.append((len(self.out), time.monotonic()))
            got = True
        return got

    def time_at(self, offset: int) -> float:
        """When the byte at ``offset`` had been read."""
        for end, at in self.chunks:
            if end > offset:
                return at
        raise ValueError(offset)

    def wait_for(self, marker: bytes, start: int = 0, timeout: float = 30.0) -> float:
        """Read until ``marker`` shows at or after offset ``start``; when it was complete."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.out.find(marker, start)
            if found >= 0:
                return self.time_at(found + len(marker) - 1)
            left = deadline - time.monotonic()
            if left <= 0:
                tail = bytes(self.out[-400:])
                raise Timeout(f"{marker!r} did not show in {timeout} s; last output {tail!r}")
            self.pump(min(left, 0.5))

    def settle(self, quiet: float = 0.3, timeout: float = 20.0) -> float:
        """Read until nothing comes for ``quiet`` seconds; returns when the last byte came."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pump(quiet):
                return self.chunks[-1][1] if self.chunks else self.spawned
        raise Timeout(f"output did not settle in {timeout} s")

    def idle(self, seconds: float) -> None:
        """Keep reading (so the app never blocks on a full pty) for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.pump(left)

    def write(self, data: bytes) -> float:
        """Type ``data``; returns the monotonic time once it is in the pty."""
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                self.pump(0.01)
        return time.monotonic()

    # --- the process as the kernel sees it ---

    def cpu_ticks(self) -> int:
        """utime + stime of the process, in clock ticks (``/proc/<pid>/stat``)."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)

    def status_kb(self, key: str) -> int:
        """A ``/proc/<pid>/status`` figure in kB, e.g. ``VmHWM`` (peak RSS)."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        raise KeyError(key)

    # --- the end ---

    def wait(self, timeout: float) -> int | None:
        """Until the process exits (reading its output meanwhile), at most ``timeout``
        seconds; its exit code, or None if it still runs."""
        deadline = time.monotonic() + timeout
        while self.exit_code is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.exit_code = os.waitstatus_to_exitcode(status)
                break
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self.pump(min(left, 0.05))
        return self.exit_code

    def read_to_end(self, timeout: float = 2.0) -> None:
        """Read what an exited process left in the pty, until the pty reports its end."""
        deadline = time.monotonic() + timeout
        while not self.hung_up and self.fd >= 0 and time.monotonic() < deadline:
            self.pump(0.05)

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout``; always reaps the child and closes
        the pty."""
        if self.fd < 0:
            return self.exit_code
        if self.exit_code is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            if self.wait(timeout) is None:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                self.exit_code = -9
        os.close(self.fd)
        self.fd = -1
        return self.exit_code

    def __enter__(self) -> PtyProc:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
