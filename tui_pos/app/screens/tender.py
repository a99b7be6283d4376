"""Pay a part: the amount to pay now (default all that is due), then the method."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static

from tui_pos.app.messages import PayByCard, PayByPage, PayInCash
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.textual_fixes import Field
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.status import NO_TERMINAL_YET
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import SaleView
from tui_pos.money import parse_amount, typed_amount

PAGE_KEYS = ("f5", "f6")
"""The keys of the payment page methods Afosto offers (iDEAL, Payconiq), in its order."""


class TenderScreen(TillScreen):
    """Asks how much of ``due`` to pay now; typing replaces the amount offered."""

    TITLE = "Pay a part"

    BINDINGS = [
        Binding("f9", "pin", "PIN", tooltip="pay the amount by card (also Enter)"),
        Binding("f10", "cash", "Cash", tooltip="pay the amount in cash"),
        # Named in the methods line: the page methods Afosto offers for the order.
        Binding(
            "f5", "page(0)", "Page", show=False, tooltip="pay the amount on the first payment page"
        ),
        Binding(
            "f6", "page(1)", "Page", show=False, tooltip="pay the amount on the second payment page"
        ),
        Binding("escape", "dismiss", "Back", tooltip="back to the sale"),
    ]
    TYPED = (("amount", "how much to pay now (50 or 50,25): typing replaces it"),)

    def __init__(self, due: int) -> None:
        super().__init__()
        self.due = due

    def body(self) -> ComposeResult:
        yield Static("Pay a part", id="title")
        yield BigAmount("Due", self.locale, id="due")
        yield Static("Amount to pay now:", classes="caption")
        yield Field(id="part")
        yield Static(id="methods")
        yield Static(id="message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        field = self.query_one(Field)
        field.value = typed_amount(self.due, self.locale)
        self.set_focus(field)
        field.select_all()  # the first key typed replaces the amount offered

    def show(self, view: SaleView) -> None:
        super().show(view)
        due = self.query_one(BigAmount)
        due.locale = self.locale
        due.show(view.due)
        terminal = self.facts.terminal or NO_TERMINAL_YET
        pages = "".join(
            f"    {key.upper()}: {method.name}"
            for key, method in zip(PAGE_KEYS, view.page_methods, strict=False)
        )
        set_text(
            self.query_one("#methods", Static),
            f"F9: PIN ({terminal})    F10: cash{pages}    Esc: back",
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            index = parameters[0]
            return isinstance(index, int) and index < len(self.view.page_methods)
        return True

    def action_page(self, index: int) -> None:
        amount = self._amount()
        if amount is not None:
            self.post_message(PayByPage(self.view.page_methods[index].code, amount))

    def _amount(self) -> int | None:
        amount = parse_amount(self.query_one(Input).value)
        due = self.view.due
        if amount is None or not 0 < amount <= due:
            self.say(f"Type an amount above 0 and at most {self.money(due)}.", error=True)
            return None
        return amount

    def action_pin(self) -> None:
        amount = self._amount()
        if amount is not None:
            self.post_message(PayByCard(amount))

    def action_cash(self) -> None:
        amount = self._amount()
        if amount is not None:
            self.post_message(PayInCash(amount))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pin()
