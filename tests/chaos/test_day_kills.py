"""The power goes around the shop's day, at the process level: the real till in a pty,
with a cashier file (staffkit's: manager 12 Anna, cashier 3 Bob), SIGKILLed around a
cash out and around the close, and started again on the same journal.

Each kill is at a moment the test sees happen (a PIN's dots on the screen, the journal's
WAL file changing, the row in the journal, a prompt on the screen), or at once after a
key is sent. After each, the journal, read as another process would (read-only), holds
the movement or the close whole or not at all: a cash out with its manager's approval
(never one without the other, never twice), a day open with no close fields or closed
with all of them and the difference between what was typed and what the journal's rows
say the drawer should hold. The restarted till comes up locked, and after the sign-in
goes on with the same day, or asks the next day's float when the day was closed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.chaoskit import A, Chaos, TillProcess, journal, pay_cash, scan
from tests.support.staffkit import PINS, CountingHasher, write_cashiers
from tests.support.waiting import eventually

pytestmark = pytest.mark.chaos

ANNA, BOB = 12, 3
F12 = b"\x1b[24~"  # what the Linux console sends for F12
FLOAT = 15000
OUT = 2000
COUNT_FIELDS = 15  # one per euro note and coin; Enter moves on, the total comes after


# --- the till with cashiers -----------------------------------------------------------


@pytest.fixture
def cashiers(tmp_path: Path) -> Path:
    return write_cashiers(tmp_path / "cashiers.toml", CountingHasher())


def keys(till: TillProcess, text: str, *, enter: bool = True) -> None:
    """Typed at a person's pace (a burst ending in Enter is taken for a scanner's)."""
    till.press(*text, *(["enter"] if enter else []))


def start_locked(world: Chaos, cashiers: Path) -> TillProcess:
    """The till comes up locked: the sign-in dialog over the sale screen."""
    till = world.start_till("Sign in", "is locked. Your number, then your PIN.", **env(cashiers))
    assert till.alive()
    return till


def env(cashiers: Path) -> dict[str, str]:
    return {"TUI_POS_CASHIERS_FILE": str(cashiers)}


def credentials(till: TillProcess, number: int, *, enter: bool = True) -> None:
    """Number, Enter, PIN (and Enter) on the dialog on top; without Enter, until the
    PIN's dots show."""
    keys(till, str(number))
    keys(till, PINS[number], enter=enter)
    if not enter:
        dots = "•" * len(PINS[number])
        till.wait_until(lambda: any(dots in line for line in till.screen.lines()), "the PIN")


def sign_in(till: TillProcess, *, float_for: int | None = None) -> None:
    """Bob signs in: on the sale screen, or (``float_for``) on the float of that day."""
    credentials(till, BOB)
    if float_for is None:
        till.wait_for("Signed in: Bob.")
    else:
        open_the_day(till, float_for)


def count_total(till: TillProcess, total: str, *, submit: bool = True) -> None:
    """On the count screen: Enter through the notes and coins to the total, the total,
    and Enter (which submits it); or (not ``submit``) until the total is drawn."""
    till.write(b"\r" * COUNT_FIELDS)  # at once: each moves the focus as it comes (tap)
    keys(till, total, enter=submit)
    if not submit:
        till.wait_until(lambda: till.screen.shows(total), "the count typed")


def open_the_day(till: TillProcess, number: int) -> None:
    till.wait_for(f"The float for day {number}")
    count_total(till, euros(FLOAT))
    till.wait_for(f"Day {number} opened with a float of")


def x_report(till: TillProcess, number: int, expected: int) -> None:
    """F12 on the sale screen: the open day's X report with what the drawer should hold."""
    till.write(F12)
    till.wait_for(f"X report: day {number}", f"Expected in drawer € {euros(expected)}")


