"""The cart: a header and one row per line, drawn a line at a time.

Not a ``DataTable``: a table scrolls by changing its virtual size, and Textual then lays
the whole screen out again (some 8 ms here, 40 to 80 ms on a till) on the scan that
scrolls. This widget has the size the layout gives it and draws the rows that fit from
a first row of its own, so a scan repaints a row or two and a scroll repaints the cart,
never more, however long the sale.
"""

from __future__ import annotations

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

COLUMNS = (("Item", 38), ("Qty", 4), ("Price", 11), ("Total", 12))
"""Label and width of each column; the item is left-aligned, the numbers right."""

HEADER = 1
"""Lines above the first row."""


def row_text(cells: tuple[str, ...]) -> str:
    """One row as the console shows it: each cell padded by a space on either side and
    fitted to its column in terminal cells (a long item name is cut, never wrapped)."""
    parts = []
    for index, ((_, width), cell) in enumerate(zip(COLUMNS, cells, strict=True)):
        fitted = set_cell_size(cell, min(cell_len(cell), width))
        padding = " " * (width - cell_len(fitted))
        parts.append(f" {fitted}{padding} " if index == 0 else f" {padding}{fitted} ")
    return "".join(parts)


HEADER_TEXT = row_text(tuple(label for label, _ in COLUMNS))


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
        self._cells: dict[str, tuple[str, ...]] = {}
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

    def cells(self, line: Line, held: bool) -> tuple[str, ...]:
        money = self._locale
        label = line.label if line.label else f"{line.sku} ..."
        if line.pending and line.label:
            label = f"{label} ..."
        if held:
            label = f"{label} (invoice later)"
        price = format_money(line.unit_price, money) if line.unit_price is not None else ""
        total = format_money(line.total, money) if line.total is not None else ""
        return (redact(label), str(line.quantity), price, total)

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
        if added:
            self._select_newest()
        else:
            self.move_cursor(min(max(self._cursor, 0), len(skus) - 1))

    def move_cursor(self, row: int) -> None:
        """Select ``row``, scrolling just enough to show it."""
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
            self._show_from(self._top)  # a shorter cart may leave rows free at the bottom

    def _select_newest(self) -> None:
        """Select the newest line. Below the view, it is shown with half a view free
        under it, so that the next lines need no scroll (a scroll repaints every row)."""
        newest = len(self._skus) - 1
        body = self._body
        if body > 0 and newest >= self._top + body:
            self._show_from(newest - (body - body // 2))
        self.move_cursor(newest)

    # --- scrolling and drawing ---

    @property
    def _body(self) -> int:
        """How many rows the view shows."""
        return self.size.height - HEADER

    def _show_from(self, top: int) -> None:
        """Show rows from ``top`` on; at most half a view is left free below the last."""
        body = max(0, self._body)
        top = max(0, min(top, len(self._skus) - 1 - (body - body // 2)))
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
        self.move_cursor(self._cursor)  # in view, and the subtitle counts for the new size

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y < HEADER:
            return self._strip(HEADER_TEXT, base + self.get_component_rich_style("cart--header"))
        row = self._top + y - HEADER
        if row >= len(self._skus):
            return Strip.blank(self.size.width, base)
        style = base
        if row == self._cursor:
            style = base + self.get_component_rich_style("cart--cursor")
        return self._strip(row_text(self._cells[self._skus[row]]), style)

    def _strip(self, text: str, style: Style) -> Strip:
        return Strip([Segment(text, style)]).adjust_cell_length(self.size.width, style)
