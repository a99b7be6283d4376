"""One till per state directory: an exclusive ``flock`` on ``state_dir/till.lock``.

The till takes the lock at start, before it opens the journal, and holds it for its
whole life (the kernel lets go of it when the process ends, however it ends). The file
holds the holder's pid, so that a second till (a second unit, a second shell) can say
whose it is. Nothing here imports more than the standard library.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

LOCK_NAME = "till.lock"
"""The lock file in ``state_dir``."""
GRACE = 1.0
"""Seconds a starting till tries again for a lock that is held: long enough for a
doctor's probe to have let go of it, too short to be taken for a hang."""


class StateDirInUse(Exception):
    """Another process holds the state directory; ``str()`` is the one line to show."""

    def __init__(self, state_dir: Path, pid: int | None) -> None:
        self.state_dir = state_dir
        self.pid = pid
        holder = f"pid {pid}" if pid is not None else "its pid unknown"
        super().__init__(
            f"{state_dir} is in use by another till ({holder}): only one till may use a "
            "state_dir; stop the other one, or give this one a state_dir of its own"
        )


class StateDirLock:
    """The held lock; :meth:`release` (or the process's end) lets go of it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the only descriptor releases the flock
            self._fd = -1


def lock_state_dir(state_dir: Path, *, grace: float = GRACE) -> StateDirLock:
    """Take the state directory's lock and write this process's pid into it. Raises
    :class:`StateDirInUse` when another process holds it after ``grace`` seconds, and
    ``OSError`` when the lock file can neither be made nor opened."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        writable = True
    except OSError:  # a read-only disk: lock it all the same (the journal then says why)
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        writable = False
    deadline = time.monotonic() + grace
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StateDirInUse(state_dir, _read_pid(path)) from None
            time.sleep(0.05)
    if writable:
        with contextlib.suppress(OSError):  # a full disk: the pid is only for people
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return StateDirLock(path, fd)


def lock_holder(state_dir: Path) -> tuple[bool, int | None]:
    """Whether a till holds the state directory's lock, and its pid (``None`` when that
    cannot be read), for the doctor. A probe of a moment (a shared, non-blocking lock
    let go of at once), which a starting till waits out (:data:`GRACE`); creates
    nothing."""
    path = state_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False, None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True, _read_pid(path)
    finally:
        os.close(fd)
    return False, None


def _read_pid(path: Path, seconds: float = 0.5) -> int | None:
    """The pid in the lock file; a holder that has just taken the lock may not have
    written it yet, so an empty file is read again for a moment."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            text = path.read_text().strip()
        except OSError:
            return None
        if text.isdigit():
            return int(text)
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.02)
