"""The cart: a header and one row per line, drawn a line at a time.

Not a ``DataTable``: a table scrolls by changing its virtual size, and Textual then lays
the whole screen out again (some 8 ms here, 40 to 80 ms on a till) on the scan that
scrolls. This widget has the size the layout gives it and draws the rows that fit from
a first row of its own, so a scan repaints a row or two and a scroll repaints the cart,
never more, however long the sale.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui_pos.checkout import Line
from tui_pos.money import Locale, format_money
from tui_pos.system.redact import redact

NUMBERS = (("Qty", 4), ("Price", 11), ("Total", 12))
"""Label and width of each number column, right-aligned after the item."""

MIN_ITEM = 16
"""The item column's least width; narrower than that, the Price column goes first."""

PADDING = 2
"""A space either side of each cell."""

ELLIPSIS = "…"
"""Ends a shortened item name (the console font has it)."""

HEADER = 1
"""Lines above the first row."""


class Cells(NamedTuple):
    """One row's text, column by column; the marker follows the name, and stays whole
    when the name is shortened."""

    name: str
    marker: str
    quantity: str
    price: str
    total: str


HEADER_CELLS = Cells("Item", "", *(label for label, _ in NUMBERS))
"""The header row's text."""


def column_widths(width: int) -> tuple[int, int, int, int]:
    """The Item, Qty, Price and Total widths for ``width`` cells: the item takes what the
    numbers leave. Too narrow for the item's least width, the Price column is dropped
    (width 0) so that the Total stays in view, and the item shrinks to a cell at least."""
    (_, qty), (_, price), (_, total) = NUMBERS
    item = width - qty - price - total - 4 * PADDING
    if item >= MIN_ITEM:
        return item, qty, price, total
    return max(1, width - qty - total - 3 * PADDING), qty, 0, total


def fit_item(name: str, marker: str, width: int) -> str:
    """The name and its marker in at most ``width`` cells (one at least): a long name is
    cut and ends in an ellipsis, the marker kept after it (unless the marker alone is too
    wide)."""
    text = name + marker
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ELLIPSIS) - cell_len(marker)
    if room < 0:
        return set_cell_size(text, width - cell_len(ELLIPSIS)).rstrip() + ELLIPSIS
    return set_cell_size(name, room).rstrip() + ELLIPSIS + marker


def row_text(cells: Cells, widths: tuple[int, ...]) -> str:
    """One row as the console shows it, in the columns ``widths`` (see
    :func:`column_widths`; a column 0 wide is left out): each cell padded by a space on
    either side and fitted to its column in terminal cells, never wrapped."""
    item = fit_item(cells.name, cells.marker, widths[0])
    parts = [f" {item}{' ' * (widths[0] - cell_len(item))} "]
    for width, cell in zip(widths[1:], cells[2:], strict=True):
        if width:
            fitted = set_cell_size(cell, min(cell_len(cell), width))
            parts.append(f" {' ' * (width - cell_len(fitted))}{fitted} ")
    return "".join(parts)