def settled(till: TillProcess, quiet: float = 0.15, limit: float = 5) -> None:
    """Until the till has drawn nothing for ``quiet`` seconds (within ``limit``): what
    it was doing with the keys so far is done and drawn."""
    deadline = time.monotonic() + limit
    drawn, since = len(till.proc.out), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, f"the till never stopped drawing:\n{till.text}"
        till.pump(0.02)
        if len(till.proc.out) != drawn:
            drawn, since = len(till.proc.out), time.monotonic()


def enter_and_settle(till: TillProcess) -> None:
    """Enter, once what was typed is drawn, then until the till is done with it: in the
    cash movement's prompt the focus has then moved from the amount to the reason."""
    settled(till)
    till.write(b"\r")
    settled(till)


def euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def wal_changed(world: Chaos) -> Callable[[], bool]:
    """Whether the journal's WAL file has changed since now: the till is writing."""
    wal = world.state_dir / "journal.sqlite3-wal"

    def stat() -> tuple[int, int] | None:
        try:
            info = wal.stat()
        except FileNotFoundError:
            return None
        return info.st_size, info.st_mtime_ns

    before = stat()
    return lambda: stat() != before


# --- the journal, read-only, and what it must hold -------------------------------------


def rows(world: Chaos, query: str) -> list[tuple[Any, ...]]:
    return journal(world.state_dir, query)


def expected_cash(world: Chaos, day: int) -> int:
    """What the drawer should hold, from the journal's rows (not the till's sums): the
    float, plus the cash payments on the day's receipts, plus cash in, less cash out."""
    ((float_amount,),) = rows(world, f"SELECT float_amount FROM day WHERE id = {day}")
    cash: int = sum(
        int(payment["amount"])
        for (document,) in rows(world, f"SELECT document FROM receipt WHERE day_id = {day}")
        for payment in json.loads(document)["payments"]
        if payment["method"] == "CASH"
    )
    moved = dict(
        rows(world, f"SELECT kind, sum(amount) FROM cash_move WHERE day_id = {day} GROUP BY kind")
    )
    return int(float_amount) + cash + int(moved.get("in", 0)) - int(moved.get("out", 0))


def cash_outs(world: Chaos) -> list[tuple[Any, ...]]:
    return rows(
        world, "SELECT id, day_id, kind, amount, reason, cashier, approved_by FROM cash_move"
    )


def check_cash_outs(world: Chaos, reason: str, before: int, may: set[int]) -> int:
    """The movements in the journal: ``before`` earlier ones, and of this one (its
    ``reason``) as many as ``may`` allows (0 or 1, never 2); each with Anna's approval,
    and one CASH_OUT approval for each movement, none without one. Returns how many."""
    moves = cash_outs(world)
    these = [move for move in moves if move[4] == reason]
    assert len(these) in may, f"{len(these)} cash movements for {reason!r}, wanted {may}"
    assert len(moves) == before + len(these), "a movement appeared or went"
    for _, day, kind, amount, _, cashier, approved_by in moves:
        assert (day, kind, amount, cashier, approved_by) == (1, "out", OUT, BOB, ANNA)
    approvals = rows(world, "SELECT action, manager, cashier, detail FROM approval")
    assert sorted(approvals) == sorted(
        ("cash_out", ANNA, BOB, f"cash_move {move[0]}") for move in moves
    ), "a cash out without its approval, or an approval without its cash out"
    return len(moves)


def day_figures(world: Chaos) -> list[tuple[Any, ...]]:
    """Every day's row, without its report (compared whole before and after a restart)."""
    return rows(
        world,
        "SELECT id, opened_by, float_amount, closed_at, closed_by, approved_by, counted, "
        "expected, note FROM day ORDER BY id",
    )


CLOSE_FIELDS = "closed_at, closed_by, approved_by, counted, expected, note, report"


