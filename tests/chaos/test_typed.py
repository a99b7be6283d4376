"""What a cashier types, at the process level: a count past Python's digit limit pasted
into the entry, and ``²`` (a plain key on AZERTY) in the quantity field. The real till in
a pty says what is wrong and stays up."""

from __future__ import annotations

import pytest

from tests.support.chaoskit import A, B, Chaos, cart, scan

pytestmark = pytest.mark.chaos


def test_a_pasted_count_of_4400_digits_is_refused(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)  # the till is up and its entry field has the keys
    till.paste("4" * 4_400 + "*" + B)
    till.wait_for("4444")  # the paste is in the field
    till.press("enter")
    till.wait_for("a count is from 1 to 999")
    assert till.alive() and cart(world.state_dir) == {A: 1}


def test_superscript_two_as_a_quantity_is_refused(world: Chaos) -> None:
    till = world.start_till()
    scan(world, till, A)
    till.press("\x1b[[B")  # F2 on the Linux console: the quantity of the selected line
    till.wait_for("Quantity for")
    till.press("\x08", "\x7f", "²", "enter")  # clear the "1", then the AZERTY key
    till.wait_for("in digits")
    assert till.alive() and cart(world.state_dir) == {A: 1}
    till.press("escape", "f10")
    till.wait_for("Cash payment")
    till.type("abc")  # letters in the amount: refused, nothing recorded
    till.wait_for("Type the amount handed over")
    assert not world.server.orders()[-1]["payments"]
