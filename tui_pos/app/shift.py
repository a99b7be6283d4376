"""The cashiers and the shop's day as the app runs them: sign-in and the lock, a
manager's approval on the spot, the float, cash in and out, the X and Z reports.

What is kept lives in the journal (:class:`tui_pos.checkout.day.DayBook`) and the
cashier file (:mod:`tui_pos.staff`); this holds only who is signed in. A PIN is checked
on a thread (its hash is slow by design) and never kept."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

from tui_pos.app.screens.day import CountScreen, DayScreen, NotePrompt
from tui_pos.app.screens.signin import Credentials
from tui_pos.checkout.cash import ApprovalAction, Count, MoveKind
from tui_pos.money import Locale, format_money

if TYPE_CHECKING:
    from tui_pos.app.app import TillApp
    from tui_pos.checkout.day import DayBook
    from tui_pos.staff import Cashier, CashierFile

log = logging.getLogger(__name__)

SIGN_IN = "sign-in"
MAX_CASH_MOVE = 1_000_000
"""Cents moved in or out at a time (EUR 10.000): more is a typing error."""
TRAINING_HINT = "Training: cashier 1 (PIN 1111) or 2 (PIN 2222), manager 9 (PIN 9999)."
LOCK_KEY = "F11"
DAY_KEY = "F12"


@dataclass(frozen=True)
class Approval:
    """What a manager is asked to approve, and what follows once approved."""

    action: ApprovalAction
    detail: str
    then: Callable[[int | None], None]
    """Called with the approving manager's number (``None``: no approval is needed)."""
    sale_id: int | None = None
    record: bool = True
    """Journal the approval here; ``False`` where the day book journals it with what
    it approved, in one transaction (cash in and out, the close)."""


