"""The shop's day: the X report with the keys for cash in, cash out and closing; the
drawer's count (per note and coin, or one amount); a cash movement; the closing note.
Screens ask and show; the app checks, approves and writes."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from tui_pos.app.console import either_case
from tui_pos.app.messages import CashMoveWanted, CloseDayWanted, CountGiven, PrintReport
from tui_pos.app.screens.base import TillModal
from tui_pos.app.textual_fixes import Field
from tui_pos.checkout.cash import DENOMINATIONS, Count, MoveKind
from tui_pos.money import DEFAULT_LOCALE, Locale, format_money, parse_amount

REASONS = {
    MoveKind.IN: "change brought in",
    MoveKind.OUT: "a skim to the safe",
}
"""The reason a cash movement takes when the cashier types none."""


class DayScreen(TillModal[None]):
    """The X report of the open day (or the Z just made), and the day's keys: a page
    over the sale screen, which stays the sale's screen below it."""

    TITLE = "The day"

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="back to the sale"),
        Binding(either_case("i"), "move('in')", "Cash in", tooltip="cash put into the drawer"),
        Binding(either_case("o"), "move('out')", "Cash out", tooltip="cash taken out"),
        Binding(either_case("z"), "close_day", "Close day", tooltip="count the drawer: Z report"),
        Binding("f6", "print_report", "Print", tooltip="print this report"),
        Binding("pageup", "scroll(-1)", "Up", show=False, tooltip="scroll the report up"),
        Binding("pagedown", "scroll(1)", "Down", show=False, tooltip="scroll the report down"),
    ]

    def __init__(
        self, title: str, lines: list[str], *, closed: bool = False, printing: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.printing = printing
        self.closed = closed
        """A Z report: the day is closed, no more movements on it."""

    def body(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield Static(self.title_text, id="title", markup=False)
            with VerticalScroll(id="report"):
                yield Static("\n".join(self.lines), id="report-text", markup=False)
            yield Static(id="message")
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "close_day"):
            return not self.closed
        if action == "print_report":
            return self.printing
        return True

    def show_report(self, title: str, lines: list[str], *, closed: bool) -> None:
        self.title_text, self.lines, self.closed = title, lines, closed
        self.query_one("#title", Static).update(title)
        self.query_one("#report-text", Static).update("\n".join(lines))
        self.refresh_bindings()

    def action_back(self) -> None:
        self.dismiss()

    def action_move(self, kind: str) -> None:
        move = MoveKind(kind)

        def given(answer: tuple[int, str] | None) -> None:
            if answer is not None:
                self.post_message(CashMoveWanted(move, *answer))

        self.app.push_screen(CashMovePrompt(move), given)

    def action_close_day(self) -> None:
        self.post_message(CloseDayWanted())

    def action_print_report(self) -> None:
        self.post_message(PrintReport(self.title_text, self.lines))

    def action_scroll(self, pages: int) -> None:
        report = self.query_one("#report", VerticalScroll)
        if pages > 0:
            report.scroll_page_down(animate=False)
        else:
            report.scroll_page_up(animate=False)


class CashMovePrompt(TillModal[tuple[int, str] | None]):
    """How much goes into or out of the drawer, and why."""

    TITLE = "Cash in or out"
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", tooltip="no cash movement")]
    TYPED = (("amount + Enter", "like 20 or 12,50"), ("reason + Enter", "why, in a few words"))

    def __init__(self, kind: MoveKind) -> None:
        super().__init__()
        self.kind = kind

    def body(self) -> ComposeResult:
        what = "into" if self.kind is MoveKind.IN else "out of"
        with Vertical(id="dialog"):
            yield Static(f"Cash {what} the drawer", id="title", markup=False)
            yield Field(placeholder="Amount, like 20 or 12,50", id="amount", max_length=12)
            yield Field(placeholder=f"Reason (Enter alone: {REASONS[self.kind]})", id="reason")
            yield Static("Enter: next   Esc: back", id="message", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#amount", Input))

    def tap(self, key: str) -> bool:
        """Enter in the amount moves to the reason at once."""
        super().tap(key)
        amount = self.query_one("#amount", Input)
        if key == "enter" and self.focused is amount:
            self.set_focus(self.query_one("#reason", Input))
            return True
        return False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        amount = parse_amount(self.query_one("#amount", Input).value)
        if amount is None or amount <= 0:
            self.set_focus(self.query_one("#amount", Input))
            self.say("Type the amount, like 20 or 12,50.", error=True)
        elif event.input.id == "amount":
            self.set_focus(self.query_one("#reason", Input))
        else:
            reason = " ".join(event.value.split())[:60] or REASONS[self.kind]
            self.dismiss((amount, reason))


class CountScreen(TillModal[None]):
    """The drawer counted, per note and coin (Enter moves on), or as one amount. The
    amount expected is not shown: a blind count."""

    TITLE = "Count the drawer"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="leave the count; nothing is written"),
        Binding("f10", "done", "Done", tooltip="the count is complete"),
    ]
    TYPED = (
        ("count + Enter", "how many of this note or coin; Enter moves to the next"),
        ("amount in the last field", "the drawer's total instead of a count per coin"),
    )

    def __init__(self, title: str, purpose: str, locale: Locale = DEFAULT_LOCALE) -> None:
        super().__init__()
        self.locale = locale
        self.title_text = title
        self.purpose = purpose
        """``close`` (the Z's count) or ``float`` (the next day's float)."""

    def body(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield from self._page()
        yield Footer(compact=True)

    def _page(self) -> ComposeResult:
        yield Static(self.title_text, id="title", markup=False)
        with Grid(id="count"):
            for cents in DENOMINATIONS:
                yield Static(_denomination(cents, self.locale), classes="denomination")
                yield Field(
                    placeholder="0",
                    id=f"d{cents}",
                    classes="count",
                    restrict=r"[0-9]*",
                    max_length=5,
                )
        with Vertical(id="count-total"):
            yield Static("Or the drawer's total, as one amount (like 250 or 251,35):")
            yield Field(placeholder="0,00", id="total", max_length=12)
        yield Static(id="counted")
        yield Static(id="message")

    def on_mount(self) -> None:
        self.set_focus(self.query_one(f"#d{DENOMINATIONS[0]}", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        """What has been counted so far (never what the till expects)."""
        with contextlib.suppress(ValueError):
            count = self.count(quiet=True)
            if count is not None:
                words = f"Counted so far: {format_money(count.total, self.locale)}"
                self.query_one("#counted", Static).update(words)

    def tap(self, key: str) -> bool:
        """Enter in a note's or coin's field moves to the next field at once."""
        super().tap(key)
        fields = list(self.query(Input).results(Input))
        focused = self.focused
        if key != "enter" or focused not in fields[:-1]:
            return False
        self.set_focus(fields[fields.index(focused) + 1])
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "total":
            self.action_done()

    def action_back(self) -> None:
        self.dismiss()

    def action_done(self) -> None:
        count = self.count()
        if count is not None:
            self.post_message(CountGiven(self, count))

    def count(self, *, quiet: bool = False) -> Count | None:
        """What was typed, or ``None`` (and why, on the screen unless ``quiet``) when it
        is no count."""
        say = (lambda words, error: None) if quiet else self.say
        total = self.query_one("#total", Input).value.strip()
        counts = {
            cents: int(value)
            for cents in DENOMINATIONS
            if (value := self.query_one(f"#d{cents}", Input).value.strip())
        }
        if total and counts:
            say("Either a count per note and coin, or the total: clear one.", error=True)
            return None
        if total:
            amount = parse_amount(total)
            if amount is None or amount < 0:
                say("Type the total like 250 or 251,35.", error=True)
                return None
            return Count(amount=amount)
        return Count(counts=counts)


class NotePrompt(TillModal[str | None]):
    """Why the count differs from what the till expected; a note is required."""

    TITLE = "Difference"
    BINDINGS = [Binding("escape", "dismiss(None)", "Back", tooltip="count again")]
    TYPED = (("note + Enter", "why the drawer differs"),)

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def body(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("The count differs", id="title", markup=False)
            yield Static(self.text, markup=False)
            yield Field(placeholder="Why (required), e.g. change given wrong", id="note")
            yield Static("Enter: close the day   Esc: count again", id="message", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        note = " ".join(event.value.split())[:200]
        if note:
            self.dismiss(note)
        else:
            message = self.query_one("#message", Static)
            message.update("A note is required when the count differs.")
            message.add_class("-error")


def _denomination(cents: int, locale: Locale) -> str:
    """A note or coin as cashiers name it: € 50, € 0,20."""
    whole = format_money(cents, locale)
    return whole[:-3] if cents % 100 == 0 else whole
