"""Read a QR code back from the cells it was drawn in, as a phone would read the screen.

The cells become a bitmap (``PIXELS`` pixels a module) that zxing-cpp decodes. Ink is
dark on a light panel: ``█`` is dark, `` `` light, ``▀``/``▄`` dark above/below; any
other character (text around the code, a border) counts as light.
"""

from __future__ import annotations

from collections.abc import Sequence

import zxingcpp

from tui_pos.app.qr import Glyphs

PIXELS = 4
"""Pixels a module, each way."""

MARGIN = 4 * PIXELS
"""Light pixels added around the cells (the region may be cut at the quiet zone)."""

DARK, LIGHT = 0, 255

HALF_INK = {"█": (True, True), "▀": (True, False), "▄": (False, True)}
"""Of a cell with half blocks: (upper module dark, lower module dark)."""


def cell_pixels(char: str, glyphs: Glyphs) -> list[list[bool]]:
    """The pixels (rows of dark or not) one cell of ``glyphs`` draws."""
    if glyphs is Glyphs.FULL:  # half a module wide, one module high
        return [[char == "█"] * (PIXELS // 2)] * PIXELS
    upper, lower = HALF_INK.get(char, (False, False))
    return [[upper] * PIXELS] * PIXELS + [[lower] * PIXELS] * PIXELS


def bitmap(lines: Sequence[str], glyphs: Glyphs) -> list[list[bool]]:
    """The rows of pixels of ``lines`` (shorter lines padded with light cells)."""
    width = max(map(len, lines), default=0)
    high = len(cell_pixels(" ", glyphs))
    rows: list[list[bool]] = []
    for line in lines:
        cells = [cell_pixels(char, glyphs) for char in line.ljust(width)]
        rows.extend([pixel for cell in cells for pixel in cell[y]] for y in range(high))
    return rows


def decode_cells(lines: Sequence[str], glyphs: Glyphs) -> str:
    """The text of the QR code drawn in ``lines`` (the rows of text of a rendered region)
    with ``glyphs``; ValueError when no code reads (a light-on-dark code does not)."""
    return read_cells(lines, glyphs).text


def read_cells(lines: Sequence[str], glyphs: Glyphs) -> zxingcpp.Barcode:
    """The QR code drawn in ``lines`` as zxing-cpp reads it (its text, its error
    correction level ``ec_level``...); ValueError when none reads."""
    rows = bitmap(lines, glyphs)
    if not rows or not rows[0]:
        raise ValueError("no cells to read a QR code from")
    width = len(rows[0]) + 2 * MARGIN
    image = bytearray([LIGHT] * (width * MARGIN))
    for row in rows:
        image += bytes(
            [LIGHT] * MARGIN + [DARK if dark else LIGHT for dark in row] + [LIGHT] * MARGIN
        )
    image += bytes([LIGHT] * (width * MARGIN))
    height = len(image) // width
    found = zxingcpp.read_barcode(
        memoryview(bytes(image)).cast("B", (height, width)),
        formats=zxingcpp.BarcodeFormat.QRCode,
        try_invert=False,
    )
    if found is None:
        raise ValueError("no QR code reads in the cells:\n" + "\n".join(lines))
    return found
