"""The styles ship inside the wheel, so a plain ``pip install .`` runs with them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_built_wheel_holds_the_styles_and_the_schema(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tui_pos-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    styles = {path.name for path in (ROOT / "styles").glob("*.tcss")}
    assert styles and {f"tui_pos/styles/{name}" for name in styles} <= names
    assert "tui_pos/sim/schema.graphql" in names
    assert "tui_pos/app/screens/sale.py" in names
