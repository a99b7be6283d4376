"""The ESC/POS renderer reads exactly what python-escpos sends a printer: each test builds
its bytes with the real library's Dummy printer."""

from __future__ import annotations

import signal
from collections.abc import Callable

import pytest
from escpos.capabilities import CAPABILITIES
from escpos.constants import BEEP, CODEPAGE_CHANGE, RT_STATUS
from escpos.printer import Dummy
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_pos.printer.render import PrintedLine, UnknownCommand, render

PROFILES = ("TM-T20II", "default")
URL = "https://invoices.example.com/pdf/2026/12/03/0001234567-abcdef.pdf"


@pytest.fixture(params=PROFILES)
def printer(request: pytest.FixtureRequest) -> Dummy:
    """A fresh printer, as the till starts one: initialised."""
    dummy = Dummy(profile=request.param)
    dummy.hw("INIT")
    return dummy


def texts(data: bytes, columns: int = 42) -> list[str]:
    return [line.text for line in render(data, columns).lines if line.kind == "text"]


def test_the_euro_sign_round_trips_under_cp858(printer: Dummy) -> None:
    printer.charcode("CP858")
    printer.textln("€ 1,19")
    assert b"\x1bt\x13\xd5 1,19\n" in printer.output
    assert texts(printer.output) == ["€ 1,19"]


def test_text_switches_code_pages_by_itself_and_each_switch_is_followed(printer: Dummy) -> None:
    printer.textln("Crème brûlée € 4,50, Ж, ß")
    assert printer.output.count(CODEPAGE_CHANGE) > 2  # python-escpos picks a page per character
    assert texts(printer.output) == ["Crème brûlée € 4,50, Ж, ß"]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_code_page_python_knows_decodes_as_python_escpos_encodes(profile: str) -> None:
    pages = CAPABILITIES["profiles"][profile]["codePages"]
    checked = 0
    for name in set(pages.values()):
        python_name = CAPABILITIES["encodings"].get(name, {}).get("python_encode")
        if python_name is None:
            continue
        high = "".join(
            char
            for byte in range(0x80, 0x100)
            if (char := bytes([byte]).decode(python_name, "ignore")) and ord(char) >= 0x80
        )
        dummy = Dummy(profile=profile)
        dummy.charcode(name)
        dummy.textln(high)
        assert texts(dummy.output, columns=200) == [high], name
        checked += 1
    assert checked > 30


def test_init_resets_the_code_page_even_where_python_escpos_does_not_resend_it() -> None:
    dummy = Dummy(profile="TM-T20II")
    dummy.charcode("CP858")
    dummy.hw("INIT")
    dummy.textln("€")
    # python-escpos still believes CP858 is active: the printer, reset to CP437, prints 0xD5
    assert dummy.output.endswith(b"\x1b@\xd5\n")
    assert texts(dummy.output) == [b"\xd5".decode("cp437")]


def test_init_resets_the_styles_and_clears_a_pending_line(printer: Dummy) -> None:
    printer.set(align="right", bold=True, underline=1, double_width=True, invert=True)
    printer.text("lost")
    printer.hw("INIT")
    printer.textln("plain")
    assert render(printer.output).lines == (PrintedLine("plain"),)


@pytest.mark.parametrize("columns", [42, 48])
def test_alignment_places_each_line_within_the_columns(printer: Dummy, columns: int) -> None:
    printer.set(align="center")
    printer.textln("Bakkerij")
    printer.set(align="right")
    printer.textln("€ 1,19")
    printer.set(align="left")
    printer.textln("  Brood")
    printed = render(printer.output, columns)
    assert [line.align for line in printed.lines] == ["center", "right", "left"]
    plain = printed.plain(columns)
    assert all(len(line) == columns for line in plain)
    assert plain[0].strip() == "Bakkerij"
    assert plain[0].index("B") == (columns - len("Bakkerij")) // 2
    assert plain[1] == "€ 1,19".rjust(columns)
    assert plain[2] == "  Brood".ljust(columns)


def test_a_line_takes_the_alignment_and_style_in_effect_at_its_first_character(
    printer: Dummy,
) -> None:
    printer.text("Total")
    printer.set(align="center", bold=True)
    printer.textln(" € 9,99")
    printer.textln("next")
    first, second = render(printer.output).lines
    assert (first.text, first.align, first.bold) == ("Total € 9,99", "left", False)
    assert (second.text, second.align, second.bold) == ("next", "center", True)


