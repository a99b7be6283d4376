"""The benchmark (``python -m bench``, issue 7) still runs: one quick pass of every
figure (the till in a pty against the simulator, beside the bare app, the bare app with
the till's libraries and the naive sequence), with the table printed, on the
runtime-only venv it makes as it would from a clean clone. Nothing about the timings is
asserted. Marked slow: a plain ``pytest`` leaves it out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a minute or more: CI runs it with ``pytest -m slow``

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_runs_and_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,  # about 50 s, and the first run makes .bench-venv/ (pip, about 15 s)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert out.startswith("Machine: ") and "Textual" in out
    assert f"Till and bare app on: {ROOT / '.bench-venv' / 'bin' / 'python'}" in out
    for figure in (
        "start to ready-to-scan",
        "CPU over 10 s idle",
        "peak memory",
        "scan to line on screen p50",
        "scan to line on screen p95",
        "journal write per scan",
        "cost growth",
        "HTTP requests",
        "round trips: pay key",
        "round trips: terminal paid",
        "bytes to the terminal per scan",
        "approval to invoice shown, with a printer",
        "approval to the receipt's last byte at the printer",
    ):
        assert f"| {figure}" in out
    assert "the bare app with the till's libraries loaded" in out
