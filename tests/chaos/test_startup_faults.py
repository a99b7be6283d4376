"""Faults a shop meets before the first scan, with the real till in a pty against the
simulator: a token file saved by Windows Notepad, a second till on the same state_dir,
a damaged journal. The till either works normally or stops with one line (exit 2, so
systemd tries again) that says what is wrong; it never half-works."""

from __future__ import annotations

from pathlib import Path

import pytest
from chaoskit import (
    TOKEN,
    A,
    B,
    Chaos,
    TillProcess,
    assert_sale_completed,
    pay_cash,
    scan,
)

pytestmark = pytest.mark.chaos


def stopped(world: Chaos, **env: str | None) -> tuple[int | None, str]:
    """Start a till that must stop by itself: its exit code and all it wrote, flat."""
    merged = {**world.base_env(), **env}
    till = TillProcess({key: value for key, value in merged.items() if value is not None})
    world.tills.append(till)
    till.wait_until(lambda: not till.alive(), "the till stopping", seconds=30)
    till.pump(0.2)
    return till.status, " ".join(till.screen.raw.decode(errors="replace").split())


def test_a_token_file_saved_by_notepad_scans_and_pays(world: Chaos, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_bytes(b"\xef\xbb\xbf" + TOKEN.encode() + b"\r\n")  # UTF-8 with BOM, CRLF
    till = world.start_till(TUI_POS_API_TOKEN=None, TUI_POS_API_TOKEN_FILE=str(token))
    scan(world, till, A, B)
    pay_cash(till)
    till.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1, B: 1})


def test_a_token_that_cannot_be_sent_stops_the_till_in_one_line(
    world: Chaos, tmp_path: Path
) -> None:
    token = tmp_path / "token"
    token.write_bytes(TOKEN.encode() + b"\r\n" + TOKEN.encode() + b"\r\n")  # pasted twice
    code, said = stopped(world, TUI_POS_API_TOKEN=None, TUI_POS_API_TOKEN_FILE=str(token))
    assert code == 2
    assert f"tui-pos: configuration error: api_token_file: {token} has more than one line" in said
    assert "Traceback" not in said and TOKEN not in said
    assert not world.server.orders()


def test_a_second_till_on_the_same_state_dir_stops_naming_the_first(world: Chaos) -> None:
    first = world.start_till()
    scan(world, first, A)
    code, said = stopped(world)
    assert code == 2
    assert f"tui-pos: {world.state_dir} is in use by another till (pid {first.pid})" in said
    assert "Traceback" not in said
    scan(world, first, B)  # the first till goes on, alone on its journal
    pay_cash(first)
    first.wait_for("Paid: order", "Invoice F")
    assert_sale_completed(world.server.orders(), {A: 1, B: 1})
