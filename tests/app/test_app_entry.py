"""What the cashier types in the entry field, parsed."""

from __future__ import annotations

import pytest

from tui_pos.app.entry import Entry, parse_entry


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
        ("0*8712345678906", None),
        ("", None),
        ("two words", None),
    ],
)
def test_entries(text: str, entry: Entry | None) -> None:
    assert parse_entry(text) == entry
