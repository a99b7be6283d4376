"""What a virtual console shows now, character for character, read from the kernel.

``/dev/vcsuN`` holds the screen's characters (UTF-32, no header) and ``/dev/vcsaN``
starts with its size, so support can read the till's screen over SSH without touching
the app: ``sudo /opt/tui-pos/venv/bin/python -m tui_pos.system.screen`` (root only).
"""

from __future__ import annotations

import sys
from pathlib import Path

DEV = Path("/dev")


def snapshot(vt: int = 1, dev: Path = DEV) -> str:
    """The text of virtual console ``vt``, one line a row, trailing blanks dropped."""
    rows, cols = (dev / f"vcsa{vt}").read_bytes()[:2]
    cells = (dev / f"vcsu{vt}").read_bytes().decode(f"utf-32-{sys.byteorder[0]}e")
    return "\n".join(cells[row * cols : (row + 1) * cols].rstrip() for row in range(rows))


if __name__ == "__main__":
    print(snapshot(int(sys.argv[1]) if len(sys.argv) > 1 else 1))
