"""Garbage in: what the cashier types or pastes, and what a scanner sends, fuzzed with
hypothesis. Never a crash, never a code sent to Afosto that is not one a barcode can
carry (printable ASCII, at most 64 characters, a GTIN only with its right check digit);
unknown codes and impossible counts are refused in words on the screen.

The fast tests run in-process (the entry parser, the engine's check, the scanner's
decoder, the app under Pilot); the chaos-marked one types and pastes into the real till
in its pty."""

from __future__ import annotations

import asyncio
import string
import struct
from collections.abc import Iterator

import pytest
from evdev import InputEvent, ecodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Input

from tests.support.chaoskit import (
    CODES,
    Chaos,
    RecordingSimulator,
    assert_no_invalid_code_sent,
    cart,
    chaos_world,
    scan,
)
from tests.support.keys import keystrokes
from tests.support.waiting import wait_for
from tui_pos.app import create_app
from tui_pos.app.entry import MAX_DIGITS, parse_entry
from tui_pos.app.runtime import Runtime
from tui_pos.checkout.codes import MAX_CODE_LENGTH, check_code
from tui_pos.checkout.errors import NotAllowed
from tui_pos.config import ScannerSettings, Settings
from tui_pos.gtin import Verdict, classify
from tui_pos.scanner import Decoder, Scan, ScanError, ScanProblem

PRINTABLE_ASCII = set(string.printable[:95])
UNKNOWN_EAN = "8712345678906"  # a right check digit, not in the shop's catalogue