def test_bold_underline_invert_and_double_sizes_are_flagged(printer: Dummy) -> None:
    printer.set(bold=True, underline=2, invert=True)
    printer.textln("styled")
    printer.set_with_default()
    printer.set(double_width=True)
    printer.textln("wide")
    printer.set(double_height=True)
    printer.textln("tall")
    printer.set(custom_size=True, width=3, height=1)
    printer.textln("custom")
    printer.set_with_default()
    printer.textln("normal")
    styled, wide, tall, custom, normal = render(printer.output).lines
    assert (styled.bold, styled.underline, styled.invert) == (True, True, True)
    assert (wide.double_width, wide.double_height, wide.bold) == (True, False, False)
    assert (tall.double_width, tall.double_height) == (False, True)
    assert (custom.double_width, custom.double_height) == (True, False)
    assert normal == PrintedLine("normal")


def test_a_text_size_change_ends_bold_as_esc_bang_does_on_the_printer(printer: Dummy) -> None:
    printer.set(bold=True, underline=1)
    printer.set(double_height=True)  # python-escpos sends ESC ! 0 ... ESC ! 0x10
    printer.textln("tall")
    (line,) = render(printer.output).lines
    assert (line.double_height, line.bold, line.underline) == (True, False, False)


def test_a_long_line_wraps_at_the_paper_width(printer: Dummy) -> None:
    printer.textln("x" * 50)
    printer.textln("y" * 42)
    assert texts(printer.output) == ["x" * 42, "x" * 8, "y" * 42]
    assert texts(printer.output, columns=48) == ["x" * 48, "x" * 2, "y" * 42]


def test_double_width_text_wraps_at_half_the_width(printer: Dummy) -> None:
    printer.set(double_width=True)
    printer.textln("x" * 30)
    printer.set(custom_size=True, width=3, height=3)
    printer.textln("y" * 15)
    assert texts(printer.output) == ["x" * 21, "x" * 9, "y" * 14, "y"]


def test_a_double_width_character_that_does_not_fit_goes_to_the_next_line(printer: Dummy) -> None:
    printer.text("x" * 41)
    printer.set(double_width=True)
    printer.textln("W")
    assert texts(printer.output) == ["x" * 41, "W"]


def test_lf_ends_a_line_cr_is_ignored_and_the_last_line_needs_no_lf(printer: Dummy) -> None:
    printer.text("a\r\n")
    printer.ln(2)
    printer.text("end")
    assert texts(printer.output) == ["a", "", "", "end"]


@pytest.mark.parametrize("content", ["hello", URL, "€ 1,19 " * 60])
def test_a_native_qr_code_round_trips(printer: Dummy, content: str) -> None:
    printer.set(align="center")
    printer.qr(content, native=True, size=6, ec=2)
    printed = render(printer.output)
    assert printed.qr_codes == (content,)
    (line,) = printed.lines
    assert (line.kind, line.align) == ("qr", "center")
    assert printed.plain(42)[0].strip() == f"[QR: {content}]"


def test_a_qr_code_is_printed_only_by_its_print_function(printer: Dummy) -> None:
    printer.qr(URL, native=True)
    print_function = b"\x1d(k\x03\x001Q0"
    assert printer.output.endswith(print_function)
    assert render(printer.output[: -len(print_function)]).qr_codes == ()
    assert render(printer.output + print_function).qr_codes == (URL, URL)


@pytest.mark.parametrize(
    ("pin", "kick", "pulse_ms"),
    [
        (2, 2, 100),
        (5, 5, 100),
        (2, [27, 112, 0, 50, 250], 100),
        (5, [27, 112, 1, 25, 25], 50),
        (2, [27, 112, 48], 100),
    ],
)
def test_a_drawer_kick_gives_its_pin_and_pulse(
    printer: Dummy, pin: int, kick: int | list[int], pulse_ms: int
) -> None:
    printer.textln("paid")
    printer.cashdraw(kick)
    printed = render(printer.output)
    assert printed.drawer_kicks == (
        PrintedLine("", "drawer", drawer_pin=pin, drawer_pulse_ms=pulse_ms),
    )
    assert printed.plain(42) == ["paid".ljust(42), "[drawer opened]".ljust(42)]