def check_close(world: Chaos, day: int, typed: int, note: str, closes: int) -> bool:
    """Day ``day`` is open with none of the close's fields, or closed with all of them:
    the count typed, what the journal's rows say was expected, the note, Bob closing it
    with Anna's approval, its Z report; ``closes`` days closed before it, and at most
    this one more (with one CLOSE_DAY approval each). Returns whether it is closed."""
    ((*fields,),) = rows(world, f"SELECT {CLOSE_FIELDS} FROM day WHERE id = {day}")
    closed_at, closed_by, approved_by, counted, expected, stored_note, report = fields
    is_closed = closed_at is not None
    if is_closed:
        assert None not in fields, f"day {day} half closed: {fields[:-1]}"
        assert (closed_by, approved_by, stored_note) == (BOB, ANNA, note)
        assert counted == typed
        assert counted - expected == typed - expected_cash(world, day)
        z = json.loads(report)
        assert (z["counted"], z["note"], z["x"]["day"]) == (typed, note, day)
    else:
        assert fields == [None] * len(fields), f"day {day} open with close fields: {fields}"
    closed = rows(world, "SELECT id FROM day WHERE closed_at IS NOT NULL ORDER BY id")
    assert len(closed) == closes + is_closed, f"closed days {closed}, after {closes} closes"
    assert [n for (n,) in rows(world, "SELECT id FROM day ORDER BY id")] == list(
        range(1, day + 1)
    ), "a day opened that nobody counted the float of"
    approvals = rows(
        world, "SELECT manager, cashier, detail FROM approval WHERE action = 'close_day'"
    )
    assert sorted(approvals) == [(ANNA, BOB, f"day {n}") for (n,) in closed]
    return is_closed


# --- 1. a kill around a cash out --------------------------------------------------------


def before_the_enter(world: Chaos, till: TillProcess) -> set[int]:
    """The PIN typed, its Enter not: nothing approved, nothing written."""
    return {0}


def with_the_enter(world: Chaos, till: TillProcess) -> set[int]:
    """Killed the moment the Enter is sent: it may have been taken, or not."""
    till.write(b"\r")
    return {0, 1}


def as_the_journal_writes(world: Chaos, till: TillProcess) -> set[int]:
    """Killed at the first sign of the write: the journal's WAL file changing."""
    changed = wal_changed(world)
    till.write(b"\r")
    eventually(changed, "the journal written")
    return {0, 1}


def row_journaled(world: Chaos, till: TillProcess) -> set[int]:
    """Killed once the movement's row is in the journal, before the X report shows it."""
    before = len(cash_outs(world))
    till.write(b"\r")
    eventually(lambda: len(cash_outs(world)) > before, "the cash out journaled")
    return {1}


def report_shown(world: Chaos, till: TillProcess) -> set[int]:
    """Killed with the X report showing the cash out."""
    before = len(cash_outs(world))
    till.write(b"\r")
    till.wait_for(f"Cash out € {euros(OUT * (before + 1))}")
    return {1}


CASH_OUT_KILLS = [before_the_enter, with_the_enter, as_the_journal_writes, row_journaled]
CASH_OUT_KILLS += [report_shown]


def test_a_cash_out_killed_at_any_moment_is_journaled_whole_or_not_at_all(
    world: Chaos, cashiers: Path
) -> None:
    till = start_locked(world, cashiers)
    sign_in(till, float_for=1)
    x_report(till, 1, FLOAT)
    moves = 0
    for attempt, kill_at in enumerate(CASH_OUT_KILLS):
        reason = f"safe {attempt}"
        keys(till, "o", enter=False)
        till.wait_for("Cash out of the drawer")  # typed before it is up, keys go astray
        keys(till, euros(OUT), enter=False)
        enter_and_settle(till)
        keys(till, reason)
        till.wait_for(f"Manager approval: Cash out € {euros(OUT)}: {reason}")
        credentials(till, ANNA, enter=False)
        may = kill_at(world, till)
        till.kill()
        moves = check_cash_outs(world, reason, moves, may)
        figures = day_figures(world)
        assert figures == [(1, BOB, FLOAT, None, None, None, None, None, None)]

        till = start_locked(world, cashiers)
        assert day_figures(world) == figures and len(cash_outs(world)) == moves
        sign_in(till)  # no float asked: the day is still open
        x_report(till, 1, FLOAT - OUT * moves)
        assert not till.screen.showed("The float for day")
    assert moves >= 2  # the last two kills came after the write


