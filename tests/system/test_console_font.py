"""The console font: reading its unicode map (the kernel's layout, no console), and ours
built from Debian's with the half blocks added (systemd/font/make_font.py)."""

from __future__ import annotations

import ctypes
import gzip
import os
import struct

import pytest

from tests.support.appkit import DATA, FONT, STOCK_FONT, font_builder
from tui_pos.system.console_font import (
    HALF_BLOCKS,
    UNIMAPDESC,
    draws_half_blocks,
    font_chars,
    mapped,
)

STOCK_PSF = DATA / "Lat15-Fixed16.psf.gz"
"""A copy of Debian's console-setup-linux 1.221's font."""


class UniPair(ctypes.Structure):
    """linux/kd.h ``struct unipair``."""

    _fields_ = [("unicode", ctypes.c_ushort), ("fontpos", ctypes.c_ushort)]


class UniMapDesc(ctypes.Structure):
    """linux/kd.h ``struct unimapdesc``."""

    _fields_ = [("entry_ct", ctypes.c_ushort), ("entries", ctypes.POINTER(UniPair))]


def unipairs(*pairs: tuple[str, int]) -> bytes:
    """An array of ``struct unipair`` as the kernel writes it (unicode, glyph)."""
    array = (UniPair * len(pairs))(*((ord(char), glyph) for char, glyph in pairs))
    return bytes(array)


def test_the_descriptor_layout_is_the_kernels() -> None:
    assert struct.calcsize(UNIMAPDESC) == ctypes.sizeof(UniMapDesc)
    assert UniMapDesc.entries.offset == struct.calcsize("@H0P")  # the pointer's padding


def test_the_characters_of_the_entries_the_kernel_counted() -> None:
    table = unipairs(("A", 65), ("█", 219), ("▀", 223), ("▄", 220), ("Z", 90))
    assert mapped(table, 4) == frozenset("A█▀▄")
    assert mapped(table, 0) == frozenset()


def test_two_code_points_on_one_glyph_are_both_drawn() -> None:
    assert mapped(unipairs(("µ", 181), ("μ", 181)), 2) == frozenset("µμ")


def test_no_console_cannot_tell() -> None:
    main, tty = os.openpty()
    try:
        assert font_chars(tty) is None and draws_half_blocks(tty) is None
    finally:
        os.close(tty)
        os.close(main)
    assert font_chars(tty) is None  # closed now


def test_a_pipe_cannot_tell() -> None:
    read, write = os.pipe()
    try:
        assert draws_half_blocks(read) is None
    finally:
        os.close(read)
        os.close(write)


def test_the_shipped_font_is_the_stock_one_rebuilt() -> None:
    """make_font.py on the copy of Debian's font gives the shipped file byte for byte."""
    make = font_builder()
    stock = gzip.decompress(STOCK_PSF.read_bytes())
    assert make.write_psf1(make.with_half_blocks(make.read_psf1(stock))) == make.OURS.read_bytes()


def test_every_stock_glyph_and_mapping_is_kept_and_the_half_blocks_are_halves() -> None:
    make = font_builder()
    stock = make.read_psf1(gzip.decompress(STOCK_PSF.read_bytes()))
    ours = make.read_psf1(make.OURS.read_bytes())
    assert (ours.height, len(stock.glyphs), len(ours.glyphs)) == (16, 256, 512)
    assert ours.glyphs[:256] == stock.glyphs and ours.unicode[:256] == stock.unicode
    upper, lower = (ours.unicode.index((point,)) for point in (0x2580, 0x2584))
    assert ours.glyphs[upper] == b"\xff" * 8 + b"\x00" * 8
    assert ours.glyphs[lower] == b"\x00" * 8 + b"\xff" * 8
    assert all(entry == () for entry in ours.unicode[256:] if entry not in {(0x2580,), (0x2584,)})


def test_the_glyph_tables_are_the_fonts() -> None:
    make = font_builder()
    stock = make.read_psf1(gzip.decompress(STOCK_PSF.read_bytes()))
    ours = make.read_psf1(make.OURS.read_bytes())
    assert [ln for ln in make.glyph_table(stock, "").splitlines() if ln.startswith("U+")] == [
        ln for ln in STOCK_FONT.read_text(encoding="utf-8").splitlines() if ln.startswith("U+")
    ]
    table = make.glyph_table(ours, make.TABLE_HEADER)
    assert FONT.read_text(encoding="utf-8") == table, "make_font.py --table " + str(FONT)


def test_a_font_with_a_half_block_already_is_refused() -> None:
    make = font_builder()
    ours = make.read_psf1(make.OURS.read_bytes())
    with pytest.raises(ValueError, match="half block already"):
        make.with_half_blocks(ours)


def test_the_kernel_map_of_our_font_draws_the_half_blocks() -> None:
    """Our font's unicode table as GIO_UNIMAP hands it over (struct unipair)."""
    make = font_builder()
    ours = make.read_psf1(make.OURS.read_bytes())
    pairs = [(chr(p), glyph) for glyph, entry in enumerate(ours.unicode) for p in entry]
    assert set(HALF_BLOCKS) <= mapped(unipairs(*pairs), len(pairs))
    stock = make.read_psf1(gzip.decompress(STOCK_PSF.read_bytes()))
    pairs = [(chr(p), glyph) for glyph, entry in enumerate(stock.unicode) for p in entry]
    assert not set(HALF_BLOCKS) & mapped(unipairs(*pairs), len(pairs))
