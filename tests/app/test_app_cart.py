"""The cart widget on its own: rows, the selected line, scrolling, and repaint scope."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen

from tui_pos.app.widgets.cart import HEADER_TEXT, Cart, row_text
from tui_pos.checkout import Line

VIEW = 10
"""Rows the cart shows: 13 lines of height, less the header and the border."""


class CartApp(App[None]):
    CSS = "Cart { height: 13; border: solid white; }"

    def compose(self) -> ComposeResult:
        yield Cart("nl")


def lines(count: int, *, confirmed: bool = True) -> tuple[Line, ...]:
    return tuple(
        Line(f"sku{i:03d}", 1, 1 if confirmed else 0, f"Item {i}", 150) for i in range(count)
    )


def shown(app: CartApp) -> list[str]:
    """The cart's text as painted, a line each, the border included."""
    cart = app.query_one(Cart)
    strips = app.screen._compositor.render_strips()
    region = cart.region
    return [strip.text[region.x : region.right] for strip in strips[region.y : region.bottom]]


async def add(
    app: CartApp, pilot: Pilot[None], current: tuple[Line, ...], *more: Line
) -> tuple[Line, ...]:
    current = current + more
    app.query_one(Cart).show(current, set())
    await pilot.pause()
    return current


async def test_rows_show_label_quantity_price_and_total() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        cart.show((Line("sku1", 2, 2, "Koffie", 250), Line("871", 1)), {"sku1"})
        await pilot.pause()
        text = shown(app)
        assert text[1].split() == ["│", "Item", "Qty", "Price", "Total", "│"]
        assert "Koffie (invoice later)" in text[2] and "2,50" in text[2] and "5,00" in text[2]
        assert "871 ..." in text[3]
        assert cart.selected_sku == "871"  # the newest line is selected


async def test_newest_line_below_view_scrolls_half_a_view_and_says_so() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        current = await add(app, pilot, (), *lines(VIEW))
        assert "Item 0 " in shown(app)[2] and cart.border_subtitle == ""
        current = await add(app, pilot, current, Line("new", 1, 0))
        assert cart.selected_sku == "new"
        top = VIEW - (VIEW - VIEW // 2)  # half a view free below it
        assert f"Item {top} " in shown(app)[2]
        assert any("new ..." in row for row in shown(app))
        assert f"{top} more above" in str(cart.border_subtitle)


async def test_cursor_moves_scroll_the_view_only_when_needed() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        await add(app, pilot, (), *lines(30))
        top = shown(app)[2]
        cart.move_cursor(cart.cursor_row - 1)
        await pilot.pause()
        assert shown(app)[2] == top
        cart.move_cursor(0)
        await pilot.pause()
        assert "Item 0 " in shown(app)[2]
        assert "more below" in str(cart.border_subtitle)
        cart.move_cursor(99)  # past the end: the last line
        assert cart.selected_sku == "sku029"


async def test_removed_lines_close_up_and_the_cursor_stays_in_the_cart() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        current = await add(app, pilot, (), *lines(3))
        cart.show(current[:1] + current[2:], set())
        await pilot.pause()
        text = shown(app)
        assert "Item 0" in text[2] and "Item 2" in text[3] and "Item" not in text[4]
        assert cart.selected_sku == "sku002"
        cart.show((), set())
        await pilot.pause()
        assert cart.selected_sku is None and cart.cursor_row == -1


@pytest.mark.parametrize("count", [5, 40])
async def test_a_scan_never_lays_the_screen_out(
    count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a line, even one that scrolls the cart, repaints: it never re-lays out the
    screen (which on a till costs several frames)."""
    layouts = 0
    real = Screen._refresh_layout

    def counting(self: Screen[object], *args: object, **kwargs: object) -> None:
        nonlocal layouts
        layouts += 1
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        current = await add(app, pilot, (), *lines(count))
        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        for i in range(VIEW):
            current = await add(app, pilot, current, Line(f"more{i}", 1, 0))
        assert layouts == 0
        assert "more9 ..." in "".join(shown(app))


def test_columns_line_up_in_terminal_cells_whatever_the_name() -> None:
    """Wide characters take two cells: the columns after a name with them stay put."""
    for name in ("Thee", "Groene thee 緑茶 " * 4, "x" * 60, ""):
        row = row_text((name, "12", "€ 1,99", "€ 23,88"))
        assert cell_len(row) == cell_len(HEADER_TEXT)
        assert row.endswith(" € 23,88 ") and cell_len(row.split("€")[0]) == 52
