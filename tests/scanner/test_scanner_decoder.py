"""The decoder, fed real evdev events as a USB keyboard sends them."""

from __future__ import annotations

import string

import pytest
from evdev import InputEvent, ecodes
from hypothesis import given
from hypothesis import strategies as st

from tests.support.keys import PRINTABLE, dropped, event, key, keystrokes, tap
from tui_pos.config import ConfigError, ScannerSettings
from tui_pos.gtin import Verdict, classify
from tui_pos.scanner import Decoder, Scan, ScanError, ScanProblem, ScanResult

KEYPAD = [f"KEY_KP{digit}" for digit in string.digits]
KEYPAD += ["KEY_KPMINUS", "KEY_KPPLUS", "KEY_KPASTERISK", "KEY_KPSLASH", "KEY_KPDOT"]


def decode(events: list[InputEvent], **settings: object) -> list[ScanResult]:
    """Every result a fresh decoder gives for ``events``, in order."""
    decoder = Decoder(ScannerSettings.model_validate(settings))
    return [result for result in map(decoder.feed, events) if result is not None]


@pytest.mark.parametrize("shift", ["KEY_LEFTSHIFT", "KEY_RIGHTSHIFT"])
def test_every_printable_ascii_character(shift: str) -> None:
    assert decode(keystrokes(PRINTABLE, shift=shift), max_length=100) == [Scan(PRINTABLE)]


@pytest.mark.parametrize("shift", ["KEY_LEFTSHIFT", "KEY_RIGHTSHIFT"])
def test_shifted_letters_and_code_128_punctuation(shift: str) -> None:
    assert decode(keystrokes("BAG-paper/2.5+$%", shift=shift)) == [Scan("BAG-paper/2.5+$%")]


def test_shift_held_over_several_keys_and_released_by_the_other_hand() -> None:
    events = key("KEY_LEFTSHIFT", 1) + tap("KEY_A") + key("KEY_RIGHTSHIFT", 1) + tap("KEY_B")
    events += key("KEY_LEFTSHIFT", 0) + tap("KEY_4") + key("KEY_RIGHTSHIFT", 0) + tap("KEY_C")
    assert decode(events + tap("KEY_ENTER")) == [Scan("AB$c")]


@pytest.mark.parametrize("shift", [False, True])
def test_keypad_keys_ignore_shift(shift: bool) -> None:
    events = [ev for name in KEYPAD for ev in tap(name)]
    if shift:
        events = key("KEY_LEFTSHIFT", 1) + events + key("KEY_LEFTSHIFT", 0)
    assert decode(events + tap("KEY_KPENTER")) == [Scan("0123456789-+*/.")]


def test_key_repeats_are_ignored() -> None:
    events = keystrokes("A1")
    repeats = [event(ecodes.EV_KEY, ecodes.KEY_A, 2), event(ecodes.EV_KEY, ecodes.KEY_1, 2)]
    assert decode(events[:8] + repeats + events[8:]) == [Scan("A1")]


def test_other_event_types_and_releases_type_nothing() -> None:
    noise = [event(ecodes.EV_LED, ecodes.LED_NUML, 1), event(ecodes.EV_MSC, ecodes.MSC_SCAN, 7)]
    assert decode(noise + key("KEY_X", 0) + keystrokes("x")) == [Scan("x")]


@given(st.text(PRINTABLE, min_size=1, max_size=64))
def test_any_text_round_trips_unless_it_is_a_bad_gtin(text: str) -> None:
    expected: ScanResult = Scan(text)
    if classify(text) is Verdict.BAD_CHECK_DIGIT:
        expected = ScanError(ScanProblem.BAD_CHECK_DIGIT)
    assert decode(keystrokes(text)) == [expected]


