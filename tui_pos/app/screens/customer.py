"""Who the sale is for: a search as the cashier types (name, email, phone or number), a
list to pick from with Up, Down and Enter, F4 to take the customer off the sale. The
dialog asks; the app searches, and attaches or removes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_pos.app.messages import CustomerPicked, CustomerRemoved, CustomerSearchWanted
from tui_pos.app.screens.base import TillModal
from tui_pos.app.textual_fixes import Field
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import Customer, SaleView

if TYPE_CHECKING:  # the search's module loads the API client: not before the first paint
    from tui_pos.checkout import CustomerSearch

DEBOUNCE = 0.25
"""Seconds the typing must pause before the search goes out."""
KEYS = "Type to search  Up/Down: choose  Enter: take  F4: remove  Esc: back"
MIN_QUERY = 2


def describe(customer: Customer) -> str:
    """One line of the list: name, number, and what tells two of a name apart."""
    kind = "" if customer.kind == "contact" else "  (organisation)"
    detail = f"  {customer.detail}" if customer.detail else ""
    return f"{customer.name}  {customer.number}{kind}{detail}"


class CustomerDialog(TillModal[None]):
    """One search in flight at a time; the latest query wins, an answer to an older one
    is dropped (and the latest is sent)."""

    TITLE = "Customer"
    TYPED = (("name, email, phone or number", "search as you type (2 characters or more)"),)
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="back to the sale"),
        Binding("f4", "remove", "Remove", tooltip="take the customer off the sale"),
        Binding("up", "move(-1)", "Up", show=False, tooltip="the match above"),
        Binding("down", "move(1)", "Down", show=False, tooltip="the match below"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.matches: tuple[Customer, ...] = ()
        self.asked: str | None = None
        """The query of the search in flight, if any."""
        self.shown = ""
        """The query whose answer the list shows."""
        self._timer: Timer | None = None
        self.current: Customer | None = None
        """The customer on the sale, as the view says."""

    def body(self) -> ComposeResult:
        with Vertical(id="dialog", classes="customer"):
            yield Static("Customer", id="title", markup=False)
            yield Static(id="current", markup=False)
            yield Field(placeholder="Name, email, phone or number", id="query", max_length=64)
            results = OptionList(id="matches")
            results.can_focus = False  # the field keeps the keys; Up and Down move here
            yield results
            yield Static(KEYS, id="message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.watch(self.app, "view", self._view_changed, init=True)

    def _view_changed(self, view: SaleView) -> None:
        self.current = current = view.customer
        words = f"On the sale: {current.label}" if current else "No customer on the sale."
        set_text(self.query_one("#current", Static), words)

    # --- searching as the cashier types ---

    @property
    def wanted(self) -> str:
        return self.query_one("#query", Input).value.strip()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._ask)

    def _ask(self) -> None:
        """Send the latest query, unless a search is in flight (its answer sends it)."""
        self._timer = None
        wanted = self.wanted
        if self.asked is not None or (self.matches and wanted == self.shown):
            return
        if len(wanted) < MIN_QUERY:
            self._show((), f"Type at least {MIN_QUERY} characters." if wanted else KEYS)
            self.shown = wanted
            return
        self.asked = wanted
        self.say("Searching...")
        self.post_message(CustomerSearchWanted(self, wanted))

    def show_search(self, found: CustomerSearch) -> None:
        """The app's answer: shown if it is for what the field holds now, else dropped
        and the latest query asked."""
        self.asked = None
        if found.query != self.wanted:
            self._ask()
            return
        self.shown = found.query
        self._show(found.matches, found.words or KEYS, error=found.words is not None)

    def _show(self, matches: tuple[Customer, ...], words: str, *, error: bool = False) -> None:
        self.matches = matches
        results = self.query_one("#matches", OptionList)
        results.clear_options()
        results.add_options([Option(describe(customer)) for customer in matches])
        if matches:
            results.highlighted = 0
        self.say(words, error=error)

    # --- the cashier's keys ---

    def action_move(self, step: int) -> None:
        results = self.query_one("#matches", OptionList)
        if self.matches:
            now = results.highlighted or 0
            results.highlighted = max(0, min(len(self.matches) - 1, now + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one("#matches", OptionList).highlighted
        if self.matches and highlighted is not None and self.shown == self.wanted:
            self.post_message(CustomerPicked(self.matches[highlighted]))
            self.dismiss()
        else:  # Enter before the answer: ask now
            if self._timer is not None:
                self._timer.stop()
            self._ask()

    def action_remove(self) -> None:
        if self.current is None:
            self.say("There is no customer on the sale.", error=True)
            return
        self.post_message(CustomerRemoved())
        self.dismiss()

    def action_back(self) -> None:
        self.dismiss()
