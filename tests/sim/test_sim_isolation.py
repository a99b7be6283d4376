"""The simulator is the other side of the wire: it must not share code with the client."""

import ast
from pathlib import Path

import tui_pos.sim

SIM_DIR = Path(tui_pos.sim.__file__).parent


def _imported_modules(source: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{source.name}: use absolute imports"
            modules.add(node.module or "")
    return modules


def test_sim_imports_nothing_from_the_rest_of_tui_pos() -> None:
    sources = sorted(SIM_DIR.glob("*.py"))
    assert len(sources) > 5
    for source in sources:
        for module in _imported_modules(source):
            if module == "tui_pos" or module.startswith("tui_pos."):
                assert module.startswith("tui_pos.sim"), f"{source.name} imports {module}"


def test_schema_ships_next_to_the_code() -> None:
    assert "type Mutation" in (SIM_DIR / "schema.graphql").read_text()
