"""The cart's rows as text: the columns for a width, and names fitted to them."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui_pos.app.widgets.cart import (
    HEADER_CELLS,
    MIN_ITEM,
    Cells,
    column_widths,
    fit_item,
    row_text,
)


@pytest.mark.parametrize("width", [51, 58, 78, 118, 200])
def test_the_item_column_takes_the_width_the_numbers_leave(width: int) -> None:
    widths = column_widths(width)
    assert widths[0] == width - 35 >= MIN_ITEM and widths[1:] == (4, 11, 12)
    assert cell_len(row_text(HEADER_CELLS, widths)) == width


@pytest.mark.parametrize("width", [26, 40, 50])
def test_too_narrow_for_every_column_the_price_goes_and_the_total_stays(width: int) -> None:
    widths = column_widths(width)
    assert widths[2] == 0 and widths[0] >= 1
    row = row_text(Cells("Koffie", "", "2", "€ 2,50", "€ 5,00"), widths)
    assert cell_len(row) == width and row.endswith("    2        € 5,00 ")
    assert row_text(HEADER_CELLS, widths).split() == ["Item", "Qty", "Total"]


def test_columns_line_up_in_terminal_cells_whatever_the_name() -> None:
    """Wide characters take two cells: the columns after a name with them stay put."""
    widths = column_widths(78)
    for name in ("Thee", "Groene thee 緑茶 " * 4, "x" * 60, "緑" * 40, ""):
        row = row_text(Cells(name, " ...", "12", "€ 1,99", "€ 23,88"), widths)
        assert cell_len(row) == 78
        assert row.endswith(" € 23,88 ") and cell_len(row.split("€")[0]) == 57


@pytest.mark.parametrize(
    ("name", "marker", "width", "fitted"),
    [
        ("Koffie", " (invoice later)", 30, "Koffie (invoice later)"),
        (
            "Very long product name that goes on",
            " (invoice later)",
            30,
            "Very long pro… (invoice later)",
        ),
        ("Very long product name that goes on", " ...", 20, "Very long produ… ..."),
        ("Very long product name", "", 10, "Very long…"),
        ("緑茶緑茶緑茶", " ...", 10, "緑茶… ..."),
        ("Koffie", " (invoice later)", 8, "Koffie…"),
        ("Koffie", "", 1, "…"),
    ],
)
def test_a_long_name_is_cut_with_an_ellipsis_and_its_marker_kept(
    name: str, marker: str, width: int, fitted: str
) -> None:
    text = fit_item(name, marker, width)
    assert text == fitted and cell_len(text) <= width
