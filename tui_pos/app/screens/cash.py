"""Cash: the amount handed over, typed the way cashiers say it, and the change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static

from tui_pos.app.messages import TakeCash
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.textual_fixes import Field
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.checkout import Phase, SaleView
from tui_pos.money import parse_amount

NOTES = {"f5": 1000, "f6": 2000, "f7": 5000, "f8": 10000}


class CashScreen(TillScreen):
    """Takes ``amount`` (all or part of what is due) in cash."""

    TITLE = "Cash payment"

    BINDINGS = [
        Binding("escape", "cancel", "Back", tooltip="back to the sale"),
        *(
            Binding(key, f"note({cents})", f"€{cents // 100}", tooltip="handed over")
            for key, cents in NOTES.items()
        ),
    ]
    TYPED = (
        ("amount + Enter", "what the customer handed over (50 or 50,25)"),
        ("Enter alone", "the exact amount"),
    )

    def __init__(self, amount: int) -> None:
        super().__init__()
        self.amount = amount

    def body(self) -> ComposeResult:
        yield Static("Cash payment", id="title")
        yield BigAmount("To pay in cash", self.locale, id="amount")
        yield Field(placeholder="Handed over: 50 or 50,25 (Enter alone: exact)", id="tendered")
        yield BigAmount("Change", self.locale, id="change")
        yield Static(id="message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.set_focus(self.query_one(Input))

    def show(self, view: SaleView) -> None:
        super().show(view)
        for amount in self.query(BigAmount).results(BigAmount):
            amount.locale = self.locale
        self.query_one("#amount", BigAmount).show(self.amount)
        if view.phase is Phase.CASH:
            self.say("Recording the cash payment...")

    def on_input_changed(self, event: Input.Changed) -> None:
        tendered = parse_amount(event.value)
        change = max(tendered - self.amount, 0) if tendered is not None else 0
        self.query_one("#change", BigAmount).show(change)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._take(event.value)

    def _take(self, typed: str) -> None:
        tendered = self.amount if not typed.strip() else parse_amount(typed)
        if tendered is None:
            self.say("Type the amount handed over, like 50 or 50,25.", error=True)
            return
        if tendered < self.amount:
            self.say(f"That is less than {self.money(self.amount)}.", error=True)
            return
        self.post_message(TakeCash(tendered, self.amount))

    def action_note(self, cents: int) -> None:
        self.query_one(Input).value = f"{cents // 100}"
        self._take(f"{cents // 100}")

    def action_cancel(self) -> None:
        if self.view.phase is not Phase.CASH:
            self.dismiss()
