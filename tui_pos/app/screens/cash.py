"""Cash: the amount handed over, typed the way cashiers say it, and the change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static

from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.field import Field
from tui_pos.checkout import Phase, SaleView
from tui_pos.money import parse_amount

NOTES = {"f5": 1000, "f6": 2000, "f7": 5000, "f8": 10000}


class CashScreen(TillScreen):
    """Takes ``amount`` (all or part of what is due) in cash."""

    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        *(Binding(key, f"note({cents})", f"€{cents // 100}") for key, cents in NOTES.items()),
    ]

    def __init__(self, amount: int) -> None:
        super().__init__()
        self.amount = amount

    def compose(self) -> ComposeResult:
        yield Static("Cash payment", id="title")
        yield BigAmount("To pay in cash", self.locale, id="amount")
        yield Field(placeholder="Handed over: 50 or 50,25 (Enter alone: exact)", id="tendered")
        yield BigAmount("Change", self.locale, id="change")
        yield Static(id="message")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#amount", BigAmount).show(self.amount)
        self.query_one(Input).focus()

    def show(self, view: SaleView) -> None:
        super().show(view)
        if view.phase is Phase.CASH:
            self.say("Recording the cash payment...")

    def on_input_changed(self, event: Input.Changed) -> None:
        tendered = parse_amount(event.value)
        change = max(tendered - self.amount, 0) if tendered is not None else 0
        self.query_one("#change", BigAmount).show(change)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        tendered = self.amount if not event.value.strip() else parse_amount(event.value)
        if tendered is None:
            self.say("Type the amount handed over, like 50 or 50,25.", error=True)
            return
        if tendered < self.amount:
            self.say(f"That is less than {self.money(self.amount)}.", error=True)
            return
        self.till_app.take_cash(tendered, self.amount)

    def action_note(self, cents: int) -> None:
        self.query_one(Input).value = f"{cents // 100}"
        self.on_input_submitted(Input.Submitted(self.query_one(Input), f"{cents // 100}"))

    def action_cancel(self) -> None:
        if self.till_app.view.phase is not Phase.CASH:
            self.dismiss()
