"""Reading the console font's unicode map: the kernel's layout, and no console."""

from __future__ import annotations

import ctypes
import os
import struct

from tui_pos.system.console_font import UNIMAPDESC, draws_half_blocks, font_chars, mapped


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
