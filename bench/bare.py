"""The baseline: a bare Textual app showing the sale screen's widgets, nothing else.

A title, a four-column table, an input with the till's placeholder, a message line, a
caption over big digits, a status line and a footer with the same keys, laid out as
the till lays them out; Textual's defaults for everything else (the input's cursor
blinks, as Textual's does). It imports Textual only: no settings, no HTTP client, no
journal. ``python -m bench.bare``; ``--no-blink`` turns the cursor's blinking off,
which leaves only what Textual itself does while idle; ``--libraries`` loads the
libraries the till's stack prescribes first (see :func:`load_libraries`), to tell what
they cost from what the till's own code costs.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Digits, Footer, Input, Label, Static

PLACEHOLDER = "Scan or type a code (3*code for three)"

CSS = """
#title { height: 1; padding: 0 1; background: $primary; }
#cart { height: 1fr; border: solid $primary; }
#bottom { height: 6; }
#entry-area { width: 1fr; }
#due { width: auto; min-width: 30; height: auto; border: solid $success; }
#due Digits { width: auto; padding: 0 1; }
#status { height: 1; padding: 0 1; background: $panel; }
"""


def load_libraries() -> list[object]:
    """What the till's libraries hold once it runs: pydantic with a model and a settings
    class, an httpx client (its TLS context) and an SQLite connection."""
    import sqlite3

    import httpx
    import pydantic
    import pydantic_settings

    class Probe(pydantic.BaseModel):
        amount: int

    class ProbeSettings(pydantic_settings.BaseSettings):
        locale: str = "nl"

    database = sqlite3.connect(":memory:")
    database.execute("create table t (x)")
    return [Probe(amount=1), ProbeSettings(), httpx.AsyncClient(), database]


class BareApp(App[None]):
    CSS = CSS
    BINDINGS = [
        Binding("f1", "noop", "Help"),
        Binding("f2", "noop", "Qty"),
        Binding("f3", "noop", "Later"),
        Binding("f4", "noop", "Void"),
        Binding("f8", "noop", "Part"),
        Binding("f9", "noop", "PIN"),
        Binding("f10", "noop", "Cash"),
        Binding("ctrl+s", "noop", "Support"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("New sale  |  0 items", id="title")
        yield DataTable(id="cart", cursor_type="row")
        with Horizontal(id="bottom"):
            with Vertical(id="entry-area"):
                yield Input(placeholder=PLACEHOLDER, id="entry")
                yield Static(id="message")
            with Vertical(id="due"):
                yield Label("To pay")
                yield Digits("€ 0,00")
        yield Static(
            "Afosto: not asked yet | No USB scanner | Terminal: not known yet", id="status"
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Item", 38), ("Qty", 4), ("Price", 11), ("Total", 12)):
            table.add_column(label, width=width)
        entry = self.query_one(Input)
        entry.cursor_blink = "--no-blink" not in sys.argv
        entry.focus()

    def action_noop(self) -> None:
        pass


if __name__ == "__main__":
    held = load_libraries() if "--libraries" in sys.argv else []
    BareApp().run()
