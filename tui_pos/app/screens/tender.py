"""Pay a part: the amount to pay now (default all that is due), then the method."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static

from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.field import Field
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import SaleView
from tui_pos.money import parse_amount, typed_amount


class TenderScreen(TillScreen):
    BINDINGS = [
        Binding("f9", "pin", "PIN"),
        Binding("f10", "cash", "Cash"),
        Binding("escape", "dismiss", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Pay a part", id="title")
        yield BigAmount("Due", self.locale, id="due")
        yield Static("Amount to pay now:", classes="caption")
        yield Field(id="part")
        yield Static(id="methods")
        yield Static(id="message")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        due = self.till_app.view.due
        field = self.query_one(Input)
        field.value = typed_amount(due, self.locale)
        field.focus()

    def show(self, view: SaleView) -> None:
        super().show(view)
        self.query_one(BigAmount).show(view.due)
        set_text(
            self.query_one("#methods", Static),
            f"F9: PIN ({self.till_app.terminal_summary()})    F10: cash    Esc: back",
        )

    def _amount(self) -> int | None:
        amount = parse_amount(self.query_one(Input).value)
        due = self.till_app.view.due
        if amount is None or not 0 < amount <= due:
            self.say(f"Type an amount above 0 and at most {self.money(due)}.", error=True)
            return None
        return amount

    def action_pin(self) -> None:
        amount = self._amount()
        if amount is not None:
            self.dismiss()
            self.till_app.action_pay_pin(amount)

    def action_cash(self) -> None:
        amount = self._amount()
        if amount is not None:
            self.dismiss()
            self.till_app.action_pay_cash(amount)

    def on_input_submitted(self) -> None:
        self.action_pin()
