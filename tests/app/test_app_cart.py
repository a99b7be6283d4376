"""The cart widget: rows, columns, the selected line, scrolling, and repaint scope; on
its own, and in the till at 80x24."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen

from tests.support.appkit import CODES, make_app, scan
from tests.support.waiting import wait_for
from tui_pos.app import TillApp
from tui_pos.app.widgets.cart import HEADER, Cart
from tui_pos.checkout import Line

VIEW = 10
"""Rows the cart shows: 13 lines of height, less the header and the border."""

TILL_VIEW = 12
"""Rows the till's cart shows at 80x24."""


class CartApp(App[None]):
    CSS = "Cart { height: 13; border: solid white; }"

    def compose(self) -> ComposeResult:
        yield Cart("nl")


def lines(count: int, *, confirmed: bool = True) -> tuple[Line, ...]:
    return tuple(
        Line(f"sku{i:03d}", 1, 1 if confirmed else 0, f"Item {i}", 150) for i in range(count)
    )


def shown(app: App[Any]) -> list[str]:
    """The cart's text as painted, a line each, the border included."""
    cart = app.screen.query_one(Cart)
    strips = app.screen._compositor.render_strips()
    region = cart.region
    return [strip.text[region.x : region.right] for strip in strips[region.y : region.bottom]]


def body(app: App[Any]) -> list[str]:
    """The cart's rows as painted, inside the border and below the header."""
    return [row[1:-1] for row in shown(app)[2:-1]]


async def add(
    app: CartApp, pilot: Pilot[None], current: tuple[Line, ...], *more: Line
) -> tuple[Line, ...]:
    current = current + more
    app.query_one(Cart).show(current, set())
    await pilot.pause()
    return current


def assert_columns_span(app: App[Any], total: str) -> None:
    """The header and first row fill the cart's width, each number right-aligned under
    its label, the Total last."""
    width = app.screen.query_one(Cart).size.width
    header, row = (line[1:-1] for line in shown(app)[1:3])
    assert len(header) == len(row) == width
    assert header.startswith(" Item ") and header.endswith(" Total ")
    assert row.endswith(f" {total} ")
    for label, value in (("Qty", "1"), ("Price", total), ("Total", total)):
        end = header.index(label) + len(label)
        assert row[:end].endswith(f" {value}") and row[end] == " "


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


@pytest.mark.parametrize("width", [80, 120, 62])
async def test_the_columns_span_the_cart_at_any_width(width: int) -> None:
    """The item column takes what the numbers leave: no empty columns at the right."""
    app = CartApp()
    async with app.run_test(size=(width, 15)) as pilot:
        await add(app, pilot, (), *lines(2))
        assert_columns_span(app, "€ 1,50")


async def test_a_resize_redraws_the_rows_in_the_new_columns() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        await add(app, pilot, (), *lines(2))
        cart = app.query_one(Cart)
        for width in (120, 62, 80):
            await pilot.resize_terminal(width, 15)
            await wait_for(pilot, lambda: cart.size.width == width - 2)  # noqa: B023
            await pilot.pause()
            assert_columns_span(app, "€ 1,50")


async def test_a_cart_too_narrow_for_every_column_keeps_the_total() -> None:
    """Narrower than the till ever is, the Price column goes, never the Total."""
    app = CartApp()
    async with app.run_test(size=(46, 15)) as pilot:
        await add(app, pilot, (), Line("sku1", 2, 2, "Koffie", 250))
        header, row = (line[1:-1] for line in shown(app)[1:3])
        assert header.split() == ["Item", "Qty", "Total"] and header.endswith(" Total ")
        assert row.startswith(" Koffie ") and row.endswith(" € 5,00 ")


async def test_a_long_label_is_shortened_and_keeps_its_marker() -> None:
    """Only the product's name is cut, with an ellipsis: "(invoice later)" and the dots
    of a line not confirmed yet stay in view."""
    name = "Very long product name that goes on and on"
    app = CartApp()
    async with app.run_test(size=(67, 15)) as pilot:  # an item column 30 cells wide
        cart = app.query_one(Cart)
        held, pending = Line("held", 1, 1, name, 150), Line("new", 1, 0, name, 150)
        cart.show((held, pending), {"held"})
        await pilot.pause()
        rows = body(app)
        assert rows[0].startswith(" Very long pro… (invoice later) ")
        assert rows[1].startswith(" Very long product name th… ... ")
        assert rows[0].endswith(" € 1,50 ") and rows[1].endswith(" € 1,50 ")
        await pilot.resize_terminal(120, 15)  # room for it all again
        await wait_for(pilot, lambda: cart.size.width == 118)
        await pilot.pause()
        assert f" {name} (invoice later) " in body(app)[0]


