"""What the cashier types in the entry field, parsed."""

from __future__ import annotations

import pytest

from tui_pos.app.entry import MAX_DIGITS, Entry, parse_entry


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("8712345678906", Entry("8712345678906")),
        (" 3*8712345678906 ", Entry("8712345678906", 3)),
        ("2 * ABC-12", Entry("ABC-12", 2)),
        ("12X", Entry("12X")),  # a code that happens to end in X
        ("12X34", Entry("12X34")),  # only * multiplies: a code with an X in it
        ("2x8712345678906", Entry("2x8712345678906")),
        ("2 x ABC-12", None),
        ("3*", None),  # a count, the code still to come
        ("3 *", None),
        # every count goes to the engine, which refuses one outside 1 to 999 in words
        ("0*8712345678906", Entry("8712345678906", 0)),
        ("1000*8712345678906", Entry("8712345678906", 1000)),
        ("0000003*8712345678906", Entry("8712345678906", 3)),
        # too long to read: one beyond any the engine takes (int() never sees it)
        ("1234567*8712345678906", Entry("8712345678906", 10**MAX_DIGITS)),
        ("9" * 5000 + "*8712345678906", Entry("8712345678906", 10**MAX_DIGITS)),
        ("", None),
        ("two words", None),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else None,
)
def test_entries(text: str, entry: Entry | None) -> None:
    assert parse_entry(text) == entry
