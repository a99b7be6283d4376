"""Each fix of :mod:`tui_pos.app.textual_fixes` against the installed Textual: a test
fails when an upgrade makes the fix wrong (what it hooks has moved) or needless
(Textual does it by itself, and the fix should go)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import Input

from tests.support.appkit import font_glyphs
from tests.support.waiting import wait_for
from tui_pos.app import textual_fixes
from tui_pos.app.textual_fixes import (
    BlockScrollBarRender,
    Field,
    KeyTapApp,
    LineField,
    tolerate_stray_bytes,
    use_block_scrollbars,
)


def test_textual_still_decodes_the_keyboard_strictly_where_the_fix_hooks_in() -> None:
    from textual.drivers import linux_driver

    source = inspect.getsource(linux_driver)
    # needless once Textual decodes leniently itself; wrong once it decodes elsewhere
    assert 'getincrementaldecoder("utf-8")().decode' in source
    tolerate_stray_bytes()
    decode = linux_driver.getincrementaldecoder("utf-8")().decode  # type: ignore[attr-defined]
    assert decode(b"\xff5") == "\ufffd5"


def test_textual_s_scrollbars_still_need_glyphs_the_console_lacks() -> None:
    assert set(ScrollBarRender.VERTICAL_BARS) - font_glyphs()  # else the fix is needless
    assert "self.renderer" in inspect.getsource(ScrollBar.render)  # where the fix hooks in
    use_block_scrollbars()
    assert ScrollBar.renderer is BlockScrollBarRender
    assert set(BlockScrollBarRender.VERTICAL_BARS) <= font_glyphs()


class Fields(App[None]):
    def __init__(self, field: Input) -> None:
        super().__init__()
        self.field = field
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.field

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.lines.append(event.value)
        event.input.value = ""


def whole_refreshes(field: Input, monkeypatch: Any) -> list[object]:
    """Each refresh of ``field`` as a whole (no region): its border and a layout."""
    calls: list[object] = []
    original = Input.refresh

    def refresh(self: Input, *regions: Any, **kwargs: Any) -> Any:
        if self is field and not regions:
            calls.append(kwargs)
        return original(self, *regions, **kwargs)

    monkeypatch.setattr(Input, "refresh", refresh)
    return calls


async def test_an_input_still_repaints_itself_whole_for_a_new_value(monkeypatch: Any) -> None:
    plain = Input()
    async with Fields(plain).run_test() as pilot:
        calls = whole_refreshes(plain, monkeypatch)
        plain.value = "8712"
        await pilot.pause()
        assert calls  # else Field's text-only repaint is needless


async def test_a_field_repaints_its_text_only_and_shows_it(monkeypatch: Any) -> None:
    field = Field()
    app = Fields(field)
    async with app.run_test() as pilot:
        calls = whole_refreshes(field, monkeypatch)
        with field.text_only():
            field.value = "8712"
        await pilot.pause()
        assert not calls
        assert "8712" in field.render_line(0).text


def keys(app: App[None], text: str) -> None:
    for char in text:
        key = "enter" if char == "\n" else char
        app.post_message(events.Key(key, None if char == "\n" else char))


async def test_an_input_still_runs_enter_after_the_keys_queued() -> None:
    app = Fields(Input())
    async with app.run_test() as pilot:
        keys(app, "12\n34\n")
        await wait_for(pilot, lambda: len(app.lines) == 2)
        assert app.lines == ["1234", "1234"]  # else LineField's own Enter is needless


async def test_an_input_still_drops_all_but_the_first_pasted_line() -> None:
    app = Fields(Input())
    async with app.run_test() as pilot:
        app.field.post_message(events.Paste("12\n34"))
        await wait_for(pilot, lambda: bool(app.field.value))
        assert app.field.value == "12"  # else LineField's paste is needless


class Lines(LineField):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def line_entered(self, text: str) -> None:
        self.lines.append(text)


async def test_a_line_field_hands_over_lines_in_order() -> None:
    field = Lines()
    app = Fields(field)
    async with app.run_test() as pilot:
        keys(app, "12\n34\n")
        await wait_for(pilot, lambda: len(field.lines) == 2)
        field.post_message(events.Paste("56\n78"))
        await wait_for(pilot, lambda: len(field.lines) == 4)
        assert field.lines == ["12", "34", "56", "78"] and field.value == ""


class Tapping(KeyTapApp):
    def __init__(self) -> None:
        super().__init__()
        self.tapped: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input()

    def tap_key(self, event: events.Key) -> bool:
        self.tapped.append(event.key)
        return event.key == "x"


async def test_the_app_sees_each_key_before_the_focused_field() -> None:
    app = Tapping()
    async with app.run_test() as pilot:
        await pilot.press("a", "x", "b")
        await wait_for(pilot, lambda: app.query_one(Input).value == "ab")
        assert app.tapped == ["a", "x", "b"]


class Asking(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Input()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))


class Page(Screen[None]):
    BINDINGS = [("o", "ask")]

    def action_ask(self) -> None:
        self.app.push_screen(Asking())


def fast_keys(app: App[None], keys: str) -> None:
    """Keys back to back, as they come when typed fast on a busy till."""
    for key in keys:
        app.post_message(events.Key(key, key))


class PlainApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Page())


class PassingApp(KeyTapApp):
    def on_mount(self) -> None:
        self.push_screen(Page())


async def test_textual_still_loses_the_keys_behind_one_that_opens_a_dialog() -> None:
    app = PlainApp()
    async with app.run_test() as pilot:
        fast_keys(app, "o25")
        await wait_for(pilot, lambda: isinstance(app.screen, Asking) and app.screen.is_mounted)
        await pilot.pause()
        assert app.screen.query_one(Input).value == ""


async def test_keys_behind_one_that_opens_a_dialog_go_into_it() -> None:
    app = PassingApp()
    async with app.run_test() as pilot:
        fast_keys(app, "o25")
        await wait_for(pilot, lambda: isinstance(app.screen, Asking))
        await wait_for(pilot, lambda: app.screen.query_one(Input).value == "25")


def test_nothing_else_in_the_till_touches_textual_s_internals() -> None:
    """The overrides and private names of Textual live in textual_fixes only."""
    import tui_pos

    hooks = ("_on_key", "_on_paste", "on_event", "_thread_id", "ScrollBar.renderer")
    root = Path(inspect.getfile(tui_pos)).parent
    fixes = Path(inspect.getfile(textual_fixes))
    for path in Path(root).rglob("*.py"):
        if path == fixes:
            continue
        text = path.read_text(encoding="utf-8")
        found = [hook for hook in hooks if hook in text]
        assert not found, f"{path.relative_to(root)} touches {found}"
