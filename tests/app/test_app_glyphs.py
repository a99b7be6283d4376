"""On the Linux console every character of every screen must be in the console font."""

from __future__ import annotations

import pytest

from tests.support.appkit import font_glyphs
from tests.support.scenarios import SCENARIOS, SIZES, Scenario
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


CASES = [(s, (80, 24)) for s in SCENARIOS] + [(s, z) for s in SCENARIOS if s.sized for z in SIZES]


@pytest.mark.parametrize(
    ("scenario", "size"), CASES, ids=lambda c: c.name if isinstance(c, Scenario) else str(c)
)
async def test_every_screen_fits_the_console_font(
    scenario: Scenario, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "linux")
    app, run_before = scenario.build()
    glyphs = font_glyphs()
    async with app.run_test(size=size) as pilot:
        await run_before(pilot)
        assert app.theme == "ansi-dark"
        text = drawn(app)
    outside = sorted({char for char in text if char not in glyphs and char != "\n"})
    assert not outside, f"{scenario.name}: not in the console font: {outside!r}"
