#!/usr/bin/env python3
"""Build the till's console font: Debian's Lat15-Fixed16 and the half blocks U+2580, U+2584.

Every glyph of the original and every one of its unicode mappings stays as it is. The
original (PSF1, 256 glyphs) has no glyph free, so the font grows to 512 glyphs (the most
PSF1 holds) and the two half blocks go in the first two new ones. Standard library only:

    python3 systemd/font/make_font.py [SOURCE.psf.gz] [--table TABLE.txt]

writes systemd/font/tui-pos-Lat15-Fixed16.psf beside this script (and, with --table, the
font's list of code points, as tests/data/ keeps it).
"""

from __future__ import annotations

import argparse
import gzip
import struct
import sys
from dataclasses import dataclass, replace
from pathlib import Path

STOCK = Path("/usr/share/consolefonts/Lat15-Fixed16.psf.gz")
"""Debian's package console-setup-linux."""

OURS = Path(__file__).with_name("tui-pos-Lat15-Fixed16.psf")

MAGIC = b"\x36\x04"
MODE512, MODEHASTAB, MODESEQ = 0x01, 0x02, 0x04
"""PSF1 modes: 512 glyphs (else 256), a unicode table, sequences in it."""
SEQUENCE, END = 0xFFFE, 0xFFFF
"""In the unicode table: a sequence of code points follows; the glyph's entries end."""

UPPER_HALF, LOWER_HALF = 0x2580, 0x2584


@dataclass(frozen=True)
class Psf1:
    """A PSF1 font: 8 pixels wide, a byte a row; per glyph its unicode entries (code
    points, then any sequences, each after SEQUENCE)."""

    height: int
    glyphs: tuple[bytes, ...]
    unicode: tuple[tuple[int, ...], ...]


def read_psf1(data: bytes) -> Psf1:
    """The font in ``data`` (a PSF1 file with a unicode table)."""
    if data[:2] != MAGIC or not data[2] & MODEHASTAB:
        raise ValueError("not a PSF1 font with a unicode table")
    count, height = (512 if data[2] & MODE512 else 256), data[3]
    end = 4 + count * height
    glyphs = tuple(data[at : at + height] for at in range(4, end, height))
    shorts = struct.unpack(f"<{(len(data) - end) // 2}H", data[end:])
    unicode, entry = [], []
    for short in shorts:
        if short == END:
            unicode.append(tuple(entry))
            entry = []
        else:
            entry.append(short)
    if len(unicode) != count:
        raise ValueError(f"{len(unicode)} unicode entries for {count} glyphs")
    return Psf1(height, glyphs, tuple(unicode))


def write_psf1(font: Psf1) -> bytes:
    """The PSF1 file of ``font``."""
    mode = MODEHASTAB | (MODE512 if len(font.glyphs) == 512 else 0)
    if any(SEQUENCE in entry for entry in font.unicode):
        mode |= MODESEQ
    table = b"".join(struct.pack(f"<{len(e) + 1}H", *e, END) for e in font.unicode)
    return MAGIC + bytes([mode, font.height]) + b"".join(font.glyphs) + table


def code_points(font: Psf1) -> list[int]:
    """Every code point a glyph of ``font`` draws on its own (not in a sequence)."""
    singles = (
        entry[: entry.index(SEQUENCE)] if SEQUENCE in entry else entry for entry in font.unicode
    )
    return sorted({point for entry in singles for point in entry})


def half_blocks(height: int) -> dict[int, bytes]:
    """The upper and lower half blocks, 8 pixels wide and ``height`` high."""
    top = height // 2
    return {
        UPPER_HALF: b"\xff" * top + b"\x00" * (height - top),
        LOWER_HALF: b"\x00" * top + b"\xff" * (height - top),
    }


def with_half_blocks(font: Psf1) -> Psf1:
    """``font`` and the half blocks, in glyphs no code point maps to (the font grows
    from 256 to 512 glyphs when it has too few)."""
    blocks = half_blocks(font.height)
    if set(blocks) & set(code_points(font)):
        raise ValueError("the font has a half block already")
    glyphs, unicode = list(font.glyphs), list(font.unicode)
    free = [index for index, entry in enumerate(unicode) if not entry]
    if len(free) < len(blocks) and len(glyphs) == 256:
        free += range(256, 512)
        glyphs += [bytes(font.height)] * 256
        unicode += [()] * 256
    if len(free) < len(blocks):
        raise ValueError("no room in the font for the half blocks")
    for index, (point, bitmap) in zip(free, blocks.items(), strict=False):
        glyphs[index], unicode[index] = bitmap, (point,)
    return replace(font, glyphs=tuple(glyphs), unicode=tuple(unicode))


def glyph_table(font: Psf1, header: str) -> str:
    """The font's code points one a line (``U+20AC €``; no character after a blank or
    unprintable one), after ``header``'s lines as comments."""
    lines = [f"# {line}" for line in header.splitlines()]
    for point in code_points(font):
        char = chr(point)
        lines.append(
            f"U+{point:04X} {char}" if char.isprintable() and char != " " else f"U+{point:04X}"
        )
    return "\n".join(lines) + "\n"


TABLE_HEADER = """\
Unicode code points that the till's console font tui-pos-Lat15-Fixed16 can draw:
Lat15-Fixed16 and the half blocks U+2580, U+2584 (systemd/font/make_font.py --table).
Read from the font's own Unicode table. One code point a line."""


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=STOCK)
    parser.add_argument("--table", type=Path, help="also write the font's code points here")
    args = parser.parse_args(argv)
    font = with_half_blocks(read_psf1(gzip.decompress(args.source.read_bytes())))
    OURS.write_bytes(write_psf1(font))
    if args.table:
        args.table.write_text(glyph_table(font, TABLE_HEADER), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
