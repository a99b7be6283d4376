"""The cashiers and the shop's day, driven by the cashier's keys on a till with a cashier
file (staffkit's: manager 12 Anna PIN 4711, cashiers 3 Bob PIN 90210 and 7 Zoë PIN
12345678): sign-in, the lock, wrong PINs, each approval, the float, cash in and out, the
X and Z reports; every figure checked against the journal."""

from __future__ import annotations

import logging

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.appkit import CODES, make_app, scan, screen_text
from tests.support.staffkit import PINS
from tests.support.waiting import wait_for
from tui_pos.app import TillApp
from tui_pos.app.screens.day import CountScreen, DayScreen, NotePrompt
from tui_pos.app.screens.result import ResultScreen
from tui_pos.app.screens.signin import Credentials
from tui_pos.checkout import DayBook, Phase
from tui_pos.checkout.cash import ApprovalAction, MoveKind
from tui_pos.checkout.printouts import PrintKind

ANNA, BOB, ZOE = 12, 3, 7


def book(app: TillApp) -> DayBook:
    return DayBook(app.runtime.journal())


def words(app: TillApp) -> str:
    return " ".join(screen_text(app).split())


async def credentials(pilot: Pilot[None], app: TillApp, number: int, pin: str) -> None:
    """Number, Enter, PIN, Enter, typed at once (a fast cashier), on the dialog on top."""
    await wait_for(pilot, lambda: isinstance(app.screen, Credentials), what="the PIN dialog")
    await pilot.press(*str(number), "enter", *pin, "enter")


async def sign_in(pilot: Pilot[None], app: TillApp, number: int, *, float_total: str = "") -> None:
    """Sign in as ``number``; on a day not opened yet, count its float as one total."""
    had_day = book(app).current() is not None if app.shift is not None else False
    await credentials(pilot, app, number, PINS[number])
    await wait_for(pilot, lambda: app.shift is not None and app.shift.number == number)
    if not had_day:
        await count_total(pilot, app, float_total or "0")
        await wait_for(pilot, lambda: book(app).current() is not None, what="the day opened")
    await pilot.pause()


async def count_total(pilot: Pilot[None], app: TillApp, total: str) -> None:
    """On the count screen: the drawer's total as one amount, then F10."""
    await wait_for(pilot, lambda: isinstance(app.screen, CountScreen), what="the count")
    app.screen.query_one("#total", Input).value = total
    await pilot.press("f10")


async def started(pilot: Pilot[None], app: TillApp) -> None:
    await wait_for(pilot, lambda: app.shift is not None and isinstance(app.screen, Credentials))
    await pilot.pause()


async def pay_cash(pilot: Pilot[None], app: TillApp, *codes: str, tendered: str) -> None:
    await scan(pilot, app, *codes)
    await pilot.press("f10")
    await wait_for(pilot, lambda: app.screen.__class__.__name__ == "CashScreen")
    await pilot.press(*tendered, "enter")
    await wait_for(pilot, lambda: app.view.phase is Phase.DONE, what="the sale done")
    await pilot.press("enter")  # the next sale
    await wait_for(pilot, lambda: app.view.phase is Phase.SCANNING and not app.view.lines)


# --- sign-in, the lock, wrong PINs ---


async def test_the_till_starts_locked_a_scan_adds_nothing_then_sign_in_and_the_float() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        assert "Till 1 is locked. Your number, then your PIN." in words(app)
        app.scan(CODES[0])
        await pilot.pause()
        assert app.view.lines == () and "Sign in first: that scan was not added." in words(app)
        await sign_in(pilot, app, BOB, float_total="150")
        day = book(app).current()
        assert day is not None and (day.float_count.total, day.opened_by) == (15000, BOB)
        assert app.facts.cashier == "Bob (3)" and "Bob (3)" in words(app)
        assert "Day 1 opened with a float of € 150,00." in (app.facts.note or "")
        await scan(pilot, app, CODES[0])
        assert app.sale.cashier == (BOB, "Bob")


async def test_five_wrong_pins_make_the_till_wait_with_the_same_words_for_number_and_pin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        lock = app.screen
        with caplog.at_level(logging.INFO):
            for number, pin in [(BOB, "1111"), (99, PINS[BOB]), (BOB, "2222"), (ANNA, "0000")]:
                await credentials(pilot, app, number, pin)
                await wait_for(pilot, lambda: "Wrong number or PIN." in words(app))
                await wait_for(pilot, lambda: not lock.checking)  # type: ignore[attr-defined]
            await credentials(pilot, app, ZOE, "7777")
            await wait_for(pilot, lambda: "Too many wrong PINs" in words(app))
            await credentials(pilot, app, BOB, PINS[BOB])  # right, but during the wait
            await wait_for(pilot, lambda: not lock.checking)  # type: ignore[attr-defined]
        assert app.shift is not None and app.shift.locked and app.screen is lock
        assert "Too many wrong PINs" in words(app)
        logged = caplog.text
        assert all(pin not in logged for pin in ("1111", "2222", "0000", "7777", PINS[BOB]))


