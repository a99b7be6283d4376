"""The cart: one row per line, updated in place so a long sale stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.widgets import DataTable

from tui_pos.checkout import Line
from tui_pos.money import Locale, format_money

COLUMNS = (("Item", "item", 38), ("Qty", "qty", 4), ("Price", "price", 11), ("Total", "total", 12))
"""Label, key and width: fixed, so a new line never re-lays the table out."""


WIDTHS = {key: width for _, key, width in COLUMNS}


def _cell(column: str, text: str) -> Text:
    """Numbers right-aligned, the item left (never wrapped, which would strip padding)."""
    return Text(text if column == "item" else text.rjust(WIDTHS[column]), no_wrap=True)


class Cart(DataTable[Text]):
    """The sale's lines; a line Afosto has not confirmed yet shows its code and a dot."""

    def __init__(self, locale: Locale, **kwargs: object) -> None:
        self._one_row = False  # before DataTable's __init__, which refreshes
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.locale = locale
        self._shown: dict[str, tuple[str, ...]] = {}
        self._source: dict[str, tuple[Line, bool]] = {}
        """The line and held flag each row was drawn from: an unchanged line is skipped."""

    # Repaint scope: a scan should repaint a row or two, not the whole table.

    @property
    def _header(self) -> int:
        return self.header_height if self.show_header else 0

    @property
    def _body(self) -> int:
        """How many lines the view shows."""
        return self.scrollable_content_region.height - self._header

    def validate_virtual_size(self, size: Size) -> Size:
        """The table's height grows half a view at a time, never less than the view.

        A new size lays the screen out again and repaints the whole table, its border
        included; at the same size a new line repaints a row or two. So while the lines
        fit, and after a scroll for the half view below the newest line, the size stays."""
        body = self._body
        rows = size.height - self._header
        if body <= 0:
            return size
        if rows <= body:
            return Size(size.width, self._header + body)
        step = max(1, body // 2)
        return Size(size.width, self._header + body + -(-(rows - body) // step) * step)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.virtual_size.width, self._header + self.row_count)

    def _show_newest(self) -> None:
        """Select the newest line. When it is below the view, scroll at once so that it
        shows with half a view free under it: the next lines then need no scrolling (a
        scroll repaints every row), and line and scroll are painted in one frame."""
        newest = self.row_count - 1
        self.move_cursor(row=newest, scroll=False)
        body = self._body
        top = round(self.scroll_y)
        if body <= 0 or top <= newest < top + body:
            return
        self.virtual_size = Size(self.virtual_size.width, self._header + self.row_count)
        self.scroll_to(y=max(0, newest - (body - body // 2)), animate=False, immediate=True)

    def refresh(self, *regions: Any, **kwargs: Any) -> Any:
        if self._one_row and not regions and not kwargs.get("layout"):
            return self  # update_cell repaints the table; _changed repaints the row instead
        return super().refresh(*regions, **kwargs)

    @contextmanager
    def _changed(self, sku: str) -> Iterator[None]:
        """Change cells of the row ``sku``, repainting that row only."""
        self._one_row = True
        try:
            yield
        finally:
            self._one_row = False
        self.refresh_row(self.get_row_index(sku))

    def on_mount(self) -> None:
        for label, key, width in COLUMNS:
            self.add_column(_cell(key, label), key=key, width=width)

    def cells(self, line: Line, held: bool) -> tuple[str, ...]:
        money = self.locale
        label = line.label if line.label else f"{line.sku} ..."
        if line.pending and line.label:
            label = f"{label} ..."
        if held:
            label = f"{label} (invoice later)"
        price = format_money(line.unit_price, money) if line.unit_price is not None else ""
        total = format_money(line.total, money) if line.total is not None else ""
        return (label, str(line.quantity), price, total)

    def show(self, lines: tuple[Line, ...], held: set[str]) -> None:
        """Bring the rows in line with the sale, touching only rows that changed (the
        engine hands out the same line object for a line that did not change)."""
        wanted = {line.sku for line in lines}
        added = False
        for sku in [sku for sku in self._shown if sku not in wanted]:
            self.remove_row(sku)
            del self._shown[sku]
            del self._source[sku]
        for line in lines:
            sku, is_held = line.sku, line.sku in held
            source = self._source.get(sku)
            if source is not None and source[0] is line and source[1] == is_held:
                continue
            self._source[sku] = (line, is_held)
            cells = self.cells(line, is_held)
            shown = self._shown.get(sku)
            if shown is None:
                keys = [key for _, key, _ in COLUMNS]
                self.add_row(*map(_cell, keys, cells), key=sku)
                added = True
            elif shown != cells:
                with self._changed(sku):
                    for (_, column, _), old, new in zip(COLUMNS, shown, cells, strict=True):
                        if old != new:
                            self.update_cell(sku, column, _cell(column, new))
            self._shown[sku] = cells
        if added:
            self._show_newest()

    @property
    def selected_sku(self) -> str | None:
        if not self._shown or self.cursor_row < 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return row_key.value
