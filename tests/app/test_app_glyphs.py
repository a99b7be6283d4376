"""On the Linux console every character of every screen must be in the console font."""

from __future__ import annotations

import pytest

from tests.support.appkit import STOCK_FONT, font_builder, font_glyphs
from tests.support.scenarios import SCENARIOS, SIZES, Scenario
from tui_pos.app import TillApp


def drawn(app: TillApp) -> str:
    """Everything on the terminal: each screen on the stack, as the compositor draws it."""
    return "\n".join(
        strip.text for screen in app.screen_stack for strip in screen._compositor.render_strips()
    )


def test_the_font_list_is_the_fonts() -> None:
    glyphs, stock = font_glyphs(), font_glyphs(STOCK_FONT)
    assert len(stock) > 500 and "€" in stock and "┌" in stock and "█" in stock
    assert "▁" not in stock and "▌" not in stock and "▀" not in stock  # no eighths or halves
    assert glyphs == stock | {"▀", "▄"}  # ours: the half blocks of QR codes too


def test_our_console_font_is_the_stock_one_and_exactly_the_two_half_blocks() -> None:
    """Read from the shipped PSF itself, held to the stock font's table."""
    make = font_builder()
    ours = make.read_psf1(make.OURS.read_bytes())
    points = make.code_points(ours)
    assert {chr(point) for point in points} - font_glyphs(STOCK_FONT) == {"\u2580", "\u2584"}
    assert {chr(point) for point in points} >= font_glyphs(STOCK_FONT)


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
