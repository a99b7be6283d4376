"""Load: 500 scans at 20 a second, typed into the real till's pty the way a keyboard-wedge
scanner types them (each code and Enter in one burst). None is lost, none doubled, and
the screen keeps up: every scan shows within a second or two, while Afosto is told
behind it."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.chaoskit import (
    CODES,
    Chaos,
    assert_sale_completed,
    cart,
    lines,
    newest,
    pay_cash,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.chaos

SCANS, RATE = 500, 20.0
ITEMS = re.compile(r"\|\s+(\d+) items")


def test_500_scans_at_20_a_second(world: Chaos) -> None:
    till = world.start_till()
    codes = CODES[:10]
    shown_lag = 0
    start = time.monotonic()
    for n in range(SCANS):
        while time.monotonic() < start + n / RATE:  # on the scanner's beat, not drifting
            till.pump(0.005)
        till.type(codes[n % len(codes)])
        found = ITEMS.search(till.text)
        shown = int(found.group(1)) if found else 0
        shown_lag = max(shown_lag, n - shown)
    took = time.monotonic() - start
    assert took < SCANS / RATE + 2, f"typing 500 scans took {took:.1f} s"
    till.wait_for(f"{SCANS} items", seconds=3)  # the screen has kept up
    assert shown_lag <= 2 * RATE, f"the screen fell {shown_lag} scans behind"

    wanted = dict.fromkeys(codes, SCANS // len(codes))
    eventually(lambda: cart(world.state_dir) == wanted, "every scan journaled once")
    eventually(lambda: lines(newest(world)) == wanted, "every scan at Afosto once", seconds=20)

    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F", seconds=20)
    assert_sale_completed(world.server.orders(), wanted)
