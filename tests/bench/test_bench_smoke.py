"""The benchmark (``python -m bench``, issue 7) still runs: one quick pass of its API
figures (the till in a pty against the simulator, and the naive sequence) and of its
idle and memory figures (the till beside the bare app, plain and with the till's
libraries loaded), with the
table printed, on the runtime-only venv it makes as it would from a clean clone.
Nothing about the timings is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_runs_and_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "api,idle"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,  # the first run makes .bench-venv/ (pip, about 15 s)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert out.startswith("Machine: ") and "Textual" in out
    assert f"Till and bare app on: {ROOT / '.bench-venv' / 'bin' / 'python'}" in out
    for figure in (
        "HTTP requests",
        "round trips: pay key",
        "round trips: terminal paid",
        "CPU over 10 s idle",
        "peak memory",
    ):
        assert f"| {figure}" in out
    assert "the bare app with the till's libraries loaded" in out
