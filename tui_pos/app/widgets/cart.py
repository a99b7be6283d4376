"""The cart: one row per line, updated in place so a long sale stays fast."""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
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
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.locale = locale
        self._shown: dict[str, tuple[str, ...]] = {}

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
        """Bring the rows in line with the sale, touching only rows that changed."""
        wanted = {line.sku: self.cells(line, line.sku in held) for line in lines}
        for sku in [sku for sku in self._shown if sku not in wanted]:
            self.remove_row(sku)
            del self._shown[sku]
        for sku, cells in wanted.items():
            shown = self._shown.get(sku)
            if shown is None:
                keys = [key for _, key, _ in COLUMNS]
                self.add_row(*map(_cell, keys, cells), key=sku)
                self.move_cursor(row=self.row_count - 1)
            elif shown != cells:
                for (_, column, _), old, new in zip(COLUMNS, shown, cells, strict=True):
                    if old != new:
                        self.update_cell(sku, column, _cell(column, new))
            self._shown[sku] = cells

    @property
    def selected_sku(self) -> str | None:
        if not self._shown or self.cursor_row < 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0))
        return row_key.value
