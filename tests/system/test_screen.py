"""The console snapshot decodes the kernel's screen memory, euro sign and box lines too."""

from __future__ import annotations

import sys
from pathlib import Path

from tui_pos.system.screen import snapshot


def test_a_snapshot_is_the_screen_row_by_row(tmp_path: Path) -> None:
    rows = ["┌ Totaal ─┐", "│ € 12,34 │", "└─────────┘", ""]
    cols = 12
    cells = "".join(row.ljust(cols) for row in rows)
    (tmp_path / "vcsa1").write_bytes(bytes([len(rows), cols, 0, 0]) + b"\x07\x20" * len(cells))
    (tmp_path / "vcsu1").write_bytes(cells.encode(f"utf-32-{sys.byteorder[0]}e"))
    assert snapshot(1, tmp_path) == "\n".join(rows)
