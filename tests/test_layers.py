"""Layers depend downward only, and the simulator shares no code with the client."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tui_pos

PACKAGE = Path(tui_pos.__file__).parent

ALLOWED = {
    "afosto": {"tui_pos.afosto"},
    "checkout": {"tui_pos.afosto", "tui_pos.checkout", "tui_pos.gtin", "tui_pos.money"},
    "scanner": {"tui_pos.scanner", "tui_pos.gtin", "tui_pos.config"},
    "sim": {"tui_pos.sim"},
    "system": {"tui_pos.system"},
}
"""For each layer, the tui_pos modules it may import (prefixes)."""

NO_UI = {"afosto", "checkout", "scanner", "sim", "system"}


def imports(source: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{source}: use absolute imports"
            modules.add(node.module or "")
    return modules


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_what_lies_below_it(layer: str) -> None:
    sources = sorted((PACKAGE / layer).glob("*.py"))
    assert sources
    for source in sources:
        for module in imports(source):
            if module.split(".")[0] == "tui_pos":
                assert any(module.startswith(ok) for ok in ALLOWED[layer]), (
                    f"{source.name} imports {module}"
                )
            if layer in NO_UI:
                assert module.split(".")[0] != "textual", f"{source.name} imports Textual"


def test_the_simulator_schema_ships_with_the_package() -> None:
    assert "type Mutation" in (PACKAGE / "sim" / "schema.graphql").read_text()