async def test_a_lock_mid_sale_keeps_the_sale_for_the_next_cashier_and_says_who_started_it() -> (
    None
):
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB)
        await scan(pilot, app, CODES[0], CODES[1])
        await pilot.press("f11")
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials))
        assert "A sale is in progress, started by Bob (3)." in words(app)
        assert app.facts.cashier is None
        await sign_in(pilot, app, ZOE)
        assert [line.sku for line in app.view.lines] == CODES[:2]
        assert "The sale in progress was started by Bob (3)." in (app.facts.note or "")
        assert app.facts.cashier == "Zoë (7)" and app.sale.cashier == (ZOE, "Zoë")


async def test_an_idle_till_locks_itself() -> None:
    app = make_app(cashiers=True, lock_after=0.5)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB)
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials), 5, "the idle lock")
        assert app.shift is not None and app.shift.locked


async def test_without_a_cashier_file_there_is_no_sign_in_and_nothing_to_approve() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        assert app.shift is not None and not app.shift.active
        await pilot.press("f11")
        assert "No cashier file is set up on this till" in (app.facts.note or "")
        await pilot.press("f7")  # the training till's drawer: no manager asked
        await wait_for(pilot, lambda: "Drawer opened." in (app.facts.note or ""))
        assert book(app).approvals() == []


# --- approvals ---


async def test_cash_out_needs_a_manager_and_is_journaled_with_who_approved_it() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB, float_total="100")
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        assert "X REPORT - day 1 (open)" in words(app)
        await pilot.press("o", "2", "0", "enter")
        await pilot.press(*"safe", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials))
        assert "Manager approval: Cash out € 20,00: safe" in words(app)
        await credentials(pilot, app, ZOE, PINS[ZOE])  # a cashier is no manager
        await wait_for(pilot, lambda: "Wrong number or PIN." in words(app))
        await credentials(pilot, app, ANNA, PINS[ANNA])
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        (move,) = book(app).cash_moves()
        assert (move.kind, move.amount, move.reason) == (MoveKind.OUT, 2000, "safe")
        assert (move.cashier, move.approved_by) == (BOB, ANNA)
        (approval,) = book(app).approvals()
        assert (approval.action, approval.manager) == (ApprovalAction.CASH_OUT, ANNA)
        await wait_for(pilot, lambda: "Expected in drawer € 80,00" in " ".join(words(app).split()))


async def test_no_sale_needs_a_manager_and_esc_opens_nothing() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB)
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, Credentials))
        await pilot.pause()
        assert app.runtime.journal().printouts(kind=PrintKind.NO_SALE) == []
        await pilot.press("f7")
        await credentials(pilot, app, ANNA, PINS[ANNA])
        await wait_for(pilot, lambda: "Drawer opened." in (app.facts.note or ""))
        assert len(app.runtime.journal().printouts(kind=PrintKind.NO_SALE)) == 1
        (approval,) = book(app).approvals()
        assert (approval.action, approval.manager, approval.cashier) == (
            ApprovalAction.NO_SALE,
            ANNA,
            BOB,
        )


async def test_a_manager_signed_in_approves_by_being_signed_in() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, ANNA)
        await pilot.press("f7")
        await wait_for(pilot, lambda: "Drawer opened." in (app.facts.note or ""))
        (approval,) = book(app).approvals()
        assert (approval.action, approval.manager) == (ApprovalAction.NO_SALE, ANNA)


async def test_voiding_a_line_after_a_payment_needs_a_manager() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB)
        await scan(pilot, app, *CODES[:2])
        await pilot.press("f8")
        await pilot.pause()
        app.screen.query_one("#part", Input).value = ""
        await pilot.press("1", "f9")  # one euro by card
        await wait_for(pilot, lambda: app.view.paid == 100 and not app.view.busy)
        await pilot.press("f4")  # the selected (last) line
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials))
        assert "(a payment was made)" in words(app)
        await credentials(pilot, app, ANNA, PINS[ANNA])
        await wait_for(
            pilot, lambda: [line.sku for line in app.view.lines if line.quantity] == [CODES[0]]
        )
        (approval,) = book(app).approvals()
        assert approval.action is ApprovalAction.VOID_AFTER_PAYMENT
        assert approval.sale_id == app.sale.sale_id


# --- the day: X, Z with a blind count, the next day ---


