"""Help is built from the keys each screen has, and F1, Ctrl+S and Ctrl+Q work on every
screen; every screen fits from the smallest supported size up, and below it says so."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll

from tests.support.appkit import screen_text
from tests.support.scenarios import SCENARIOS, Scenario
from tests.support.waiting import wait_for
from tui_pos.app.console import key_name
from tui_pos.app.screens.base import MIN_SIZE
from tui_pos.app.screens.info import InfoScreen, own_bindings

SCREENS = [s for s in SCENARIOS if s.name not in ("help", "support")]


@pytest.mark.parametrize("scenario", SCREENS, ids=lambda s: s.name)
async def test_f1_lists_every_key_of_the_screen_and_fits(scenario: Scenario) -> None:
    app, run_before = scenario.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_before(pilot)
        under = app.screen
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        await pilot.pause()
        text = screen_text(app)
        for binding in [*own_bindings(under), *own_bindings(app)]:
            shown = f"  {key_name(binding.key)} "
            assert shown in text, f"{scenario.name}: {binding.key} missing from the help"
            if binding.action != "quit":  # in training it says what training does
                assert binding.tooltip and binding.tooltip in text
        page = app.screen.query_one(VerticalScroll)
        assert page.virtual_size.height <= page.size.height, "the help needs scrolling"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is under)


@pytest.mark.parametrize("scenario", SCREENS, ids=lambda s: s.name)
async def test_ctrl_s_shows_support_on_every_screen(scenario: Scenario) -> None:
    app, run_before = scenario.build()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_before(pilot)
        under = app.screen
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoScreen))
        assert "Support" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is under)


SIZED = [s for s in SCENARIOS if s.name in ("sale-cart", "terminal-declined", "quantity", "cash")]


@pytest.mark.parametrize("scenario", SIZED, ids=lambda s: s.name)
async def test_below_the_smallest_size_the_screen_says_so(scenario: Scenario) -> None:
    width, height = MIN_SIZE
    app, run_before = scenario.build()
    async with app.run_test(size=(width - 1, height)) as pilot:
        await run_before(pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "This window is too small for the till" in text
        assert "F1" not in text  # nothing of the screen, cut or whole


@pytest.mark.parametrize("size", [MIN_SIZE, (80, 24), (120, 40)], ids=str)
@pytest.mark.parametrize("scenario", SIZED, ids=lambda s: s.name)
async def test_at_and_above_the_smallest_size_every_key_shows(
    scenario: Scenario, size: tuple[int, int]
) -> None:
    app, run_before = scenario.build()
    async with app.run_test(size=size) as pilot:
        await run_before(pilot)
        await pilot.pause()
        text = screen_text(app)
        assert "too small" not in text
        footer = text.splitlines()[-1]
        active = app.screen.active_bindings.values()
        shown = [a.binding for a in active if a.binding.show and a.enabled]
        assert shown
        for binding in shown:
            if binding.description:  # the dialogs' keys are in their text
                assert f"{key_name(binding.key)} {binding.description}" in footer or (
                    key_name(binding.key) in text
                ), f"{binding.key} cut at {size}"
