"""Fixtures of the chaos tests: a simulator on 127.0.0.1 and tills in ptys, all stopped
after the test; a state directory on a small tmpfs where mounting is allowed."""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chaoskit import Chaos, chaos_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Chaos]:
    with chaos_world(tmp_path) as chaos:
        yield chaos


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 4 MiB tmpfs of its own, so that the journal's disk can really fill up or go
    read-only (as root, file modes do not stop writes). Skips where mounting is not
    allowed (no root, or no CAP_SYS_ADMIN in a container)."""
    mountpoint = Path(tempfile.mkdtemp(prefix="tui-pos-disk-"))
    try:
        mount = ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mountpoint)]
        try:
            done = subprocess.run(mount, capture_output=True, text=True, timeout=10)
        except OSError as exc:
            pytest.skip(f"cannot run mount: {exc}")
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        try:
            yield mountpoint
        finally:
            subprocess.run(["umount", str(mountpoint)], capture_output=True, timeout=10)
    finally:
        with contextlib.suppress(OSError):
            mountpoint.rmdir()


@pytest.fixture
def disk_world(small_disk: Path) -> Iterator[Chaos]:
    """A till world whose state directory (the journal) is on the small disk."""
    with chaos_world(small_disk) as chaos:
        yield chaos