async def test_a_day_closed_with_a_blind_count_a_difference_explained_and_the_next_opened() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB, float_total="100")
        await pay_cash(pilot, app, CODES[0], tendered="20")
        await pilot.press("f11")
        await sign_in(pilot, app, ZOE)
        await pay_cash(pilot, app, CODES[1], tendered="10")
        totals = book(app).totals()
        expected = 10000 + totals.tender("CASH")
        assert totals.expected_cash == expected and totals.sales == 2
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        await pilot.press("z")
        await credentials(pilot, app, ANNA, PINS[ANNA])
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        assert "Expected" not in words(app)  # blind: what the till expects is not shown
        counted = expected - 50
        await count_total(pilot, app, f"{counted // 100},{counted % 100:02d}")
        await wait_for(pilot, lambda: isinstance(app.screen, NotePrompt))
        assert "€ 0,50 short" in words(app)
        await pilot.press("enter")  # no note: refused
        await wait_for(pilot, lambda: "A note is required" in words(app))
        app.screen.query_one(Input).value = "a coin rolled away"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CountScreen))
        assert "The float for day 2" in words(app)
        z = book(app).z_report(1)
        assert z is not None and z.counted == counted and z.difference == counted - expected
        assert z.note == "a coin rolled away" and z.approved_by == ANNA and z.closed_by == ZOE
        receipts = [app.runtime.journal().receipt(sale) for sale in (1, 2)]
        paid = sum(p.amount for r in receipts if r for p in r.payments)
        assert z.totals.revenue == paid == z.totals.tender("CASH")
        assert {(c.cashier, c.sales) for c in z.totals.cashiers} == {(BOB, 1), (ZOE, 1)}
        await count_total(pilot, app, "120")
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        assert "Z REPORT - day 1" in words(app)
        day = book(app).current()
        assert day is not None and day.number == 2 and day.float_count.total == 12000


async def test_the_result_screen_is_no_place_for_the_day_key() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB)
        await scan(pilot, app, CODES[0])
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)


async def test_taking_an_unconfirmed_card_payment_as_failed_needs_a_manager() -> None:
    from tests.support.appkit import fast_simulator
    from tui_pos.app.screens.prompts import YesNoPrompt
    from tui_pos.checkout import TerminalState

    app = make_app(fast_simulator(terminal_delay=30), cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB)
        await scan(pilot, app, CODES[0])
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.WAITING)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.view.terminal is TerminalState.UNKNOWN)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, YesNoPrompt))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials))
        assert app.view.card_unconfirmed  # nothing taken as failed before the manager
        await credentials(pilot, app, ANNA, PINS[ANNA])
        await wait_for(pilot, lambda: not app.view.card_unconfirmed, what="the card failed")
        (approval,) = book(app).approvals()
        assert (approval.action, approval.manager, approval.cashier) == (
            ApprovalAction.UNCONFIRMED_CARD,
            ANNA,
            BOB,
        )


async def test_the_z_report_is_printed_on_the_shops_printer_and_journaled() -> None:
    from tests.support.appkit import network_printer
    from tests.support.netprinter import NetPrinter
    from tui_pos.printer.render import render

    with NetPrinter() as printer:
        app = make_app(cashiers=True, use_printer=network_printer(printer.port))
        async with app.run_test(size=(80, 24)) as pilot:
            await started(pilot, app)
            await sign_in(pilot, app, ANNA, float_total="50")
            await pilot.press("f12")
            await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
            await pilot.press("z")  # Anna is a manager: nothing more is asked
            await count_total(pilot, app, "50")
            await wait_for(pilot, lambda: "Report printed." in (app.facts.note or ""))
            printed = [
                "\n".join(render(data, 42).plain(42))
                for data in printer.connections
                if b"Z REPORT" in data
            ]
            assert len(printed) == 1 and "Expected in drawer" in printed[0]
            (report,) = app.runtime.journal().printouts(kind=PrintKind.REPORT)
            assert report.sale_id is None


async def test_f6_on_the_day_page_prints_the_x_report_and_leaves_the_day_open() -> None:
    from tests.support.appkit import network_printer
    from tests.support.netprinter import NetPrinter
    from tui_pos.printer.render import render

    with NetPrinter() as printer:
        app = make_app(cashiers=True, use_printer=network_printer(printer.port))
        async with app.run_test(size=(80, 24)) as pilot:
            await started(pilot, app)
            await sign_in(pilot, app, BOB, float_total="75")
            await pilot.press("f12")
            await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
            await pilot.press("f6")
            await wait_for(pilot, lambda: "Report printed." in (app.facts.note or ""))
            printed = [
                "\n".join(render(data, 42).plain(42))
                for data in printer.connections
                if b"X REPORT" in data
            ]
            assert len(printed) == 1, printer.connections
            assert "Expected in drawer" in printed[0] and "75,00" in printed[0]
            (report,) = app.runtime.journal().printouts(kind=PrintKind.REPORT)
            assert report.sale_id is None
            assert book(app).current() is not None and book(app).z_reports() == []


async def test_cash_in_needs_a_manager_and_opens_the_drawer() -> None:
    app = make_app(cashiers=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        await sign_in(pilot, app, BOB, float_total="0")
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, DayScreen))
        await pilot.press("i", "5", "0", "enter", "enter")  # Enter alone: the default reason
        await wait_for(pilot, lambda: isinstance(app.screen, Credentials))
        assert "Cash in € 50,00: change brought in" in words(app)
        await credentials(pilot, app, ANNA, PINS[ANNA])
        await wait_for(pilot, lambda: "Cash in: € 50,00 (change brought in)." in words(app))
        (move,) = book(app).cash_moves()
        assert (move.kind, move.amount, move.approved_by) == (MoveKind.IN, 5000, ANNA)
        assert book(app).totals().expected_cash == 5000
        (kick,) = app.runtime.journal().printouts(kind=PrintKind.CASH_MOVE)
        assert kick.sale_id is None
        assert book(app).totals().no_sales == 0  # a drawer opened for cash in is no "no sale"
