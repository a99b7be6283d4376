"""The benchmark (``python -m bench``, issue 7) still runs: one quick pass of its API
figures (the till in a pty against the simulator, and the naive sequence), with the
table printed. Nothing about the timings is asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bench_runs_and_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", "api", "--python", sys.executable],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert out.startswith("Machine: ") and "Textual" in out
    for figure in ("HTTP requests", "round trips: pay key", "round trips: terminal paid"):
        assert f"| {figure}" in out
