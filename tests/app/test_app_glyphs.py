"""On the Linux console every character of every screen must be in the console font."""

from __future__ import annotations

import pytest

from tests.support.appkit import font_glyphs
from tests.support.scenarios import SCENARIOS, Scenario
from tui_pos.app import TillApp


def drawn(app: TillApp) -> str:
    """Everything on the terminal: each screen on the stack, as the compositor draws it."""
    return "\n".join(
        strip.text for screen in app.screen_stack for strip in screen._compositor.render_strips()
    )


def test_the_font_list_is_the_fonts() -> None:
    glyphs = font_glyphs()
    assert len(glyphs) > 500 and "€" in glyphs and "┌" in glyphs
    assert "▁" not in glyphs and "▌" not in glyphs  # eighth and half blocks are missing


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
async def test_every_screen_fits_the_console_font(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "linux")
    app, run_before = scenario.build()
    glyphs = font_glyphs()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_before(pilot)
        assert app.theme == "ansi-dark"
        text = drawn(app)
    outside = sorted({char for char in text if char not in glyphs and char != "\n"})
    assert not outside, f"{scenario.name}: not in the console font: {outside!r}"