async def test_each_new_line_below_the_view_scrolls_the_cart_one_row() -> None:
    """The newest line is on the bottom row: the cart never jumps, and never shows empty
    rows while lines are out of view above."""
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        current = await add(app, pilot, (), *lines(VIEW))
        assert "Item 0 " in body(app)[0] and cart.border_subtitle == ""
        for count in range(VIEW + 1, VIEW + 5):
            current = await add(app, pilot, current, Line(f"new{count}", 1, 0))
            rows = body(app)
            assert cart.selected_sku == f"new{count}"
            assert f"new{count} ..." in rows[-1] and all(row.strip() for row in rows)
            assert cart.border_subtitle == f"{count - VIEW} more above"


async def test_cursor_moves_scroll_the_view_only_when_needed() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        await add(app, pilot, (), *lines(30))
        assert "Item 29 " in body(app)[-1] and cart.border_subtitle == "20 more above"
        top = shown(app)[2]
        cart.move_cursor(cart.cursor_row - 1)
        await pilot.pause()
        assert shown(app)[2] == top
        cart.move_cursor(0)
        await pilot.pause()
        assert "Item 0 " in shown(app)[2]
        assert cart.border_subtitle == "20 more below"
        cart.move_cursor(VIEW)  # just below the view: a row down
        await pilot.pause()
        assert "Item 1 " in body(app)[0] and f"Item {VIEW} " in body(app)[-1]
        assert cart.border_subtitle == "1 more above, 19 more below"
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


async def test_a_shorter_cart_scrolls_back_and_leaves_no_empty_rows() -> None:
    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        cart = app.query_one(Cart)
        current = await add(app, pilot, (), *lines(VIEW + 5))
        cart.show(current[:3] + current[6:], set())  # three lines voided
        await pilot.pause()
        rows = body(app)
        assert "Item 2 " in rows[0] and f"Item {VIEW + 4} " in rows[-1]
        assert cart.border_subtitle == "2 more above"


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


async def test_a_scan_repaints_the_rows_it_changes_and_a_scroll_the_cart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unchanged line is not drawn again; a line added in view repaints its row and
    the row the cursor left; one added below the view repaints the cart."""
    repaints: list[tuple[Region, ...]] = []
    real = Cart.refresh

    def counting(self: Cart, *regions: Region, **kwargs: bool) -> Cart:
        repaints.append(regions)
        return real(self, *regions, **kwargs)

    app = CartApp()
    async with app.run_test(size=(80, 15)) as pilot:
        current = await add(app, pilot, (), *lines(VIEW - 1))
        monkeypatch.setattr(Cart, "refresh", counting)
        await add(app, pilot, current)  # the same lines
        assert repaints == []
        current = await add(app, pilot, current, Line("last", 1, 0))
        rows = {y for regions in repaints for region in regions for y in range(*region.line_span)}
        assert all(repaints) and rows == {HEADER + VIEW - 2, HEADER + VIEW - 1}
        repaints.clear()
        await add(app, pilot, current, Line("below", 1, 0))
        assert () in repaints  # the whole cart


def till_rows(app: TillApp) -> list[str]:
    """The labels in the till's cart rows, top to bottom."""
    return [row.split("  ")[0].strip() for row in body(app)]


async def till_scan(pilot: Pilot[None], app: TillApp, code: str) -> None:
    """A code as the scanner reads it, until Afosto has confirmed the cart."""
    count = len(app.view.lines) + 1
    app.scan(code)
    await wait_for(
        pilot, lambda: app.view.synced and not app.view.busy and len(app.view.lines) == count
    )
    await pilot.pause()


async def test_the_till_cart_scrolls_a_row_per_line_and_back_after_a_void() -> None:
    """At 80x24 the 13th line scrolls the cart a row (not half a view), the 20th too;
    voiding the newest of 20 lines scrolls back a row: no empty rows while lines are out
    of view above."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        cart = app.screen.query_one(Cart)
        for code in CODES[1:20]:
            await till_scan(pilot, app, code)
            count = len(app.view.lines)
            top = max(0, count - TILL_VIEW)
            labels = [line.label for line in app.view.lines]
            assert till_rows(app)[: count - top] == labels[top:]
            assert cart.border_subtitle == (f"{top} more above" if top else "")
        await pilot.press("f4")  # the newest line is selected
        await wait_for(pilot, lambda: app.view.synced and len(app.view.lines) == 19)
        await pilot.pause()
        labels = [line.label for line in app.view.lines]
        assert till_rows(app) == labels[19 - TILL_VIEW :]
        assert cart.border_subtitle == f"{19 - TILL_VIEW} more above"
