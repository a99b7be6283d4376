"""The customer dialog (matches, no match, Afosto down) and the sale screen naming its
customer, at 80x24 in both themes (the header also at the other sizes), and every one
of them drawn with the console font's glyphs only.

Update after a deliberate change:
``pytest tests/app/test_app_customer_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.test_app_glyphs import drawn
from tests.app.test_app_snapshots import THEMES
from tests.support.appkit import font_glyphs
from tests.support.scenarios import CUSTOMER_SCENARIOS, SIZES, Scenario


@pytest.mark.parametrize("theme", sorted(THEMES))
@pytest.mark.parametrize("scenario", CUSTOMER_SCENARIOS, ids=lambda s: s.name)
def test_screen(
    scenario: Scenario, theme: str, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", THEMES[theme])
    app, run_before = scenario.build()
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
@pytest.mark.parametrize(
    "scenario", [s for s in CUSTOMER_SCENARIOS if s.sized], ids=lambda s: s.name
)
def test_screen_at_size(
    scenario: Scenario, size: tuple[int, int], snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", THEMES["console"])
    app, run_before = scenario.build()
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("scenario", CUSTOMER_SCENARIOS, ids=lambda s: s.name)
async def test_every_customer_screen_fits_the_console_font(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "linux")
    app, run_before = scenario.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_before(pilot)
        text = drawn(app)
    outside = sorted({char for char in text if char not in font_glyphs() and char != "\n"})
    assert not outside, f"{scenario.name}: not in the console font: {outside!r}"