class Shift:
    """Who is signed in on ``app`` and the day's flows. Without a cashier file the till
    runs as before: one anonymous cashier, no sign-in and no approvals."""

    def __init__(self, app: TillApp, cashiers: CashierFile | None, book: DayBook) -> None:
        from tui_pos.staff.signin import SignInGuard

        self.app = app
        self.cashiers = cashiers
        self.book = book
        self.signed_in: Cashier | None = None
        self.last_activity = monotonic()
        self._lock: Credentials | None = None
        self._signin = SignInGuard(cashiers) if cashiers is not None else None
        self._approvals = SignInGuard(cashiers) if cashiers is not None else None
        self._day: DayScreen | None = None
        self._closer: int | None = None
        """The manager who approved the close being counted."""

    @property
    def active(self) -> bool:
        """A cashier file is set up: cashiers sign in, managers approve."""
        return self.cashiers is not None

    @property
    def locked(self) -> bool:
        return self.active and self.signed_in is None

    @property
    def number(self) -> int | None:
        return self.signed_in.number if self.signed_in is not None else None

    @property
    def _locale(self) -> Locale:
        return self.app.facts.locale

    # --- sign-in and the lock ---

    def touched(self) -> None:
        """A key or a scan: the till is in use."""
        self.last_activity = monotonic()

    def idle_check(self) -> None:
        """Lock a till nobody has touched for ``lock_after`` seconds."""
        after = self.app.runtime.settings.lock_after
        if self.active and not self.locked and after and monotonic() - self.last_activity > after:
            log.info("locked after %.0f s idle", after)
            self.lock()

    def lock(self) -> None:
        """Sign the cashier out and cover the till; the sale in progress stays."""
        if not self.active:
            self.app.note_words("No cashier file is set up on this till: it has no sign-in.")
            return
        if self.signed_in is not None:
            log.info("cashier %s signed out (locked)", self.signed_in.number)
        self.signed_in = None
        self.app.cashier_changed(None)
        self.app.close_dialogs()  # an approval, a count: asked of the cashier who left
        self.cover()

    def refuse_scan(self) -> None:
        """A scan on a locked till adds nothing; the sign-in says so."""
        self.cover()
        if self._lock is not None:
            self._lock.say("Sign in first: that scan was not added.", error=True)

    def cover(self) -> None:
        """The sign-in over everything, again if a change of screen took it away."""
        if not self.locked or (self._lock is not None and self._lock in self.app.screen_stack):
            return
        self._lock = Credentials("Sign in", self._sale_words(), cancel=False, purpose=SIGN_IN)
        self.app.push_screen(self._lock)

    def _sale_words(self) -> str:
        till = self.app.runtime.settings.till_name
        words = f"{till} is locked. Your number, then your PIN."
        if self.app.view.lines:
            started = self.app.sale_started_by()
            who = self._name(started) if started is not None else "an earlier cashier"
            words = f"{till} is locked. A sale is in progress, started by {who}."
        return f"{words}\n{TRAINING_HINT}" if self.app.runtime.training_cashiers else words

    def _name(self, number: int) -> str:
        cashier = self.cashiers.get(number) if self.cashiers is not None else None
        return f"{cashier.name} ({number})" if cashier is not None else f"cashier {number}"

    async def credentials(self, screen: Credentials, number: str, pin: str) -> None:
        """A number and PIN typed: a sign-in, or a manager's approval."""
        purpose = screen.purpose
        guard = self._signin if purpose == SIGN_IN else self._approvals
        assert guard is not None
        manager = purpose != SIGN_IN
        answer = await asyncio.to_thread(guard.attempt, number, pin, manager=manager)
        if self.app.screen is not screen:  # covered meanwhile (the lock, help): no answer
            what = "sign-in" if purpose == SIGN_IN else "approval"
            log.info("the %s came for a dialog no longer on top: ignored", what)
            screen.checking = False
            return
        if answer.cashier is None:
            screen.refuse(answer.words)
            return
        if purpose == SIGN_IN:
            screen.dismiss(None)  # first: what signing in opens goes on top of the till
            self._signed_in(answer.cashier)
        elif isinstance(purpose, Approval):
            screen.dismiss(None)
            self._approved(purpose, answer.cashier.number)

    def _signed_in(self, cashier: Cashier) -> None:
        self.signed_in, self._lock = cashier, None
        self.touched()
        self.app.cashier_changed(cashier)
        started = self.app.sale_started_by() if self.app.view.lines else None
        words = f"Signed in: {cashier.name}."
        if started is not None and started != cashier.number:
            words += f" The sale in progress was started by {self._name(started)}."
        self.app.note_words(words)
        if self.book.current() is None:
            self.open_day()

    # --- a manager's approval ---

    def approve(self, approval: Approval) -> None:
        """Ask a manager's number and PIN for ``approval``, then do it. A manager who
        is signed in approves by being signed in; without a cashier file there are no
        managers, and nothing is asked."""
        if not self.active:
            approval.then(None)
        elif self.signed_in is not None and self.signed_in.is_manager:
            self._approved(approval, self.signed_in.number)
        else:
            title = f"Manager approval: {approval.detail}"
            text = "A manager's number and PIN, to approve this."
            self.app.push_screen(Credentials(title, text, cancel=True, purpose=approval))

    def _approved(self, approval: Approval, manager: int) -> None:
        if approval.record:
            self.book.approve(
                approval.action, manager, self.number, approval.sale_id, approval.detail
            )
        log.info("%s approved by manager %s: %s", approval.action, manager, approval.detail)
        approval.then(manager)

    # --- the day ---

    def show_day(self) -> None:
        """The X report of the open day, with the day's keys; with no day open, the
        float that opens one first."""
        if self.book.current() is None:
            self.open_day()
            return
        title, lines = self._x_report()
        self._day = DayScreen(title, lines, printing=self.app.facts.printing)
        self.app.push_screen(self._day, lambda _: setattr(self, "_day", None))

    def _x_report(self) -> tuple[str, list[str]]:
        from tui_pos.checkout.day_report import report_lines

        report = self.book.x_report()
        columns = self.app.facts.paper_columns
        return f"X report: day {report.day}", report_lines(report, columns, self.app.facts.locale)

    def _refresh_day(self) -> None:
        if self._day is not None and self._day.is_attached:
            self._day.show_report(*self._x_report(), closed=False)

    def cash_move(self, kind: MoveKind, amount: int, reason: str) -> None:
        money = format_money(amount, self.app.facts.locale)
        if kind is MoveKind.OUT and self.book.current() is not None:
            holds = self.book.totals().expected_cash
            if amount > holds:
                most = format_money(max(holds, 0), self.app.facts.locale)
                self.app.note_words(f"The drawer should hold {most}: no more can be taken out.")
                return
        if amount > MAX_CASH_MOVE:
            most = format_money(MAX_CASH_MOVE, self.app.facts.locale)
            self.app.note_words(f"At most {most} at a time: is {money} right?")
            return
        what = "Cash in" if kind is MoveKind.IN else "Cash out"
        action = ApprovalAction.CASH_IN if kind is MoveKind.IN else ApprovalAction.CASH_OUT

        def approved(manager: int | None) -> None:
            self.book.cash_move(kind, amount, reason, self.number, manager)
            self.app.note_words(f"{what}: {money} ({reason}).")
            self.app.open_drawer_for_cash()
            self._refresh_day()

        self.approve(Approval(action, f"{what} {money}: {reason}", approved, record=False))

    def close_day(self) -> None:
        """The Z: approved, then the blind count."""
        if self._sale_in_progress():
            self.app.note_words("Finish the sale in progress first, then close the day.")
            return

        def approved(manager: int | None) -> None:
            day = self.book.x_report().day
            screen = CountScreen(f"Count the drawer: closing day {day}", "close", self._locale)
            self._closer = manager
            self.app.push_screen(screen)

        self.approve(
            Approval(ApprovalAction.CLOSE_DAY, "Close the day (Z report)", approved, record=False)
        )

    def _sale_in_progress(self) -> bool:
        view = self.app.view
        return bool(view.lines or view.paid)

    def open_day(self) -> None:
        """The next day's float, counted (once: not while it is being counted)."""
        if any(isinstance(s, CountScreen) for s in self.app.screen_stack):
            return
        last = self.book.last_closed()
        number = (last.number + 1) if last is not None else 1
        title = f"The float for day {number}: count the drawer"
        self.app.push_screen(CountScreen(title, "float", self._locale))

    def counted(self, screen: CountScreen, count: Count) -> None:
        if screen.purpose == "float":
            day = self.book.open_day(count, self.number)
            screen.dismiss(None)
            money = format_money(count.total, self.app.facts.locale)
            self.app.note_words(f"Day {day.number} opened with a float of {money}.")
            return
        if self._sale_in_progress():  # scanned while the drawer was counted
            screen.say("A sale was started: finish it, then close the day.", error=True)
            return
        expected = self.book.totals().expected_cash
        difference = count.total - expected
        if difference == 0:
            self._close(screen, count, "")
            return
        locale = self.app.facts.locale
        side = "over" if difference > 0 else "short"
        text = (
            f"Counted {format_money(count.total, locale)}; the till expected "
            f"{format_money(expected, locale)}: {format_money(abs(difference), locale)} {side}."
        )

        def noted(note: str | None) -> None:
            if note is not None:
                self._close(screen, count, note)

        self.app.push_screen(NotePrompt(text), noted)

    def _close(self, screen: CountScreen, count: Count, note: str) -> None:
        from tui_pos.checkout.day_report import report_lines

        report = self.book.close_day(count, note, self.number, self._closer)
        screen.dismiss(None)
        lines = report_lines(report, self.app.facts.paper_columns, self.app.facts.locale)
        title = f"Z report: day {report.day} closed"
        if self._day is not None and self._day.is_attached:
            self._day.show_report(title, lines, closed=True)
        else:
            self._day = DayScreen(title, lines, closed=True, printing=self.app.facts.printing)
            self.app.push_screen(self._day)
        self.app.print_report(title, lines)
        self.open_day()