class Cart(Widget, can_focus=False):
    """The sale's lines; a line Afosto has not confirmed yet shows its code and dots.

    The selected line (the cursor) is what F2, F3 and F4 act on; the newest line is
    selected when it is added. The border's subtitle says how many lines are out of
    view above and below."""

    COMPONENT_CLASSES = {"cart--header", "cart--cursor"}

    def __init__(self, locale: Locale, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._locale = locale
        self._skus: list[str] = []
        self._cells: dict[str, Cells] = {}
        self._source: dict[str, tuple[Line, bool]] = {}
        """The line and held flag each row was drawn from: an unchanged line is skipped."""
        self._top = 0
        self._cursor = -1

    # --- what the screen asks ---

    @property
    def row_count(self) -> int:
        return len(self._skus)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def selected_sku(self) -> str | None:
        return self._skus[self._cursor] if 0 <= self._cursor < len(self._skus) else None

    @property
    def locale(self) -> Locale:
        return self._locale

    @locale.setter
    def locale(self, locale: Locale) -> None:
        if locale != self._locale:
            self._locale = locale
            self._source.clear()  # every row is drawn again, in the new format

    def cells(self, line: Line, held: bool) -> Cells:
        money = self._locale
        name = line.label if line.label else line.sku
        marker = " ..." if line.pending or not line.label else ""
        if held:
            marker += " (invoice later)"
        price = format_money(line.unit_price, money) if line.unit_price is not None else ""
        total = format_money(line.total, money) if line.total is not None else ""
        return Cells(redact(name), marker, str(line.quantity), price, total)

    def show(self, lines: tuple[Line, ...], held: set[str]) -> None:
        """Bring the rows in line with the sale, repainting only rows that changed (the
        engine hands out the same line object for a line that did not change)."""
        skus = [line.sku for line in lines]
        added = len(skus) > len(self._skus) and skus[: len(self._skus)] == self._skus
        if skus != self._skus:
            kept, before = set(skus), len(self._skus)
            for sku in [sku for sku in self._cells if sku not in kept]:
                del self._cells[sku], self._source[sku]
            first_moved = next(
                (i for i, (a, b) in enumerate(zip(skus, self._skus, strict=False)) if a != b),
                min(len(skus), len(self._skus)),
            )
            self._skus = skus
            self._refresh_rows(first_moved, max(len(skus), before) - first_moved)
        for index, line in enumerate(lines):
            is_held = line.sku in held
            source = self._source.get(line.sku)
            if source is not None and source[0] is line and source[1] == is_held:
                continue
            self._source[line.sku] = (line, is_held)
            cells = self.cells(line, is_held)
            if self._cells.get(line.sku) != cells:
                self._cells[line.sku] = cells
                self._refresh_rows(index)
        self.move_cursor(len(skus) - 1 if added else min(max(self._cursor, 0), len(skus) - 1))

    def move_cursor(self, row: int) -> None:
        """Select ``row``, scrolling just enough to show it (a new line at the bottom
        scrolls the cart a row)."""
        if not self._skus:
            self._cursor = -1
            self._show_from(0)
            return
        row = max(0, min(row, len(self._skus) - 1))
        if row != self._cursor:
            self._refresh_rows(self._cursor)
            self._refresh_rows(row)
            self._cursor = row
        body = self._body
        if row < self._top:
            self._show_from(row)
        elif body > 0 and row >= self._top + body:
            self._show_from(row - body + 1)
        else:
            self._show_from(self._top)  # a shorter cart scrolls back to fill the view

    # --- scrolling and drawing ---

    @property
    def _body(self) -> int:
        """How many rows the view shows."""
        return self.size.height - HEADER

    def _show_from(self, top: int) -> None:
        """Show rows from ``top`` on, never leaving rows free below the last line while
        lines are out of view above."""
        top = max(0, min(top, len(self._skus) - max(1, self._body)))
        if top != self._top:
            self._top = top
            self.refresh()
        self._say_out_of_view()

    def _say_out_of_view(self) -> None:
        above = self._top
        below = max(0, len(self._skus) - self._top - max(0, self._body))
        words = [f"{above} more above"] if above else []
        words += [f"{below} more below"] if below else []
        subtitle = ", ".join(words)
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle

    def _refresh_rows(self, first: int, count: int = 1) -> None:
        """Repaint rows ``first`` to ``first + count`` where they are in view."""
        start = max(first, self._top)
        end = min(first + count, self._top + max(0, self._body))
        if start < end:
            self.refresh(Region(0, HEADER + start - self._top, self.size.width, end - start))

    def on_resize(self, event: events.Resize) -> None:
        """Keep the cursor in view; Textual repaints every row, in the new columns (they
        are worked out from the width as each row is drawn)."""
        self.move_cursor(self._cursor)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        widths = column_widths(self.size.width)
        if y < HEADER:
            style = base + self.get_component_rich_style("cart--header")
            return self._strip(row_text(HEADER_CELLS, widths), style)
        row = self._top + y - HEADER
        if row >= len(self._skus):
            return Strip.blank(self.size.width, base)
        style = base
        if row == self._cursor:
            style = base + self.get_component_rich_style("cart--cursor")
        return self._strip(row_text(self._cells[self._skus[row]], widths), style)

    def _strip(self, text: str, style: Style) -> Strip:
        return Strip([Segment(text, style)]).adjust_cell_length(self.size.width, style)
