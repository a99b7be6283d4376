"""ESC/POS bytes to printed lines: what a receipt printer would put on paper.

Understands the commands python-escpos 3.1 emits for text, styles (``set``,
``set_with_default``), code pages, native QR codes, the cash drawer, cuts and status
queries; any other command raises :class:`UnknownCommand`, nothing is skipped.

Simplifications, each on purpose:

* A line takes the style (bold, underline, sizes, invert) and the alignment in effect at
  its first character; a change within a line applies from the next line on.
* Font (``ESC M``), upside-down (``ESC {``), smoothing (``GS b``) and density (``GS |``)
  are accepted but not shown.
* A line is wrapped when its next character no longer fits, so text that fills the paper
  exactly and then LF prints as one line.
* A QR code, a drawer kick and a cut end a pending line; so does the end of the data.
  ``ESC @`` clears a pending line, as the printer clears its buffer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

Align = Literal["left", "center", "right"]

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
LF, CR = 0x0A, 0x0D

_ALIGNS: dict[int, Align] = {
    0: "left",
    1: "center",
    2: "right",
    48: "left",
    49: "center",
    50: "right",
}
_DRAWER_PINS = {0: 2, 1: 5, 48: 2, 49: 5}
"""``ESC p m``: m to the pin of the drawer port."""
_CUTS = {0: 1, 1: 1, 48: 1, 49: 1, 65: 2, 66: 2, 97: 2, 98: 2, 103: 2, 104: 2}
"""``GS V m``: each cut mode with its argument count (the feed-and-cut modes take n)."""


@dataclass(frozen=True)
class PrintedLine:
    """One line on paper: text, a QR code, a drawer kick or a cut."""

    text: str
    kind: Literal["text", "qr", "drawer", "cut"] = "text"
    align: Align = "left"
    bold: bool = False
    underline: bool = False
    double_width: bool = False
    double_height: bool = False
    invert: bool = False
    qr: str | None = None
    drawer_pin: int | None = None
    drawer_pulse_ms: int | None = None


@dataclass(frozen=True)
class Printed:
    """Everything a run of ESC/POS bytes printed (and kicked), in order."""

    lines: tuple[PrintedLine, ...]

    @property
    def qr_codes(self) -> tuple[str, ...]:
        """The data of each QR code printed."""
        return tuple(line.qr for line in self.lines if line.qr is not None)

    @property
    def drawer_kicks(self) -> tuple[PrintedLine, ...]:
        """Each drawer kick, with its pin and pulse."""
        return tuple(line for line in self.lines if line.kind == "drawer")

    @property
    def cuts(self) -> int:
        """How often the paper was cut."""
        return sum(line.kind == "cut" for line in self.lines)

    def plain(self, columns: int) -> list[str]:
        """Each line as text padded to ``columns`` cells, one cell per character (a screen
        cannot double a cell); longer lines are left whole."""
        pad = {"left": str.ljust, "center": str.center, "right": str.rjust}
        shown: dict[str, Callable[[PrintedLine], str]] = {
            "qr": lambda line: f"[QR: {line.qr}]",
            "drawer": lambda line: "[drawer opened]",
            "cut": lambda line: "-" * columns,
            "text": lambda line: line.text,
        }
        return [pad[line.align](shown[line.kind](line), columns) for line in self.lines]


class UnknownCommand(ValueError):
    """A command the renderer does not know, a bad argument, or one cut off by the end."""

    def __init__(self, offset: int, command: bytes, problem: str = "unknown command") -> None:
        super().__init__(f"{problem} at byte {offset}: {command!r}")
        self.offset = offset
        self.command = command


class _BadArgument(Exception):
    """A known command with an argument the renderer does not know (render adds where)."""


@functools.cache
def _code_pages() -> dict[int, tuple[str, ...]]:
    """``ESC t n``: each code page number of the TM-T20II and default profiles with its
    characters 0x80..0xFF, from python-escpos's own profile data (imported on first use).
    Bytes below 0x80 are ASCII, as python-escpos encodes them."""
    from escpos.capabilities import CAPABILITIES

    pages: dict[int, tuple[str, ...]] = {}
    for profile in ("TM-T20II", "default"):
        for number, name in CAPABILITIES["profiles"][profile]["codePages"].items():
            encoding = CAPABILITIES["encodings"].get(name, {})
            if "data" in encoding:
                pages.setdefault(int(number), tuple("".join(encoding["data"])))
            elif "python_encode" in encoding:
                high = (
                    bytes([b]).decode(encoding["python_encode"], "replace") for b in range(128, 256)
                )
                pages.setdefault(int(number), tuple(high))
    return pages


@dataclass(frozen=True)
class _Style:
    align: Align = "left"
    bold: bool = False
    underline: bool = False
    width: int = 1
    height: int = 1
    invert: bool = False


@dataclass
class _Renderer:
    columns: int
    lines: list[PrintedLine] = field(default_factory=list)
    style: _Style = _Style()
    code_page: int = 0
    qr_data: str | None = None
    pending: list[str] = field(default_factory=list)
    pending_style: _Style = _Style()
    cells: int = 0

    def char(self, char: str) -> None:
        if self.pending and self.cells + self.style.width > self.columns:
            self.end_line()
        if not self.pending:
            self.pending_style = self.style
        self.pending.append(char)
        self.cells += self.style.width

    def end_line(self) -> None:
        style = self.pending_style if self.pending else self.style
        self.lines.append(
            PrintedLine(
                "".join(self.pending),
                align=style.align,
                bold=style.bold,
                underline=style.underline,
                double_width=style.width > 1,
                double_height=style.height > 1,
                invert=style.invert,
            )
        )
        self.pending, self.cells = [], 0

    def add(self, line: PrintedLine) -> None:
        if self.pending:
            self.end_line()
        self.lines.append(line)

    # The commands, each given its arguments.

    def init(self, args: bytes) -> None:
        self.style, self.code_page, self.qr_data = _Style(), 0, None
        self.pending, self.cells = [], 0

    def select_code_page(self, args: bytes) -> None:
        if args[0] not in _code_pages():
            raise _BadArgument("unknown code page")
        self.code_page = args[0]

    def align(self, args: bytes) -> None:
        if args[0] not in _ALIGNS:
            raise _BadArgument("unknown alignment")
        self.style = replace(self.style, align=_ALIGNS[args[0]])

    def bold(self, args: bytes) -> None:
        self.style = replace(self.style, bold=bool(args[0] & 1))

    def underline(self, args: bytes) -> None:
        self.style = replace(self.style, underline=args[0] in (1, 2, 49, 50))

    def print_mode(self, args: bytes) -> None:
        """``ESC !``: bold, sizes and underline at once (so it also ends bold)."""
        n = args[0]
        self.style = replace(
            self.style,
            bold=bool(n & 0x08),
            height=2 if n & 0x10 else 1,
            width=2 if n & 0x20 else 1,
            underline=bool(n & 0x80),
        )

    def size(self, args: bytes) -> None:
        """``GS !``: width and height, 1..8 each."""
        self.style = replace(self.style, width=(args[0] >> 4 & 7) + 1, height=(args[0] & 7) + 1)

    def invert(self, args: bytes) -> None:
        self.style = replace(self.style, invert=bool(args[0] & 1))

    def ignore(self, args: bytes) -> None:
        """Accepted, not shown (font, upside-down, smoothing, density)."""

    def feed(self, args: bytes) -> None:
        """``ESC d n``: print and feed n lines, as n LFs (0: only ends a pending line)."""
        if args[0] == 0 and self.pending:
            self.end_line()
        for _ in range(args[0]):
            self.end_line()

    def drawer(self, args: bytes) -> None:
        """``ESC p m t1 t2``: a pulse of t1 * 2 ms on pin 2 (m 0 or 48) or 5 (m 1 or 49)."""
        if args[0] not in _DRAWER_PINS:
            raise _BadArgument("unknown drawer pin")
        self.add(
            PrintedLine("", "drawer", drawer_pin=_DRAWER_PINS[args[0]], drawer_pulse_ms=args[1] * 2)
        )

    def cut(self, args: bytes) -> None:
        if args[0] not in _CUTS:
            raise _BadArgument("unknown cut mode")
        self.add(PrintedLine("", "cut"))

    def status(self, args: bytes) -> None:
        """``DLE EOT n``: a real-time status query, n 1..4; prints nothing."""
        if not 1 <= args[0] <= 4:
            raise _BadArgument("unknown status query")

    def two_d_code(self, args: bytes) -> None:
        """``GS ( k pL pH cn fn ...``: QR codes only (cn 49): model, size, error level,
        store the data, print it."""
        cn, fn = args[2:3], args[3:4]
        if cn != b"1" or fn not in (b"A", b"C", b"E", b"P", b"Q"):
            raise _BadArgument("unknown 2D code function")
        if fn == b"P":
            self.qr_data = args[5:].decode("utf-8", "replace")
        elif fn == b"Q" and self.qr_data is not None:
            self.add(PrintedLine("", "qr", align=self.style.align, qr=self.qr_data))


def _qr_length(rest: bytes) -> int:
    """``GS ( k``: pL pH and the pL + 256 * pH bytes they count."""
    return 2 + (rest[0] + 256 * rest[1] if len(rest) >= 2 else 0)


def _cut_length(rest: bytes) -> int:
    """``GS V``: m, and n after a feed-and-cut mode."""
    return _CUTS.get(rest[0], 1) if rest else 1


_Command = Callable[[_Renderer, bytes], None]
_COMMANDS: dict[bytes, tuple[int | Callable[[bytes], int], _Command]] = {
    b"\x1b@": (0, _Renderer.init),
    b"\x1bt": (1, _Renderer.select_code_page),
    b"\x1ba": (1, _Renderer.align),
    b"\x1bE": (1, _Renderer.bold),
    b"\x1b-": (1, _Renderer.underline),
    b"\x1b!": (1, _Renderer.print_mode),
    b"\x1bM": (1, _Renderer.ignore),
    b"\x1b{": (1, _Renderer.ignore),
    b"\x1bd": (1, _Renderer.feed),
    b"\x1bp": (3, _Renderer.drawer),
    b"\x1d!": (1, _Renderer.size),
    b"\x1dB": (1, _Renderer.invert),
    b"\x1db": (1, _Renderer.ignore),
    b"\x1d|": (1, _Renderer.ignore),
    b"\x1dV": (_cut_length, _Renderer.cut),
    b"\x1d(k": (_qr_length, _Renderer.two_d_code),
    b"\x10\x04": (1, _Renderer.status),
}
"""Each command: its bytes, its argument length (or how to read it), what it does."""


def render(data: bytes, columns: int = 42) -> Printed:
    """The lines ``data`` prints on paper ``columns`` cells wide (42: 80 mm, font A)."""
    if columns < 1:
        raise ValueError(f"columns must be at least 1, not {columns}")
    renderer = _Renderer(columns)
    at = 0
    while at < len(data):
        byte = data[at]
        if byte in (ESC, GS, FS, DLE):
            command = next(
                (data[at : at + n] for n in (3, 2) if data[at : at + n] in _COMMANDS), b""
            )
            if not command:
                raise UnknownCommand(at, data[at : at + 3])
            length, run = _COMMANDS[command]
            start = at + len(command)
            end = start + (length if isinstance(length, int) else length(data[start:]))
            if end > len(data):
                raise UnknownCommand(at, data[at:end], "truncated command")
            try:
                run(renderer, data[start:end])
            except _BadArgument as bad:
                raise UnknownCommand(at, data[at:end], str(bad)) from None
            at = end
            continue
        if byte == LF:
            renderer.end_line()
        elif 0x20 <= byte < 0x7F:
            renderer.char(chr(byte))
        elif byte >= 0x80:
            renderer.char(_code_pages()[renderer.code_page][byte - 0x80])
        elif byte != CR:
            raise UnknownCommand(at, data[at : at + 1], "unknown control character")
        at += 1
    if renderer.pending:
        renderer.end_line()
    return Printed(tuple(renderer.lines))
