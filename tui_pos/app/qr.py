"""A QR code drawn in text cells: dark ink on a light panel, quiet zone included.

With half blocks a cell holds two modules, one above the other, so a 40-character URL
(version 3, 29 modules, 37 with the quiet zone) is 37 columns by 19 rows and fits at
80x24. The stock Linux console font has only the full block: there a module is two
cells side by side (square on an 8x16 font), 74 by 37.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from enum import StrEnum

from tui_pos.system.console_font import draws_half_blocks

QUIET_ZONE = 4
"""Light modules around the symbol, as the QR standard asks."""


class Glyphs(StrEnum):
    """How modules become cells."""

    HALF = "half"
    """Two modules a cell, stacked: `` `` ``▀`` ``▄`` ``█``."""
    FULL = "full"
    """One module is two cells side by side: ``"  "`` or ``"██"`` (stock console font)."""


HALF_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
"""(upper dark, lower dark) -> the cell that draws them."""

FULL_CELLS = {False: "  ", True: "██"}


@dataclass(frozen=True)
class QrDrawing:
    """The rows of a QR code's cells, every one the same width, quiet zone included."""

    lines: tuple[str, ...]
    glyphs: Glyphs

    @property
    def width(self) -> int:
        return len(self.lines[0])

    @property
    def height(self) -> int:
        return len(self.lines)


def cells_needed(modules: int, glyphs: Glyphs) -> tuple[int, int]:
    """Columns and rows that a square of ``modules`` modules takes."""
    if glyphs is Glyphs.HALF:
        return modules, (modules + 1) // 2
    return 2 * modules, modules


def draw_qr(text: str, glyphs: Glyphs, width: int, height: int) -> QrDrawing | None:
    """The QR code of text (error correction level M or L, smallest version that holds it,
    segno), dark modules drawn as the glyph's ink, with the 4-module quiet zone, in at
    most width x height cells; None when it does not fit."""
    import segno  # only when a payment page shows: not at the first paint

    try:  # the smallest version, then the better correction if that version holds it
        code = segno.make_qr(text, error="L", boost_error=False)
    except segno.DataOverflowError:  # longer than version 40 holds
        return None
    with contextlib.suppress(segno.DataOverflowError):
        code = segno.make_qr(text, error="M", version=code.version, boost_error=False)
    modules = [[bool(dark) for dark in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]
    columns, rows = cells_needed(len(modules), glyphs)
    if columns > width or rows > height:
        return None
    if glyphs is Glyphs.FULL:
        lines = ["".join(FULL_CELLS[dark] for dark in row) for row in modules]
    else:
        light = [False] * len(modules)
        pairs = zip(modules[::2], [*modules[1::2], light], strict=True)
        lines = [
            "".join(HALF_CELLS[cell] for cell in zip(up, down, strict=True)) for up, down in pairs
        ]
    return QrDrawing(tuple(lines), glyphs)


def qr_glyphs(term: str | None = None, fd: int | None = None) -> Glyphs:
    """HALF, unless TERM is linux and the console font loaded on fd (default: stdout's tty)
    does not draw U+2580/U+2584 (or it cannot tell): then FULL."""
    if (term if term is not None else os.environ.get("TERM")) != "linux":
        return Glyphs.HALF
    if fd is None:
        fd = stdout_fd()
    return Glyphs.HALF if fd is not None and draws_half_blocks(fd) else Glyphs.FULL


def stdout_fd() -> int | None:
    """The descriptor of the process's real stdout (the till's tty); None without one."""
    try:
        return sys.__stdout__.fileno() if sys.__stdout__ is not None else None
    except (OSError, ValueError):  # closed, or a stream with no descriptor
        return None
