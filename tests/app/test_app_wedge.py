"""A keyboard-wedge scanner typing into the terminal, told apart from a person."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.appkit import CODES, make_app, scan, settled
from tests.support.waiting import wait_for
from tui_pos.app import TillApp
from tui_pos.app.wedge import BurstDetector
from tui_pos.app.widgets.cart import Cart
from tui_pos.checkout import Phase


def feed(detector: BurstDetector, text: str, gap: float) -> str | None:
    result = None
    for i, char in enumerate([*text, "\r"]):
        key = "enter" if char == "\r" else char
        result = detector.feed(None if key == "enter" else char, key, i * gap)
    return result


def test_a_fast_burst_ending_in_enter_is_a_scan() -> None:
    assert feed(BurstDetector(), "8712345678906", gap=0.005) == "8712345678906"


def test_typing_is_not_a_scan() -> None:
    assert feed(BurstDetector(), "8712345678906", gap=0.12) is None


def test_a_short_fast_amount_stays_typing() -> None:
    assert feed(BurstDetector(), "50", gap=0.001) is None


def test_a_pause_mid_burst_starts_over() -> None:
    detector = BurstDetector()
    for i, char in enumerate("123"):
        detector.feed(char, char, i * 0.005)
    for i, char in enumerate("8712345678906"):
        detector.feed(char, char, 1.0 + i * 0.005)
    assert detector.feed(None, "enter", 1.0 + 13 * 0.005) == "8712345678906"


async def test_a_burst_on_the_result_screen_starts_the_next_sale() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*CODES[0], "enter")
        await wait_for(pilot, lambda: app.view.synced and bool(app.view.lines))
        await pilot.press("f10", "enter")  # cash, exact
        await wait_for(pilot, lambda: app.view.phase is Phase.DONE)
        for char in CODES[1]:  # a wedge scanner: all keys at once
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: [line.sku for line in app.view.lines] == [CODES[1]])
        assert app.view.phase is Phase.SCANNING


async def test_two_codes_in_one_burst_into_the_entry_are_two_lines() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for code in CODES[:2]:  # queued before the first Enter is handled
            for char in code:
                app.post_message(events.Key(char, char))
            app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: app.view.synced and len(app.view.lines) == 2)
        assert [line.sku for line in app.view.lines] == CODES[:2] and app.view.error is None


async def test_a_pasted_list_of_codes_enters_each() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#entry").post_message(events.Paste("\n".join(CODES[:3]) + "\n"))
        await wait_for(pilot, lambda: app.view.synced and len(app.view.lines) == 3)
        assert app.screen.query_one("#entry", Input).value == ""  # no line left behind


def count_paints(app: TillApp, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the cart's row count at each paint of the screen."""
    rows: list[int] = []
    display: Callable[..., None] = app._display

    def counting(*args: object) -> None:
        rows.append(app.screen.query_one(Cart).row_count)
        display(*args)

    monkeypatch.setattr(app, "_display", counting)
    return rows


async def test_a_burst_is_painted_once_with_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terminal's reader thread hands a burst over a few keys at a time. Its first
    keys must not be painted alone: the line would wait for Textual's next frame."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await settled(pilot, app)
        paints = count_paints(app, monkeypatch)
        code = CODES[1]
        for char in code[:4]:
            app.post_message(events.Key(char, char))
        await pilot.pause()  # Textual paints what is dirty here
        assert paints == []
        for char in code[4:]:
            app.post_message(events.Key(char, char))
        app.post_message(events.Key("enter", "\r"))
        await wait_for(pilot, lambda: bool(paints))
        assert paints[0] == 2


async def test_typing_is_painted_once_the_keys_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        paints = count_paints(app, monkeypatch)
        await pilot.press("1", "2")
        await wait_for(pilot, lambda: bool(paints), seconds=1)
        assert "12" in app.screen.query_one("#entry", Input).render_line(0).text


async def test_a_burst_typed_as_the_till_starts_loses_no_key() -> None:
    app = make_app()
    skus: list[str] = []

    async def scanner(pilot: Pilot[None]) -> None:  # keys from the moment the app is ready
        await pilot.press(*CODES[0], "enter")
        await wait_for(pilot, lambda: app.view.synced and bool(app.view.lines))
        skus.extend(line.sku for line in app.view.lines)
        app.exit()

    await app.run_async(headless=True, size=(80, 24), auto_pilot=scanner)
    assert skus == [CODES[0]] and app.view.error is None
