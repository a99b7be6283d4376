"""The API token expires mid-sale (401). The till says so, naming the fix (the token file),
keeps the sale, and carries on by itself once the token file holds a valid token again:
it reads the file again after a 401."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.chaoskit import (
    LABEL,
    A,
    B,
    Chaos,
    assert_sale_completed,
    cart,
    lines,
    newest,
    scan,
)
from tests.support.waiting import eventually

pytestmark = pytest.mark.chaos

FIRST, SECOND, THIRD = "token-one-4f1c9a", "token-two-8d2e7b", "token-three-0a5f3c"


def test_an_expired_token_is_said_and_a_renewed_one_is_taken_from_its_file(
    world: Chaos, tmp_path: Path
) -> None:
    token_file = tmp_path / "api_token"
    token_file.write_text(FIRST + "\n")
    world.server.settings(tokens=[FIRST])
    till = world.start_till(TUI_POS_API_TOKEN=None, TUI_POS_API_TOKEN_FILE=str(token_file))
    scan(world, till, A)

    # It expires while the cashier scans: said, the scan kept, sent once it is renewed.
    world.server.settings(tokens=[SECOND])
    till.type(B)
    till.wait_for("refused the till's API key", "(api_token_file)")
    assert cart(world.state_dir) == {A: 1, B: 1}
    token_file.write_text(SECOND + "\n")  # the manager renews it
    eventually(lambda: lines(newest(world)) == {A: 1, B: 1}, "the scan sent", seconds=20)
    till.wait_for(LABEL[B])

    # It expires again as the customer pays cash: said, nothing paid, then paid once.
    world.server.settings(tokens=[THIRD])
    till.press("f10")
    till.wait_for("Cash payment")
    till.press("enter")
    till.wait_for("refused the till's API key")
    assert not newest(world)["payments"]
    token_file.write_text(THIRD + "\n")
    till.press("enter")
    till.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1, B: 1})

    for token in (FIRST, SECOND, THIRD):
        assert token.encode() not in till.screen.raw, "a token was on the screen"
        for log in world.state_dir.glob("*.log*"):
            assert token not in log.read_text(), "a token was written to the log"
