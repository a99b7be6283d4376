"""Signing in with a cashier's number and PIN, made slow to guess: after
:data:`FREE_TRIES` wrong attempts in a row each one more waits twice as long as the last
(:data:`FIRST_WAIT` seconds, up to :data:`MAX_WAIT`), on the monotonic clock only."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from tui_pos.staff.cashiers import NUMBERS, Cashier, CashierFile

log = logging.getLogger("tui_pos.staff.signin")

FREE_TRIES = 5
FIRST_WAIT = 30.0
MAX_WAIT = 15 * 60.0
WRONG = "Wrong number or PIN."


@dataclass(frozen=True)
class SignIn:
    """What came of one attempt: the cashier signed in, or ``None`` and the seconds until
    the next attempt is let through (0: at once)."""

    cashier: Cashier | None
    wait: float = 0.0

    @property
    def words(self) -> str:
        """For the screen: the same for a wrong number as for a wrong PIN."""
        if self.cashier is not None:
            return f"Signed in: {self.cashier.name}."
        if self.wait > 0:
            return f"Too many wrong PINs: try again in {duration(self.wait)}."
        return WRONG


def duration(seconds: float) -> str:
    """``80`` -> ``1 min 20 s`` (whole seconds, rounded up)."""
    minutes, rest = divmod(math.ceil(seconds), 60)
    parts = [f"{minutes} min"] if minutes else []
    if rest or not minutes:
        parts.append(f"{rest} s")
    return " ".join(parts)


def parse_number(text: str) -> int | None:
    """The cashier number typed, or ``None`` when ``text`` is none (so no cashier's)."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or int(text) not in NUMBERS:
        return None
    return int(text)


def verify_manager(cashiers: CashierFile, number_text: str, pin: str) -> Cashier | None:
    """The manager whose number and PIN these are, else ``None`` (a cashier's right PIN
    too). Not throttled: an approval goes through a :class:`SignInGuard` of its own,
    ``attempt(..., manager=True)``."""
    cashier = _verify(cashiers, number_text, pin)
    return cashier if cashier is not None and cashier.is_manager else None


def _verify(cashiers: CashierFile, number_text: str, pin: str) -> Cashier | None:
    number = parse_number(number_text)
    # no number: still one check (against the dummy hash), so it takes as long
    return cashiers.verify(0 if number is None else number, pin)


class SignInGuard:
    """Checks sign-in attempts and counts the wrong ones in a row (one guard per purpose:
    the sign-in screen, manager approvals). Attempts from several threads (a PIN check
    takes a while, so it may run off the app's loop) are checked one after the other."""

    def __init__(self, cashiers: CashierFile, clock: Callable[[], float] = time.monotonic) -> None:
        self.cashiers = cashiers
        self._clock = clock
        self._wrong = 0
        self._until = 0.0
        self._lock = threading.Lock()

    def free_in(self) -> float:
        """Seconds until the next attempt is checked (0: now)."""
        return max(0.0, self._until - self._clock())

    def attempt(self, number_text: str, pin: str, *, manager: bool = False) -> SignIn:
        """Check one attempt; with ``manager`` only a manager's number and PIN are right.
        During a wait the PIN is not checked, and the attempt is not counted."""
        with self._lock:
            return self._attempt(number_text, pin, manager)

    def _attempt(self, number_text: str, pin: str, manager: bool) -> SignIn:
        what = "manager approval" if manager else "sign-in"
        shown = number_text[:12]
        wait = self.free_in()
        if wait > 0:
            log.warning("%s with number %r refused: %.0f s to wait", what, shown, wait)
            return SignIn(None, wait)
        check = verify_manager if manager else _verify
        cashier = check(self.cashiers, number_text, pin)
        if cashier is not None:
            self._wrong = 0
            self._until = 0.0
            log.info("%s: cashier %d %s", what, cashier.number, cashier.name)
            return SignIn(cashier)
        self._wrong += 1
        wait = 0.0
        if self._wrong >= FREE_TRIES:
            wait = min(FIRST_WAIT * 2 ** min(self._wrong - FREE_TRIES, 16), MAX_WAIT)
            self._until = self._clock() + wait
        log.warning("%s with number %r wrong: %d in a row", what, shown, self._wrong)
        return SignIn(None, wait)
