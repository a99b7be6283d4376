"""The end of a sale: PAID, the total and the change in large type, the invoice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from tui_pos.app.console import either_case
from tui_pos.app.messages import FinishAgain, InvoiceRest, NextSale
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.paper import Paper
from tui_pos.app.widgets.text import count_of, set_text
from tui_pos.checkout import Phase, SaleView
from tui_pos.checkout.receipt import tender_name


class ResultScreen(TillScreen):
    """Shown once everything is paid: while the order is opened and invoiced, then done."""

    TITLE = "Sale paid"

    BINDINGS = [
        Binding("enter", "next_sale", "Next sale", tooltip="next sale (a scan starts one too)"),
        Binding(
            either_case("i"),
            "invoice_rest",
            "Invoice the rest",
            tooltip="invoice the lines left for later, now",
        ),
        Binding(
            either_case("r"),
            "finish_again",
            "Try again",
            tooltip="try a finishing step that stopped again",
        ),
        Binding(either_case("p"), "print_asked", "Print receipt", tooltip="print the receipt"),
        Binding("f6", "print_receipt", "Reprint", tooltip="print the receipt again (COPY)"),
        Binding("f7", "no_sale", "No sale", show=False, tooltip="open the cash drawer (no sale)"),
        Binding("pageup", "paper(-1)", "Paper up", show=False, tooltip="scroll the printout up"),
        Binding(
            "pagedown", "paper(1)", "Paper down", show=False, tooltip="scroll the printout down"
        ),
    ]

    def body(self) -> ComposeResult:
        with Horizontal(id="result"):
            with Vertical(id="outcome"):
                yield Static(id="title")
                yield Static("PAID", id="paid")
                with Horizontal(id="amounts"):
                    yield BigAmount("Total", self.locale, id="total")
                    yield BigAmount("Change", self.locale, id="change")
                yield Static(id="invoice")
                yield Static(id="summary")
                yield Static(id="message")
            yield Paper(id="paper")
        yield Footer(compact=True)

    def show(self, view: SaleView) -> None:
        super().show(view)
        done = view.phase is Phase.DONE
        order = view.order_number
        title = f"Paid: order {order}" if done else f"Order {order}: finishing..."
        set_text(self.query_one("#title", Static), title)
        if view.invoice_pending:
            invoice = "Invoice pending: the till sends it by itself. Go on with the next sale."
        elif view.invoice_number:
            invoice = f"Invoice {view.invoice_number}"
        elif view.phase is Phase.OPENING:
            invoice = "Opening the order in Afosto..."
        else:
            invoice = "Waiting for the invoice..."
        set_text(self.query_one("#invoice", Static), invoice)
        items = sum(line.quantity for line in view.lines)
        paid = [
            f"{tender_name(payment.method)} {self.money(payment.amount)}"
            for payment in view.payments
            if payment.is_paid
        ]
        rows = [f"{count_of(items, 'item')}, paid: {', '.join(paid) or '-'}"]
        if view.held and done:
            later = ", ".join(
                line.label or line.sku for line in view.lines if line.sku in view.held
            )
            rows.append(f"Left for a later invoice: {later} (I: invoice now)")
        set_text(self.query_one("#summary", Static), "\n".join(rows))
        total, change = self.query_one("#total", BigAmount), self.query_one("#change", BigAmount)
        total.locale = change.locale = self.locale
        total.show(view.total)
        change.display = view.change is not None  # cash was handed over
        change.show(view.change or 0)
        paper = self.facts.paper
        self.set_class(bool(paper), "-paper")
        if paper:
            self.query_one(Paper).show(paper, self.facts.paper_columns)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view = self.view
        if action == "invoice_rest":
            return bool(view.held) and view.phase is Phase.DONE
        if action == "finish_again":  # a finishing step that stopped: never a dead screen
            return view.phase in (Phase.OPENING, Phase.INVOICING) and not view.busy
        if action == "print_asked":  # where the shop prints a receipt on request only
            return view.phase is Phase.DONE and self.facts.receipt_ask
        if action == "print_receipt":
            return view.phase is Phase.DONE and self.facts.printing
        if action == "paper":
            return bool(self.facts.paper)
        return action != "next_sale" or view.phase is Phase.DONE

    def action_next_sale(self) -> None:
        self.post_message(NextSale())

    def action_finish_again(self) -> None:
        self.post_message(FinishAgain())

    def action_print_asked(self) -> None:
        self.action_print_receipt()

    def action_paper(self, pages: int) -> None:
        paper = self.query_one(Paper)
        if pages > 0:
            paper.scroll_page_down(animate=False)
        else:
            paper.scroll_page_up(animate=False)

    def action_invoice_rest(self) -> None:
        self.post_message(InvoiceRest())
