"""The end of a sale: order and invoice numbers, what was paid how, the change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Static

from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import Phase, SaleView

METHODS = {"PIN": "Card", "CASH": "Cash"}


class ResultScreen(TillScreen):
    BINDINGS = [
        Binding("enter", "next_sale", "Next sale"),
        Binding("i", "invoice_rest", "Invoice the rest"),
        Binding("r", "finish_again", "Try again"),
        Binding("f1", "app.help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Static(id="invoice")
        yield Static(id="summary")
        yield BigAmount("Change", self.locale, id="change")
        yield Static(id="message")
        yield Footer()

    def show(self, view: SaleView) -> None:
        super().show(view)
        done = view.phase is Phase.DONE
        title = f"Paid: order {view.order_number}" if done else "Finishing the sale..."
        set_text(self.query_one("#title", Static), title)
        if view.invoice_pending:
            invoice = "Invoice pending: the till sends it by itself. Go on with the next sale."
        elif view.invoice_number:
            invoice = f"Invoice {view.invoice_number}"
        elif view.phase is Phase.OPENING:
            invoice = "Opening the order..."
        else:
            invoice = "Waiting for the invoice..."
        set_text(self.query_one("#invoice", Static), invoice)
        items = sum(line.quantity for line in view.lines)
        rows = [f"{items} items, total {self.money(view.total)}"]
        rows += [
            f"  {METHODS.get(payment.method, payment.method)}: {self.money(payment.amount)}"
            for payment in view.payments
            if payment.is_paid
        ]
        if view.held and done:
            later = ", ".join(
                line.label or line.sku for line in view.lines if line.sku in view.held
            )
            rows.append(f"Left for a later invoice: {later} (I: invoice now)")
        set_text(self.query_one("#summary", Static), "\n".join(rows))
        change = self.query_one(BigAmount)
        change.display = bool(view.change)
        change.show(view.change or 0)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.till_app.view
        if action == "invoice_rest":
            return bool(view.held) and view.phase is Phase.DONE
        if action == "finish_again":  # a finishing step that stopped: never a dead screen
            return view.phase in (Phase.OPENING, Phase.INVOICING) and not view.busy
        return action != "next_sale" or view.phase is Phase.DONE

    def action_next_sale(self) -> None:
        self.till_app.action_next_sale()

    def action_finish_again(self) -> None:
        self.till_app.run_payment(self.till_app.sale.finish())

    def action_invoice_rest(self) -> None:
        self.till_app.run_payment(self.till_app.sale.invoice_rest())
