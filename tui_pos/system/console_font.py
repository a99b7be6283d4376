"""Which characters the Linux console's loaded font draws, read from the kernel.

The console keeps the loaded font's unicode map (code point -> glyph); ``GIO_UNIMAP`` on
the console's tty reads it. The stock Debian font Lat15-Fixed16 has no half blocks; the
installer loads ours (``systemd/font/``), which has U+2580 and U+2584.
"""

from __future__ import annotations

import array
import fcntl
import struct

GIO_UNIMAP = 0x4B66
"""linux/kd.h: get the unicode map of the console's font (``struct unimapdesc``)."""

UNIMAPDESC = "@HP"
"""``struct unimapdesc``: ``unsigned short entry_ct; struct unipair *entries;``."""

ROOM = 0xFFFF
"""Room for every entry there can be (``entry_ct`` is an unsigned short)."""

HALF_BLOCKS = "\u2580\u2584"
"""The upper and lower half blocks: two QR modules a cell."""


def mapped(unipairs: bytes, count: int) -> frozenset[str]:
    """The characters of the first ``count`` entries of an array of ``struct unipair``
    (``unsigned short unicode; unsigned short fontpos;``)."""
    shorts = memoryview(unipairs).cast("H")
    return frozenset(chr(shorts[2 * i]) for i in range(count))


def font_chars(fd: int) -> frozenset[str] | None:
    """The characters the font loaded on the console ``fd`` draws; ``None`` when it
    cannot tell (not a console, no permission, a closed descriptor)."""
    entries = array.array("H", bytes(4 * ROOM))
    desc = bytearray(struct.pack(UNIMAPDESC, ROOM, entries.buffer_info()[0]))
    try:
        fcntl.ioctl(fd, GIO_UNIMAP, desc)
    except OSError:
        return None
    (count,) = struct.unpack_from("@H", desc)
    return mapped(entries.tobytes(), count)


def draws_half_blocks(fd: int) -> bool | None:
    """Whether the console font on ``fd`` draws U+2580 and U+2584 (``None``: cannot tell)."""
    chars = font_chars(fd)
    return None if chars is None else set(HALF_BLOCKS) <= chars
