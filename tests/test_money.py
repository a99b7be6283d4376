"""Money shown per locale and parsed as cashiers type it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_pos.money import format_money, parse_amount


@pytest.mark.parametrize(
    ("cents", "nl", "en"),
    [
        (14994, "€ 149,94", "€149.94"),
        (5, "€ 0,05", "€0.05"),
        (123456789, "€ 1.234.567,89", "€1,234,567.89"),
        (-250, "€ -2,50", "-€2.50"),
    ],
)
def test_format(cents: int, nl: str, en: str) -> None:
    assert format_money(cents, "nl") == nl
    assert format_money(cents, "en") == en


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("50", 5000), ("50,25", 5025), ("50.25", 5025), ("50,5", 5050), (" 7 ", 700), ("0,01", 1)],
)
def test_parse_what_cashiers_type(typed: str, cents: int) -> None:
    assert parse_amount(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "1,2,3", "1.234,56", "5.123", "-5", "1e3", "\u0665"])
def test_parse_refuses_the_rest(typed: str) -> None:
    assert parse_amount(typed) is None


@given(st.integers(min_value=0, max_value=99_999_999))
def test_what_is_shown_in_en_reads_back(cents: int) -> None:
    shown = format_money(cents, "en").removeprefix("€").replace(",", "")
    assert parse_amount(shown) == cents
