"""The sale screen: the entry field, the cart, what is due, and the status line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from tui_pos.app.entry import parse_entry
from tui_pos.app.messages import (
    CustomerWanted,
    DayWanted,
    PayByCard,
    PayInCash,
    PayPart,
    SetAside,
    SetQuantity,
    ToggleLater,
    VoidLine,
)
from tui_pos.app.screens.base import MIN_SIZE, TillScreen
from tui_pos.app.textual_fixes import LineField
from tui_pos.app.wedge import MAX_GAP
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.cart import Cart
from tui_pos.app.widgets.status import StatusLine
from tui_pos.app.widgets.text import count_of, set_text
from tui_pos.checkout import SaleView

ENTRY_HINT = "Scan or type a code (3*code for three)"


def shorten(text: str, room: int) -> str:
    """``text`` in at most ``room`` cells (a wide character or an emoji takes two), cut
    with "..." (the console has no ellipsis)."""
    if cell_len(text) <= room:
        return text
    return f"{set_cell_size(text, max(room - 3, 0)).rstrip()}..."


class EntryField(LineField):
    """Always ready for a scan or a typed code; Delete on an empty entry voids a line.

    Typed text is painted once the keys pause for a wedge burst's gap (or with the Enter
    that clears it): a scanned code is painted once, with its line."""

    hold = MAX_GAP

    def line_entered(self, text: str) -> None:
        screen = self.screen
        if isinstance(screen, SaleScreen):
            screen.enter(text)

    def action_delete_right(self) -> None:
        if self.value:
            super().action_delete_right()
        else:
            self.call_next(self.run_action, "screen.void_line")


class SaleScreen(TillScreen):
    TITLE = "Sale"
    BINDINGS = [
        Binding("f2", "quantity", "Qty", tooltip="set the selected line's quantity"),
        Binding("f3", "later", "Later", tooltip="invoice the selected line later (or not)"),
        Binding("f4", "void_line", "Void", tooltip="void the selected line (also Del)"),
        Binding(
            "f8",
            "pay_part",
            "Part",
            tooltip="pay a part or on a payment page: the amount, then how",
        ),
        Binding("f9", "pay_card", "PIN", tooltip="pay all that is due by card"),
        Binding("f10", "pay_cash", "Cash", tooltip="pay all that is due in cash"),
        # Said in the message line when it applies (the footer has no room left); a
        # priority over the entry field's own Ctrl+X (cut) only while it applies.
        Binding(
            "ctrl+x",
            "set_aside",
            "Set aside",
            show=False,
            priority=True,
            tooltip="set aside a sale whose order is gone from Afosto",
        ),
        Binding("f6", "print_receipt", "Reprint", show=False, tooltip="reprint the last receipt"),
        Binding("f7", "no_sale", "No sale", show=False, tooltip="open the cash drawer (no sale)"),
        Binding("f12", "day", "Day", tooltip="the day: X report, cash in and out, closing"),
        Binding(
            "f5", "customer", "Customer", show=False, tooltip="find, change or remove the customer"
        ),
        Binding("up", "move(-1)", "Up", show=False, tooltip="select the line above"),
        Binding("down", "move(1)", "Down", show=False, tooltip="select the line below"),
    ]
    TYPED = (
        ("code + Enter", "add one (a scan does the same)"),
        ("3*code + Enter", "add three (only * counts)"),
    )

    def __init__(self, on_code: Callable[[str, int], None]) -> None:
        """``on_code(code, quantity)`` takes each code entered. A callback, not a message
        as for the other keys: a message's way through the screen's queue and the app's
        let the cleared field be painted first, and the line waited two frames for the
        next (the bench: scan to line p50 38 ms against 11 ms called at once)."""
        super().__init__()
        self.on_code = on_code
        self.entry_ready = asyncio.Event()
        """Set once the entry field has the focus: a key handled sooner would be lost."""

    def body(self) -> ComposeResult:
        yield Static(id="title")
        yield Cart(self.locale, id="cart")
        with Horizontal(id="bottom"):
            with Vertical(id="entry-area"):
                yield EntryField(placeholder=ENTRY_HINT, id="entry")
                yield Static(id="message")
            yield BigAmount("To pay", self.locale, id="due")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(EntryField))
        self.entry_ready.set()
        super().on_mount()

    def show(self, view: SaleView) -> None:
        super().show(view)
        if view.card_unconfirmed:  # which key checks it, whatever the message says
            why = view.error or "A card payment is not confirmed: it may still go through."
            self.say(f"{why} F9: check it now.", error=True)
        elif view.page is not None and view.page.unconfirmed:
            why = view.error or f"The {view.page.method.name} page may still be paid."
            self.say(f"{why} F9: show the page and check it.", error=True)
        facts = self.facts
        count = sum(line.quantity for line in view.lines)
        title = f"Sale {view.order_number}" if view.order_number and view.lines else "New sale"
        words = f"{title}  |  {count_of(count, 'item')}"
        if view.customer is not None:  # as much of the name as fits the title's line
            room = max(self.size.width, MIN_SIZE[0]) - len(words) - 7
            words = f"{words}  |  {shorten(view.customer.label, room)}"
        set_text(self.query_one("#title", Static), words, layout=False)
        cart, due = self.query_one(Cart), self.query_one(BigAmount)
        cart.locale = due.locale = self.locale  # known once the settings are read
        cart.show(view.lines, set(view.held))
        caption = "To pay" if not view.paid else f"Still to pay (paid {self.money(view.paid)})"
        due.show(view.due, caption)
        self.query_one(StatusLine).show(facts)

    def enter(self, text: str) -> None:
        """A code typed or scanned into the entry field, with Enter."""
        if not text.strip():
            return
        entry = parse_entry(text)
        if entry is None:
            self.say("Type a code, or a count and a code like 3*8712345678906.", error=True)
            return
        self.on_code(entry.code, entry.quantity)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_aside":  # only for a sale whose order is gone from Afosto
            return self.view.order_gone
        return True

    def action_set_aside(self) -> None:
        self.post_message(SetAside())

    def action_day(self) -> None:
        self.post_message(DayWanted())

    def action_customer(self) -> None:
        self.post_message(CustomerWanted())

    def action_pay_card(self) -> None:
        self.post_message(PayByCard())

    def action_pay_cash(self) -> None:
        self.post_message(PayInCash())

    def action_pay_part(self) -> None:
        self.post_message(PayPart())

    def action_move(self, step: int) -> None:
        cart = self.query_one(Cart)
        if cart.row_count:
            cart.move_cursor(cart.cursor_row + step)

    def _selected(self) -> str | None:
        sku = self.query_one(Cart).selected_sku
        if sku is None:
            self.say("No line to act on: scan an item first.", error=True)
        return sku

    def action_void_line(self) -> None:
        sku = self._selected()
        if sku is not None:
            self.post_message(VoidLine(sku))

    def action_later(self) -> None:
        """Leave the selected line out of the invoice made at the end (or put it back)."""
        sku = self._selected()
        if sku is not None:
            self.post_message(ToggleLater(sku))

    def action_quantity(self) -> None:
        from tui_pos.app.screens.prompts import QuantityPrompt

        sku = self._selected()
        if sku is None:
            return
        line = next(line for line in self.view.lines if line.sku == sku)

        def apply(quantity: int | None) -> None:
            if quantity is not None:
                self.post_message(SetQuantity(sku, quantity))

        self.app.push_screen(QuantityPrompt(line.label or sku, line.quantity), apply)
