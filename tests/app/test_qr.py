"""The QR code of a payment page in text cells: its size, read back by a decoder, and
which glyphs the terminal gets."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.support.qrkit import decode_cells, read_cells
from tui_pos.app.qr import Glyphs, draw_qr, qr_glyphs

URL = "http://127.0.0.1:54321/pay/pay_0123456789abcdef"
"""A payment page's URL as the simulator serves it (47 characters)."""


def test_a_payment_url_is_37_by_19_with_half_blocks_and_reads_back() -> None:
    drawing = draw_qr(URL, Glyphs.HALF, 80, 24)
    assert drawing is not None and drawing.glyphs is Glyphs.HALF
    assert (drawing.width, drawing.height) == (37, 19)  # version 3: 29 modules + 2 x 4
    assert {len(line) for line in drawing.lines} == {37}
    assert set("".join(drawing.lines)) <= set(" ▀▄█")
    assert drawing.lines[:2] == (" " * 37,) * 2 and drawing.lines[-2:] == (" " * 37,) * 2
    assert decode_cells(drawing.lines, Glyphs.HALF) == URL


def test_with_full_blocks_a_module_is_two_cells_and_reads_back() -> None:
    drawing = draw_qr(URL, Glyphs.FULL, 128, 48)
    assert drawing is not None and (drawing.width, drawing.height) == (74, 37)
    assert set("".join(drawing.lines)) == {" ", "█"}
    assert all(line[i : i + 2] in ("  ", "██") for line in drawing.lines for i in range(0, 74, 2))
    assert decode_cells(drawing.lines, Glyphs.FULL) == URL


@pytest.mark.parametrize(
    ("glyphs", "width", "height"),
    [(Glyphs.HALF, 36, 24), (Glyphs.HALF, 80, 18), (Glyphs.FULL, 73, 48), (Glyphs.FULL, 128, 36)],
)
def test_a_box_too_small_gives_none(glyphs: Glyphs, width: int, height: int) -> None:
    assert draw_qr(URL, glyphs, width, height) is None


@pytest.mark.parametrize(("glyphs", "size"), [(Glyphs.HALF, (37, 19)), (Glyphs.FULL, (74, 37))])
def test_a_box_just_the_size_holds_it(glyphs: Glyphs, size: tuple[int, int]) -> None:
    drawing = draw_qr(URL, glyphs, *size)
    assert drawing is not None and (drawing.width, drawing.height) == size


def test_level_m_when_the_smallest_version_holds_it_else_l() -> None:
    """Version 3 holds 42 bytes at level M, 53 at L: the smallest version first."""
    short = URL[:40]
    drawing, longer = draw_qr(short, Glyphs.HALF, 80, 24), draw_qr(URL, Glyphs.HALF, 80, 24)
    assert drawing is not None and longer is not None and drawing.width == longer.width == 37
    assert read_cells(drawing.lines, Glyphs.HALF).ec_level == "M"
    assert read_cells(longer.lines, Glyphs.HALF).ec_level == "L"


def test_an_odd_row_count_ends_with_the_lower_half_light() -> None:
    """37 modules are 18 cells and one upper half: the last row holds quiet zone only."""
    drawing = draw_qr("A", Glyphs.HALF, 80, 24)  # version 1: 21 + 8 = 29 modules
    assert drawing is not None and (drawing.width, drawing.height) == (29, 15)
    assert decode_cells(drawing.lines, Glyphs.HALF) == "A"


def test_text_no_qr_code_holds_gives_none() -> None:
    assert draw_qr("x" * 3000, Glyphs.HALF, 1000, 1000) is None


def test_light_ink_on_dark_does_not_read() -> None:
    """The decoder holds the panel to dark ink on light: inverted cells fail."""
    drawing = draw_qr(URL, Glyphs.FULL, 128, 48)
    assert drawing is not None
    inverted = [line.translate(str.maketrans(" █", "█ ")) for line in drawing.lines]
    with pytest.raises(ValueError, match="no QR code reads"):
        decode_cells(inverted, Glyphs.FULL)


def test_segno_loads_only_when_a_code_is_drawn() -> None:
    script = (
        "import sys; from tui_pos.app import qr; assert 'segno' not in sys.modules;"
        "qr.qr_glyphs(); assert 'segno' not in sys.modules;"
        "qr.draw_qr('x', qr.Glyphs.HALF, 80, 24); assert 'segno' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


@pytest.fixture
def pty() -> Iterator[int]:
    """A pseudo-terminal's tty end: a terminal, but no Linux console."""
    main, tty = os.openpty()
    yield tty
    os.close(tty)
    os.close(main)


@pytest.mark.parametrize("term", ["xterm-256color", "screen", "tmux-256color", "vt100"])
def test_terminals_other_than_the_console_get_half_blocks(term: str, pty: int) -> None:
    assert qr_glyphs(term, pty) is Glyphs.HALF


def test_the_console_whose_font_cannot_be_read_gets_full_blocks(pty: int) -> None:
    assert qr_glyphs("linux", pty) is Glyphs.FULL
    read, write = os.pipe()
    try:
        assert qr_glyphs("linux", read) is Glyphs.FULL
    finally:
        os.close(read)
        os.close(write)


def test_term_comes_from_the_environment(pty: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "linux")
    assert qr_glyphs(fd=pty) is Glyphs.FULL
    monkeypatch.setenv("TERM", "xterm-256color")
    assert qr_glyphs(fd=pty) is Glyphs.HALF
    monkeypatch.delenv("TERM")
    assert qr_glyphs(fd=pty) is Glyphs.HALF