def misread(code: str) -> str:
    """The code with its check digit wrong, as a bad scan or a typo gives it."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


# --- what can be typed ----------------------------------------------------------------

codes = st.one_of(
    st.sampled_from(CODES[:5]),
    st.sampled_from([misread(code) for code in CODES[:5]]),
    st.sampled_from([UNKNOWN_EAN, "BAG-PAPER", "GIFT-10", "x" * 65, "\x1b[20~", "\x1b[21~"]),
    st.text(st.characters(codec="ascii"), min_size=1, max_size=20),
    st.text(min_size=1, max_size=20),  # any Unicode: accents, CJK, emoji, controls
    st.text(min_size=65, max_size=300),  # overlong
    st.from_regex(r"[0-9]{7,14}", fullmatch=True),  # GTIN-shaped, check digit by chance
)
counts = st.one_of(st.integers(-3, 1200).map(str), st.just(""), st.sampled_from(["3 x ", "2X"]))
entries = st.one_of(
    codes,
    st.builds(lambda count, code: f"{count}*{code}", counts, codes),
    st.text(),  # anything at all, whitespace and line breaks included
)


@given(entries)
@settings(max_examples=500)
def test_the_entry_parser_takes_anything_and_yields_only_sane_entries(text: str) -> None:
    entry = parse_entry(text)
    if entry is not None:
        assert entry.code and not any(ch.isspace() for ch in entry.code)
        assert 0 <= entry.quantity <= 10**MAX_DIGITS  # the engine refuses 0 and > 999


@given(st.one_of(codes, st.text()))
@settings(max_examples=500)
def test_the_engine_lets_through_only_codes_a_barcode_can_carry(code: str) -> None:
    try:
        check_code(code)
    except NotAllowed as refusal:
        assert str(refusal)  # said in words
        return
    assert 0 < len(code) <= MAX_CODE_LENGTH
    assert set(code) <= PRINTABLE_ASCII - {" "}
    assert classify(code) is not Verdict.BAD_CHECK_DIGIT


@given(st.sampled_from([code for code in CODES if code.isdigit()]))
def test_every_wrong_check_digit_of_a_real_code_is_refused(code: str) -> None:
    with pytest.raises(NotAllowed, match="check digit"):
        check_code(misread(code))


# --- the app, under Pilot: the entry field to the wire --------------------------------


async def run_entries(texts: list[str], typed: bool) -> RecordingSimulator:
    sim = RecordingSimulator(admin=False, terminal_delay=0.05, invoice_delay=0.05)
    app = create_app(Runtime.demo_mode(Settings(), sim))
    async with app.run_test(size=(80, 24)) as pilot:
        entry = app.screen.query_one("#entry")
        for text in texts:
            if typed and text.isprintable() and len(text) <= 20:
                await pilot.press(*text, "enter")
            else:  # pasted (lines but the last are entered at once), then Enter
                entry.post_message(events.Paste(text))
                await pilot.pause()
                await pilot.press("enter")
            await pilot.pause()
        settled = lambda: app.view.synced and not app.view.busy  # noqa: E731
        await wait_for(pilot, settled, 10, "every valid scan sent")
        for line in app.view.lines:
            check_code(line.sku)
            assert 0 <= line.quantity <= 999
        app.scan(CODES[0])  # still taking scans
        assert any(line.sku == CODES[0] for line in app.view.lines)
    return sim


@given(st.lists(entries, min_size=1, max_size=6), st.booleans())
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fuzzed_entries_through_the_app_send_no_invalid_code(texts: list[str], typed: bool) -> None:
    sim = asyncio.run(run_entries(texts, typed))
    assert_no_invalid_code_sent(sim)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (UNKNOWN_EAN, f"Afosto does not sell {UNKNOWN_EAN}"),
        (misread(CODES[0]), "wrong check digit"),
        ("x" * 65, "too long"),
        ("ABC\u00e9", "characters no barcode has"),
        (f"1000*{CODES[0]}", f"Not added: a count is from 1 to 999, like 3*{CODES[0]}."),
        (f"0*{CODES[0]}", f"Not added: a count is from 1 to 999, like 3*{CODES[0]}."),
        (f"{'9' * 40}*{CODES[0]}", f"Not added: a count is from 1 to 999, like 3*{CODES[0]}."),
    ],
)
async def test_unknown_codes_and_impossible_counts_are_refused_clearly(
    typed: str, said: str
) -> None:
    sim = RecordingSimulator(admin=False, terminal_delay=0.05, invoice_delay=0.05)
    app = create_app(Runtime.demo_mode(Settings(), sim))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*CODES[1], "enter")
        settled = lambda: app.view.synced and not app.view.busy  # noqa: E731
        await wait_for(pilot, settled, 5, "the first code confirmed")
        app.screen.query_one("#entry", Input).value = typed
        await pilot.press("enter")
        message = lambda: str(app.screen.query_one("#message").render())  # noqa: E731
        await wait_for(pilot, lambda: said in message(), 5, f"{said!r} said")
        assert [(line.sku, line.quantity) for line in app.view.lines] == [(CODES[1], 1)]
    sent = sim.skus_sent()
    assert set(sent) <= {CODES[1], UNKNOWN_EAN}, sent  # only the unknown code asks Afosto
    assert_no_invalid_code_sent(sim)


# --- the scanner's decoder ------------------------------------------------------------

KEY_CODES = [code for name, code in ecodes.ecodes.items() if name.startswith("KEY_")]
INPUT_EVENT = struct.Struct("qqHHi")  # struct input_event on a 64-bit kernel
raw_events = st.binary(min_size=INPUT_EVENT.size, max_size=INPUT_EVENT.size * 64).map(
    lambda data: [
        InputEvent(*INPUT_EVENT.unpack_from(data, offset))
        for offset in range(0, len(data) - INPUT_EVENT.size + 1, INPUT_EVENT.size)
    ]
)
key_events = st.lists(
    st.one_of(
        st.builds(
            lambda code, value: InputEvent(0, 0, ecodes.EV_KEY, code, value),
            st.one_of(st.sampled_from(KEY_CODES), st.integers(0, 0x2FF)),
            st.sampled_from([0, 1, 1, 1, 2]),
        ),
        st.just(InputEvent(0, 0, ecodes.EV_SYN, ecodes.SYN_DROPPED, 0)),
        st.just(InputEvent(0, 0, ecodes.EV_SYN, ecodes.SYN_REPORT, 0)),
    ),
    max_size=200,
)


def decode(events_: list[InputEvent]) -> Iterator[Scan | ScanError]:
    decoder = Decoder(ScannerSettings())
    for event in events_:
        result = decoder.feed(event)
        if result is not None:
            yield result


@given(st.one_of(raw_events, key_events))
@settings(max_examples=400)
def test_the_decoder_survives_any_events_and_gives_only_whole_codes(
    events_: list[InputEvent],
) -> None:
    for result in decode(events_):
        if isinstance(result, ScanError):
            assert result.problem in ScanProblem
            continue
        assert 0 < len(result.code) <= ScannerSettings().max_length
        assert set(result.code) <= PRINTABLE_ASCII
        assert classify(result.code) is not Verdict.BAD_CHECK_DIGIT


@given(st.text(sorted(PRINTABLE_ASCII), min_size=2, max_size=40), st.data())
def test_a_scan_cut_by_unplugging_leaves_no_half_code(code: str, data: st.DataObject) -> None:
    """Unplugged mid-scan (the reader resets the decoder) and plugged back: the next
    whole scan is the only code, never the half one nor the two run together."""
    cut = data.draw(st.integers(1, len(code) - 1))
    decoder = Decoder(ScannerSettings())
    results = [decoder.feed(event) for event in keystrokes(code[:cut], terminator=None)]
    decoder.reset()  # the device went away
    results += [decoder.feed(event) for event in keystrokes(CODES[0])]
    assert [r for r in results if r is not None] == [Scan(CODES[0])]


@given(st.text(sorted(PRINTABLE_ASCII), min_size=2, max_size=40), st.data())
def test_events_lost_by_the_kernel_spoil_only_that_scan(code: str, data: st.DataObject) -> None:
    """SYN_DROPPED anywhere before a code's terminator: that code is refused as a whole
    (the cashier is asked to scan again), the next one is intact."""
    strokes = keystrokes(code)
    cut = data.draw(st.integers(0, len(strokes) - 6))  # up to the terminator's key press
    lost = InputEvent(0, 0, ecodes.EV_SYN, ecodes.SYN_DROPPED, 0)
    events_ = [*strokes[:cut], lost, *strokes[cut:], *keystrokes(CODES[0])]
    assert list(decode(events_)) == [ScanError(ScanProblem.INTERRUPTED), Scan(CODES[0])]


# --- the real till: typed and pasted garbage into its pty -----------------------------

NOT_TYPED = {0x11, 0x13, 0x1B}
"""Ctrl+Q (quits, as it should), Ctrl+S (the support screen) and Esc (which starts the
function keys: F9 would take a payment): keys with a meaning of their own."""


@pytest.fixture(scope="module")
def fuzzed_till(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    with chaos_world(tmp_path_factory.mktemp("fuzz")) as world:
        # A first sale line, so the engine is up: while it loads, just after the first
        # paint, keys wait in line, and settle's Ctrl+U would run after the marker.
        scan(world, world.start_till(), CODES[0])
        yield world


probe_counter = iter(range(1_000_000))


def settle(world: Chaos) -> None:
    """Until the till has handled everything typed so far: a marker typed after it shows
    in the entry field (keys are handled in order), then is wiped with Ctrl+U (typed on
    its own: Textual runs a key binding after the keys already queued)."""
    till = world.tills[-1]
    marker = f"zq{next(probe_counter)}"
    till.press("ctrl+u")
    till.write(marker.encode())
    till.wait_for(marker, seconds=15)
    till.press("ctrl+u")
    till.pump(0.1)


@pytest.mark.chaos
@given(st.one_of(entries, st.binary(max_size=300)))
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_garbage_typed_and_pasted_into_the_real_till(
    fuzzed_till: Chaos, garbage: str | bytes
) -> None:
    till = fuzzed_till.tills[-1]
    if isinstance(garbage, bytes):  # typed: any bytes, invalid UTF-8 included
        till.write(bytes(b for b in garbage if b not in NOT_TYPED) + b"\r")
    else:  # pasted: any text (the terminal drops ESC from it, see TillProcess.paste)
        till.paste(garbage + "\n")
    settle(fuzzed_till)
    assert till.alive(), f"the till died:\n{till.text}"
    assert_no_invalid_code_sent(fuzzed_till.sim)  # type: ignore[arg-type]
    for sku in cart(fuzzed_till.state_dir):
        check_code(sku)


@pytest.mark.chaos
def test_after_the_garbage_the_till_still_sells(fuzzed_till: Chaos) -> None:
    till = fuzzed_till.tills[-1]
    scan(fuzzed_till, till, CODES[0])
    assert till.alive()
    assert_no_invalid_code_sent(fuzzed_till.sim)  # type: ignore[arg-type]
