"""One till per state directory: the lock taken at start and held for the process's
life, and what the doctor sees of it. (Two real tills: tests/chaos/
test_startup_faults.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pydantic import SecretStr

from tui_pos.app.runtime import Runtime, StartupError
from tui_pos.config import Settings
from tui_pos.system.lock import LOCK_NAME, StateDirInUse, lock_holder, lock_state_dir

HOLD = """
import sys, time
from pathlib import Path
from tui_pos.system.lock import lock_state_dir
lock = lock_state_dir(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()
"""


def holder(state_dir: Path) -> subprocess.Popen[str]:
    """Another process holding the state directory until its stdin is closed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(state_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_the_lock_names_its_holder_and_is_let_go_when_it_ends(tmp_path: Path) -> None:
    other = holder(tmp_path)
    try:
        assert (tmp_path / LOCK_NAME).read_text() == f"{other.pid}\n"
        assert lock_holder(tmp_path) == (True, other.pid)
        with pytest.raises(StateDirInUse) as caught:
            lock_state_dir(tmp_path, grace=0.1)
        assert str(caught.value).startswith(
            f"{tmp_path} is in use by another till (pid {other.pid}): "
        )
    finally:
        assert other.stdin is not None
        other.stdin.close()
        other.wait(10)
    assert lock_holder(tmp_path) == (False, None)  # the kernel let go of it
    lock = lock_state_dir(tmp_path)
    assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
    lock.release()


def test_a_doctor_probing_the_lock_does_not_stop_a_till_starting(tmp_path: Path) -> None:
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            lock_holder(tmp_path)

    lock_state_dir(tmp_path).release()  # the file exists, so the probe really locks
    prober = threading.Thread(target=probe)
    prober.start()
    try:
        for _ in range(20):
            lock_state_dir(tmp_path).release()
    finally:
        stop.set()
        prober.join(10)


def test_the_runtime_holds_the_lock_until_cleanup(tmp_path: Path) -> None:
    runtime = Runtime.live(Settings(channel_id="c", api_token=SecretStr("t"), state_dir=tmp_path))
    runtime.lock()
    assert lock_holder(tmp_path) == (True, os.getpid())
    second = Runtime.live(Settings(channel_id="c", api_token=SecretStr("t"), state_dir=tmp_path))
    with pytest.raises(StartupError, match=rf"in use by another till \(pid {os.getpid()}\)"):
        second.lock()
    runtime.cleanup()
    assert lock_holder(tmp_path) == (False, None)