def test_each_cut_is_counted_after_its_feed(printer: Dummy) -> None:
    printer.textln("one")
    printer.cut()
    printer.textln("two")
    printer.cut("PART")
    printer.cut(feed=False)
    printed = render(printer.output)
    assert printed.cuts == 3
    assert [line.kind for line in printed.lines].count("text") == 2 + 6 + 6  # ESC d 6 each
    assert printed.plain(42)[-1] == "-" * 42
    assert printed.plain(48)[-1] == "-" * 48


def test_a_qr_code_a_drawer_kick_and_a_cut_each_end_a_pending_line(printer: Dummy) -> None:
    printer.text("scan")
    printer.qr(URL, native=True)
    printer.text("paid")
    printer.cashdraw(2)
    printer.text("bye")
    printer.cut(feed=False)
    plain = [line.strip() for line in render(printer.output).plain(42)]
    assert plain == ["scan", f"[QR: {URL}]", "paid", "[drawer opened]", "bye", "-" * 42]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_a_status_query_prints_nothing(printer: Dummy, n: int) -> None:
    printer.text("be")
    printer._raw(RT_STATUS + bytes([n]))
    printer.textln("fore")
    assert texts(printer.output) == ["befo" + "re"]


@pytest.mark.parametrize(
    ("send", "known"),
    [
        pytest.param(lambda p: p.buzzer(), 0, id="buzzer"),
        pytest.param(lambda p: p.barcode("4006381333931", "EAN13"), 3, id="barcode after ESC a"),
        pytest.param(lambda p: p._raw(BEEP), 0, id="beep"),
        pytest.param(lambda p: p._raw(CODEPAGE_CHANGE + b"\x06"), 0, id="code page 6"),
        pytest.param(lambda p: p._raw(RT_STATUS + b"\x05"), 0, id="status query 5"),
        pytest.param(lambda p: p._send_2d_code_data(b"R", b"1", b"", b"0"), 0, id="QR size query"),
        pytest.param(lambda p: p._send_2d_code_data(b"A", b"0", b"\x00"), 0, id="PDF417"),
        pytest.param(lambda p: p._raw(b"\x1bp\x0322"), 0, id="drawer pin 3"),
        pytest.param(lambda p: p._raw(b"\x1dV\x02"), 0, id="cut mode 2"),
    ],
)
def test_an_unknown_command_raises_with_its_offset(
    printer: Dummy, send: Callable[[Dummy], None], known: int
) -> None:
    printer.textln("ok")
    offset = len(printer.output) + known
    send(printer)
    with pytest.raises(UnknownCommand, match=f"at byte {offset}:") as raised:
        render(printer.output)
    assert raised.value.offset == offset
    assert printer.output[offset:].startswith(raised.value.command[:2])


@pytest.mark.parametrize("cut_off", [1, 6, 60])
def test_a_truncated_qr_command_raises_with_its_offset(printer: Dummy, cut_off: int) -> None:
    printer.textln("ok")
    printer.qr(URL, native=True)
    print_function = len(b"\x1d(k\x03\x001Q0")
    store = printer.output.rindex(b"\x1d(k", 0, len(printer.output) - print_function)
    data = printer.output[: -print_function - cut_off]
    with pytest.raises(UnknownCommand, match=f"truncated command at byte {store}") as raised:
        render(data)
    assert raised.value.offset == store


def test_columns_must_hold_a_character() -> None:
    with pytest.raises(ValueError, match="columns"):
        render(b"x", columns=0)


PIECES = [
    b"\x1b@",
    b"\x1bt\x13",
    b"\x1ba\x01",
    b"\x1b!\x30",
    b"\x1d!\x77",
    b"\x1bd\x03",
    b"\x1dV\x42\x00",
    b"\x1d(k\x04\x001A2\x00",
    b"\x1d(k",
    b"\n",
    b"\xd5",
]


def _too_slow(signum: int, frame: object) -> None:
    raise TimeoutError("render did not finish within a second")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.binary(max_size=16), max_size=64))
def test_arbitrary_bytes_render_or_raise_quickly(pieces: list[bytes]) -> None:
    """Either lines or UnknownCommand, within a second (an alarm breaks a hang)."""
    data = b"".join(pieces)
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        render(data, columns=1)
        render(data)
    except UnknownCommand:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
