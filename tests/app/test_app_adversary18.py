"""An adversary's pass over issue 18 on the screens: names the header must fit."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui_pos.app.screens.page import SIDE, time_left
from tui_pos.app.screens.sale import shorten
from tui_pos.checkout import PageMethod, PageState, PageView

URL = "http://127.0.0.1:8080/pay/pay_1"


@pytest.mark.parametrize(
    "name",
    [
        "山田商事株式会社 大阪本店 (K300001)",  # two cells a character
        "Bäckerei 🥨🥨🥨🥨🥨🥨🥨🥨🥨🥨🥨🥨 GmbH (K300002)",  # emoji: two cells each
        "x" * 200,
    ],
)
@pytest.mark.parametrize("room", [10, 31, 45])
def test_the_customer_in_the_header_never_takes_more_cells_than_its_room(
    name: str, room: int
) -> None:
    shown = shorten(name, room)
    assert cell_len(shown) <= room
    if cell_len(name) <= room:
        assert shown == name
    else:  # cut, with as much of the name as fits
        kept = shown.removesuffix("...")
        assert kept and name.startswith(kept) and cell_len(kept) >= room - 4


def test_a_page_whose_end_afosto_did_not_say_never_blames_a_restart() -> None:
    """Without ``expires_at`` (or with one the till cannot read) the time left is not
    known, and the till did not restart: the panel says no more than it knows."""
    page = PageView("pay_1", PageMethod("IDEAL", "iDEAL"), URL, 119, PageState.WAITING, None)
    words = time_left(page, 0.0)
    assert words.startswith("Time left: not known") and "restart" not in words
    assert len(words) <= SIDE - 2  # one line beside the QR code
