"""The payment page panel at 80x24 and 100x30, in the console theme (TERM=linux, the
stock font: the url written out where two cells a module do not fit) and the full-colour
one (half blocks); and its QR code, read from the rendered screen, decodes to the page's
url at 80x24 in both themes (on the console with our font's half blocks).

Update after a deliberate change:
``pytest tests/app/test_app_page_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.test_app_snapshots import THEMES, fixed_receipts, fixed_scratch_dir
from tests.support import scenarios
from tests.support.appkit import fast_simulator, make_app
from tests.support.qrkit import decode_cells
from tui_pos.app import TillApp
from tui_pos.app.qr import Glyphs
from tui_pos.app.screens import page
from tui_pos.app.screens.page import PageScreen

__all__ = ["fixed_receipts", "fixed_scratch_dir"]  # the fixtures, used here too

SIZES = [(80, 24), (100, 30)]
LEFT = 545.2
"""Seconds of the page's time left shown in the pictures (9:06)."""


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The panel's clock, stopped at LEFT seconds before the page's deadline once set."""
    now = [0.0]
    monkeypatch.setattr(page, "monotonic", lambda: now[0])
    return now


def waiting_page(now: list[float]) -> tuple[TillApp, Callable[[Pilot[None]], Awaitable[None]]]:
    """The till, and what opens the page panel with the clock stopped on it."""
    sim = fast_simulator()
    app = make_app(sim)

    async def drive(pilot: Pilot[None]) -> None:
        await scenarios.page_open(pilot, app, sim)
        view = app.view.page
        assert view is not None and view.deadline is not None
        now[0] = view.deadline - LEFT
        screen = app.screen
        assert isinstance(screen, PageScreen)
        screen.show(app.view)
        await pilot.pause()

    return app, drive


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_page_panel(
    theme: str,
    size: tuple[int, int],
    snap_compare: Any,
    monkeypatch: pytest.MonkeyPatch,
    frozen_clock: list[float],
) -> None:
    monkeypatch.setenv("TERM", THEMES[theme])
    app, drive = waiting_page(frozen_clock)
    assert snap_compare(app, terminal_size=size, run_before=drive)


@pytest.mark.parametrize("theme", sorted(THEMES))
async def test_the_qr_on_the_screen_reads_back_as_the_url(
    theme: str, monkeypatch: pytest.MonkeyPatch, frozen_clock: list[float]
) -> None:
    monkeypatch.setenv("TERM", THEMES[theme])
    monkeypatch.setattr(page, "qr_glyphs", lambda: Glyphs.HALF)  # on tty1, with our font
    app, drive = waiting_page(frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot)
        assert app.theme == ("ansi-dark" if theme == "console" else "textual-dark")
        screen = app.screen
        assert isinstance(screen, PageScreen)
        qr = screen.query_one("#qr")
        region = qr.region
        strips = screen._compositor.render_strips()
        lines = [strip.text[region.x : region.right] for strip in strips[region.y : region.bottom]]
        view = app.view.page
        assert view is not None
        assert (
            decode_cells(lines, Glyphs.HALF)
            == view.url
            == f"{scenarios.PAGE_BASE}/pay/pay_{1:016d}"
        )
        assert region.width == 37 and region.height == 19  # beside the amount
        style = qr.rich_style
        assert style.color is not None and style.bgcolor is not None
        dark, light = style.color.get_truecolor(), style.bgcolor.get_truecolor()
        assert sum(dark) < 100 and sum(light) > 600  # black ink on white, in both themes
