"""Help (built from the keys of the screen it is opened over) and Support (the doctor's
report, :mod:`tui_pos.doctor`): pages over the whole screen."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui_pos.app.console import key_name
from tui_pos.app.screens.base import size_notice


def own_bindings(node: object) -> Iterator[Binding]:
    """The bindings the till declares on ``node``'s class and the till's classes it
    derives from (not Textual's own, such as Tab for the focus)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("tui_pos."):
            continue
        declared: Iterable[BindingType] = cls.__dict__.get("BINDINGS", ())
        yield from (binding for binding in declared if isinstance(binding, Binding))


def key_rows(bindings: Iterable[Binding]) -> list[tuple[str, str]]:
    """(key, what it does) for each binding: its tooltip, else its footer label."""
    return [(key_name(b.key), b.tooltip or b.description) for b in bindings]


def help_text(sections: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """The help page: each section's heading, then its keys in a column."""
    rows = [row for _, section in sections for row in section]
    width = max((len(key) for key, _ in rows), default=0) + 2
    lines: list[str] = []
    for heading, section in sections:
        if section:
            lines.append(heading)
            lines += [f"  {key.ljust(width)}{what}" for key, what in section]
    return "\n".join(lines)


class InfoScreen(Screen[None]):
    """A page of text over the whole screen (scrolls when it is longer); Esc closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Close", tooltip="close this page")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="title", markup=False)
        with VerticalScroll(id="page"):
            yield Static(self.text, id="text", markup=False)
        yield Static("Esc: close", id="message")
        yield size_notice()