def test_a_reason_typed_right_after_the_amount_goes_into_the_reason(
    world: Chaos, cashiers: Path
) -> None:
    till = start_locked(world, cashiers)
    sign_in(till, float_for=1)
    x_report(till, 1, FLOAT)
    keys(till, "o", enter=False)
    till.wait_for("Cash out of the drawer")
    till.write(b"20\rsafe\r")  # a quick cashier (or a busy till reading the keys late)
    till.wait_until(
        lambda: till.screen.shows("Manager approval") or till.screen.shows("Type the amount"),
        "the prompt's answer",
    )
    assert till.screen.shows("Manager approval: Cash out € 20,00: safe"), till.text


# --- 2. a kill around the close ---------------------------------------------------------


def before_the_f10(world: Chaos, till: TillProcess) -> bool | None:
    """The count typed, not given: the day stays open."""
    return False


def on_the_note_prompt(world: Chaos, till: TillProcess) -> bool | None:
    till.press("f10")
    till.wait_for("The count differs", "short.")
    return False


def with_the_note_enter(world: Chaos, till: TillProcess) -> bool | None:
    """Killed the moment the note's Enter is sent: closed, or not."""
    on_the_note_prompt(world, till)
    keys(till, NOTE, enter=False)
    till.wait_for(NOTE)
    till.write(b"\r")
    return None


def as_the_close_writes(world: Chaos, till: TillProcess) -> bool | None:
    on_the_note_prompt(world, till)
    keys(till, NOTE, enter=False)
    till.wait_for(NOTE)
    changed = wal_changed(world)
    till.write(b"\r")
    eventually(changed, "the journal written")
    return None


def after_the_z(world: Chaos, till: TillProcess) -> bool | None:
    """Killed on the next day's float screen, the Z made."""
    on_the_note_prompt(world, till)
    keys(till, NOTE)
    till.wait_for("The float for day")
    return True


NOTE = "a fiver short"
SHORT = 500
CLOSE_KILLS = [before_the_f10, on_the_note_prompt, with_the_note_enter, as_the_close_writes]
CLOSE_KILLS += [after_the_z]


def test_a_close_killed_at_any_moment_leaves_the_day_open_or_closed_whole(
    world: Chaos, cashiers: Path
) -> None:
    till = start_locked(world, cashiers)
    sign_in(till, float_for=1)
    scan(world, till, A)
    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F")
    till.press("enter")
    till.wait_for("New sale", "0 items")
    assert expected_cash(world, 1) > FLOAT  # the cash sale is in the drawer's figures

    day, closes = 1, 0
    for kill_at in CLOSE_KILLS:
        expected = expected_cash(world, day)
        typed = expected - SHORT
        x_report(till, day, expected)
        keys(till, "z", enter=False)
        till.wait_for("Manager approval: Close the day")
        credentials(till, ANNA)
        till.wait_for(f"Count the drawer: closing day {day}")
        count_total(till, euros(typed), submit=False)
        closed_wanted = kill_at(world, till)
        till.kill()
        closed = check_close(world, day, typed, NOTE, closes)
        if closed_wanted is not None:
            assert closed == closed_wanted, f"day {day} closed: {closed}"
        figures = day_figures(world)

        till = start_locked(world, cashiers)
        assert day_figures(world) == figures  # starting changed nothing
        if closed:
            closes += 1
            day += 1
            sign_in(till, float_for=day)  # the count screen: "The float for day N"
        else:
            sign_in(till)
            assert not till.screen.showed("The float for day")
    assert closes >= 1 and day == closes + 1