@pytest.mark.parametrize("terminator", ["KEY_ENTER", "KEY_KPENTER", "KEY_TAB"])
def test_each_default_terminator_ends_a_code(terminator: str) -> None:
    assert decode(keystrokes("SKU-1", terminator) + keystrokes("SKU-2", terminator)) == [
        Scan("SKU-1"),
        Scan("SKU-2"),
    ]


def test_configured_terminators_replace_the_defaults() -> None:
    settings = {"terminators": ["KEY_F12"]}
    assert decode(keystrokes("SKU", "KEY_F12"), **settings) == [Scan("SKU")]
    assert decode(keystrokes("SKU", "KEY_ENTER"), **settings) == [
        ScanError(ScanProblem.UNKNOWN_KEY)
    ]


def test_an_unknown_terminator_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"scanner\.terminators: 'ENTER'"):
        Decoder(ScannerSettings(terminators=["ENTER"]))


def test_a_terminator_alone_is_ignored() -> None:
    assert decode(tap("KEY_ENTER") + tap("KEY_TAB") + keystrokes("]C1")) == [Scan("]C1")]


def test_prefix_and_suffix_are_stripped() -> None:
    events = keystrokes("]E04006381333931#") + keystrokes("]C1BAG-PAPER#") + keystrokes("]E0#")
    assert decode(events, prefix="]E0", suffix="#") == [Scan("4006381333931"), Scan("]C1BAG-PAPER")]


def test_a_missing_prefix_or_suffix_is_tolerated() -> None:
    assert decode(keystrokes("96385074"), prefix="*", suffix="*") == [Scan("96385074")]


def test_bad_check_digit_is_refused_and_never_returned_as_a_code() -> None:
    events = keystrokes("4006381333932") + keystrokes("4006381333931")
    assert decode(events) == [ScanError(ScanProblem.BAD_CHECK_DIGIT), Scan("4006381333931")]


def test_overlong_code_is_discarded_once_and_the_next_scan_works() -> None:
    events = keystrokes("ABCDEFGHI") + keystrokes("ABCDEFGH")
    assert decode(events, max_length=8) == [ScanError(ScanProblem.TOO_LONG), Scan("ABCDEFGH")]


def test_the_length_limit_leaves_room_for_prefix_and_suffix() -> None:
    assert decode(keystrokes("<ABCDEFGH>"), max_length=8, prefix="<", suffix=">") == [
        Scan("ABCDEFGH")
    ]


def test_unknown_key_mid_code_discards_the_code() -> None:
    events = keystrokes("40063", None) + tap("KEY_F1") + keystrokes("81333931")
    events += keystrokes("96385074")
    assert decode(events) == [ScanError(ScanProblem.UNKNOWN_KEY), Scan("96385074")]


def test_a_modifier_other_than_shift_is_an_unknown_key() -> None:
    events = key("KEY_LEFTALT", 1) + tap("KEY_KP6") + tap("KEY_KP5") + key("KEY_LEFTALT", 0)
    assert decode(events + tap("KEY_ENTER")) == [ScanError(ScanProblem.UNKNOWN_KEY)]


def test_syn_dropped_mid_code_discards_it_and_is_reported() -> None:
    events = [*keystrokes("400638", None), dropped(), *keystrokes("1333931")]
    events += keystrokes("96385074")
    assert decode(events) == [ScanError(ScanProblem.INTERRUPTED), Scan("96385074")]


def test_syn_dropped_forgets_a_held_shift_whose_release_was_lost() -> None:
    events = [*key("KEY_LEFTSHIFT", 1), dropped(), *tap("KEY_ENTER"), *keystrokes("abc")]
    assert decode(events) == [ScanError(ScanProblem.INTERRUPTED), Scan("abc")]


def test_reset_forgets_a_partial_code() -> None:
    decoder = Decoder(ScannerSettings())
    for ev in keystrokes("40063", None):
        decoder.feed(ev)
    decoder.reset()
    results = [decoder.feed(ev) for ev in keystrokes("96385074")]
    assert [result for result in results if result] == [Scan("96385074")]
