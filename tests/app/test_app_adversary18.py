"""An adversary's pass over issue 18 on the screens: names the header must fit."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tui_pos.app.screens.sale import shorten


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
