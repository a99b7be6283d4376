"""Every screen at 80x24, in the console theme (TERM=linux) and the full-colour one; the
sale and card screens also at 120x40 and at the smallest supported size, and one screen
below it.

Update after a deliberate change: ``pytest tests/app/test_app_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.support.scenarios import SCENARIOS, SIZES, Scenario

THEMES = {"console": "linux", "colour": "xterm-256color"}

SCRATCH = Path(tempfile.gettempdir()) / "tui-pos-demo-snapshot"
"""The training till's scratch directory in every snapshot: the support screen shows it,
and its random name would change the picture on each run."""


@pytest.fixture(autouse=True)
def fixed_scratch_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    def mkdtemp(suffix: str | None = None, prefix: str | None = None, dir: Any = None) -> str:
        SCRATCH.mkdir(exist_ok=True)
        return str(SCRATCH)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)


@pytest.fixture(autouse=True)
def fixed_receipts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The training printer's receipt and the day's reports without what changes on each
    run: their date and time, and the invoice's id in its PDF's address (the
    simulator's are random)."""
    from tui_pos.checkout import day_report
    from tui_pos.printer import layout
    from tui_pos.sim import state

    numbers, random_id = itertools.count(1), state.new_id

    def new_id(prefix: str) -> str:
        return f"inv_{next(numbers):016d}" if prefix == "inv_" else random_id(prefix)

    monkeypatch.setattr(layout, "stamp", lambda timestamp: "03-12-2026 08:15")
    monkeypatch.setattr(day_report, "_time", lambda timestamp: "2026-12-03 08:15")
    monkeypatch.setattr(state, "new_id", new_id)


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_screen(
    scenario: Scenario, theme: str, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", THEMES[theme])
    app, run_before = scenario.build()
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.sized], ids=lambda s: s.name)
def test_screen_at_size(
    scenario: Scenario, size: tuple[int, int], snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", THEMES["console"])
    app, run_before = scenario.build()
    assert snap_compare(app, terminal_size=size, run_before=run_before)
