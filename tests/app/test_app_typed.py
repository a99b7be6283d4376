"""Numbers as cashiers type them: ASCII digits only, bounded, in every field. Any Unicode
at all (``²`` is a plain key on a Belgian AZERTY keyboard) is taken or refused in
words, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from tests.support.appkit import CODES, fast_simulator, make_app, scan, screen_text
from tests.support.waiting import wait_for
from tui_pos.app.entry import MAX_DIGITS, Entry, parse_count, parse_entry
from tui_pos.app.screens.cash import CashScreen
from tui_pos.app.screens.prompts import QuantityPrompt
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.screens.tender import TenderScreen
from tui_pos.money import parse_amount

DIGITS = "0123456789"
typed = st.one_of(
    st.text(),  # all of Unicode: superscripts, Arabic-Indic digits, controls, emoji
    st.text(st.sampled_from([*DIGITS, "²", "³", "٣", "๕", "*", ",", ".", " "]), max_size=12),
    st.text(st.sampled_from(DIGITS), min_size=4_300, max_size=4_500),  # int()'s limit
    st.builds(lambda n, code: f"{'9' * n}*{code}", st.integers(1, 5_000), st.sampled_from(CODES)),
)


@given(typed)
@settings(max_examples=400)
def test_the_parsers_take_any_text(text: str) -> None:
    count = parse_count(text, 999)
    assert count is None or (0 <= count <= 999 and text.strip().isascii())
    amount = parse_amount(text)
    assert amount is None or (0 <= amount < 10**8 and text.strip().isascii())
    entry = parse_entry(text)
    assert entry is None or 0 <= entry.quantity <= 10**MAX_DIGITS  # the engine says 1 to 999


@pytest.mark.parametrize("text", ["²", "٣", "1²", "\uff11", "4" * 4_400, "-1", "1000", ""])
def test_a_count_is_ascii_digits_within_bounds(text: str) -> None:
    assert parse_count(text, 999) is None


def test_a_pasted_count_beyond_int_limits_goes_to_the_engine_unread() -> None:
    assert parse_entry("4" * 4_400 + "*" + CODES[0]) == Entry(CODES[0], 10**MAX_DIGITS)


async def test_superscript_two_in_the_quantity_field_is_refused_in_words() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, QuantityPrompt))
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press("²", "enter")
        await wait_for(pilot, lambda: "in digits" in screen_text(app))
        assert isinstance(app.screen, QuantityPrompt)
        assert app.view.lines[0].quantity == 1


async def test_a_pasted_huge_count_is_refused_in_words() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SaleScreen)
        app.screen.enter("4" * 4_400 + "*" + CODES[0])
        said = "a count is from 1 to 999"
        await wait_for(pilot, lambda: said in " ".join(screen_text(app).split()))
        assert not app.view.lines


async def test_letters_in_the_cash_field_are_refused_visibly() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
        await pilot.press("a", "b", "c", "enter")
        await wait_for(pilot, lambda: "Type the amount handed over" in screen_text(app))
        assert isinstance(app.screen, CashScreen)
        assert app.screen.query_one(Input).value == "abc"  # nothing vanished
        assert not app.view.payments


@given(st.one_of(st.text(max_size=30), st.sampled_from(["²", "abc", "9" * 4_400, "1,2,3"])))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_in_every_field_is_taken_or_refused(text: str) -> None:
    """The entry, the quantity, the cash and the part amount, each given ``text`` and
    Enter: the till stays up, and what is recorded is only what the text says."""

    async def run() -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await scan(pilot, app, CODES[0])
            app.screen.query_one(Input).value = text
            await pilot.press("enter")
            # A code Afosto refuses leaves the cart: settle, then F2 on the first line.
            await wait_for(pilot, lambda: app.view.synced and not app.view.busy, 15)
            await pilot.press("up")
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, QuantityPrompt), 15)
            app.screen.query_one(Input).value = text
            await pilot.press("enter", "escape")
            await wait_for(pilot, lambda: isinstance(app.screen, SaleScreen))
            await wait_for(pilot, lambda: app.view.synced and not app.view.busy)
            await pilot.press("f8")
            await wait_for(pilot, lambda: isinstance(app.screen, TenderScreen))
            app.screen.query_one(Input).value = text
            await pilot.press("f10")  # a part in cash: refused unless it is an amount
            await pilot.pause()
            if isinstance(app.screen, TenderScreen):
                await pilot.press("escape")
            await pilot.press("f10")
            await wait_for(pilot, lambda: isinstance(app.screen, CashScreen))
            app.screen.query_one(Input).value = text
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            tendered = parse_amount(text) if text.strip() else None
            if tendered is None and text.strip():
                assert not [p for p in app.view.payments if p.is_paid]

    import asyncio

    asyncio.run(run())


async def test_a_code_with_brackets_in_the_quantity_prompt_is_text() -> None:
    sim = fast_simulator()
    sim.latency = 2.0  # the line stays unconfirmed: the prompt shows the code
    app = make_app(sim)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.enter("x[/b]")  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: bool(app.view.lines))
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, QuantityPrompt))
        await pilot.pause()
        assert "Quantity for x[/b]" in screen_text(app)


async def test_the_part_amount_is_prefilled_as_typed_in_english_too() -> None:
    app = make_app(locale="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0], CODES[1])
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, TenderScreen))
        assert parse_amount(app.screen.query_one(Input).value) == app.view.due
