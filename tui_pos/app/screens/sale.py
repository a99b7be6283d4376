"""The sale screen: the entry field, the cart, what is due, and the status line."""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from tui_pos.app.entry import parse_entry
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.wedge import MAX_GAP
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.cart import Cart
from tui_pos.app.widgets.field import Field
from tui_pos.app.widgets.status import StatusLine
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import SaleView


class EntryField(Field):
    """Always ready for a scan or a typed code; Delete on an empty entry voids a line.

    Enter is handled in order with the keys before it: Textual runs key bindings after
    the keys already queued, so a scanner typing two codes in one burst would otherwise
    run them together. Typed text is painted once the keys pause for a wedge burst's
    gap (or with the Enter that clears it): a scanned code is painted once, with its line."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit_text(self.value)
            return
        with self.text_only(hold=MAX_GAP):
            await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        """Pasted lines are entered one by one, as if each ended with Enter."""
        event.stop()
        event.prevent_default()  # else Input's own handler inserts the first line again
        lines = event.text.splitlines()
        if not lines or lines == [event.text]:  # no line break: it goes into the field
            self.insert_text_at_cursor(event.text)
            return
        self.submit_text(self.value + lines[0])
        for line in lines[1:]:
            self.submit_text(line)

    def submit_text(self, text: str) -> None:
        """Clear the field and enter ``text`` at once (not through a message), so that
        the cleared field and the new line are painted in the same frame."""
        with self.text_only():
            self.value = ""
        if isinstance(self.screen, SaleScreen):
            self.screen.enter(text)

    def action_delete_right(self) -> None:
        if self.value:
            super().action_delete_right()
        else:
            self.call_next(self.run_action, "screen.void_line")


class SaleScreen(TillScreen):
    BINDINGS = [
        Binding("f1", "app.help", "Help"),
        Binding("f2", "quantity", "Qty"),
        Binding("f3", "later", "Later"),
        Binding("f4", "void_line", "Void"),
        Binding("f8", "app.pay_part", "Part"),
        Binding("f9", "app.pay_pin", "PIN"),
        Binding("f10", "app.pay_cash", "Cash"),
        Binding("ctrl+s", "app.support", "Support"),
        # Said in the message line when it applies (the footer has no room left); a
        # priority over the entry field's own Ctrl+X (cut) only while it applies.
        Binding("ctrl+x", "set_aside", "Set aside", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entry_ready = asyncio.Event()
        """Set once the entry field has the focus: a key handled sooner would be lost."""

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Cart(self.locale, id="cart")
        with Horizontal(id="bottom"):
            with Vertical(id="entry-area"):
                yield EntryField(placeholder="Scan or type a code (3*code for three)", id="entry")
                yield Static(id="message")
            yield BigAmount("To pay", self.locale, id="due")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(EntryField).focus()
        self.entry_ready.set()
        super().on_mount()
        self.watch(self.app, "scanner_state", lambda _: self.show(self.till_app.view))

    def show(self, view: SaleView) -> None:
        super().show(view)
        if view.card_unconfirmed:  # which key checks it, whatever the message says
            why = view.error or "A card payment is not confirmed: it may still go through."
            self.say(f"{why} F9: check it.", error=True)
        app = self.till_app
        title = f"Sale {view.order_number}" if view.order_number else "New sale"
        count = sum(line.quantity for line in view.lines)
        set_text(self.query_one("#title", Static), f"{title}  |  {count} items", layout=False)
        cart, due = self.query_one(Cart), self.query_one(BigAmount)
        cart.locale = due.locale = self.locale  # known once the settings are read
        cart.show(view.lines, set(view.held))
        caption = "To pay" if not view.paid else f"Still to pay (paid {self.money(view.paid)})"
        due.show(view.due, caption)
        self.query_one(StatusLine).show(
            api=app.api_reachable,
            scanner=app.scanner_state,
            terminal=app.terminal_summary(),
            demo=app.demo,
        )

    def enter(self, text: str) -> None:
        """A code typed or scanned into the entry field, with Enter."""
        if not text.strip():
            return
        entry = parse_entry(text)
        if entry is None:
            self.say("Type a code, or a count and a code like 3*8712345678906.", error=True)
            return
        self.till_app.scan(entry.code, entry.quantity)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_aside":  # only for a sale whose order is gone from Afosto
            return self.till_app.view.order_gone
        return True

    def action_set_aside(self) -> None:
        self.till_app.action_set_aside()

    def action_move(self, step: int) -> None:
        cart = self.query_one(Cart)
        if cart.row_count:
            cart.move_cursor(cart.cursor_row + step)

    def action_void_line(self) -> None:
        sku = self.query_one(Cart).selected_sku
        if sku is not None:
            self.till_app.sale.void(sku)

    def action_later(self) -> None:
        """Leave the selected line out of the invoice made at the end (or put it back)."""
        sku = self.query_one(Cart).selected_sku
        if sku is not None:
            self.till_app.sale.hold_invoice(sku, sku not in self.till_app.view.held)

    def action_quantity(self) -> None:
        from tui_pos.app.screens.prompts import QuantityPrompt

        sku = self.query_one(Cart).selected_sku
        if sku is None:
            return
        line = next(line for line in self.till_app.view.lines if line.sku == sku)

        def apply(quantity: int | None) -> None:
            if quantity is not None:
                self.till_app.sale.set_quantity(sku, quantity)

        self.app.push_screen(QuantityPrompt(line.label or sku, line.quantity), apply)
