"""Every module of tui_pos imports only what its layer may: layers depend downward only,
Textual stays in the app, and the simulator shares no code with the client."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tui_pos

PACKAGE = Path(tui_pos.__file__).parent

ROOT = "tui_pos"
"""``from tui_pos import __version__``: the package's own top, which imports nothing."""

BELOW_APP = {
    "tui_pos.afosto",
    "tui_pos.checkout",
    "tui_pos.scanner",
    "tui_pos.printer",
    "tui_pos.system",
    "tui_pos.staff",
}

ALLOWED: dict[str, set[str]] = {
    # the layers (packages), bottom up
    "afosto": {"tui_pos.afosto"},
    "system": {"tui_pos.system"},
    "checkout": {"tui_pos.afosto", "tui_pos.checkout", "tui_pos.gtin", "tui_pos.money"},
    "scanner": {"tui_pos.scanner", "tui_pos.gtin", "tui_pos.config"},
    "sim": {"tui_pos.sim"},
    # the cashiers and their sign-in (no screens)
    "staff": {"tui_pos.staff"},
    # the printer (a device, like the scanner) prints the receipts the journal keeps
    "printer": {
        "tui_pos.printer",
        "tui_pos.checkout",
        "tui_pos.config",
        "tui_pos.money",
    },
    # the support screen shows the doctor's report; the doctor imports nothing of the app
    "app": {
        ROOT,
        "tui_pos.app",
        "tui_pos.config",
        "tui_pos.doctor",
        "tui_pos.money",
        "tui_pos.gtin",
        *BELOW_APP,
    },
    # the top-level modules
    "__init__.py": set(),
    "gtin.py": set(),
    "money.py": set(),
    "config.py": {ROOT, "tui_pos.money", "tui_pos.system"},
    "doctor.py": {ROOT, "tui_pos.config", "tui_pos.money", "tui_pos.gtin", *BELOW_APP},
    "cli.py": {ROOT, "tui_pos.app", "tui_pos.config", "tui_pos.doctor", "tui_pos.sim", *BELOW_APP},
    "__main__.py": {"tui_pos.cli"},
}
"""For each layer (a subpackage) and top-level module: the tui_pos modules it may import
(each name or a module below it). The simulator is no layer of the till's: only the
entry point (``tui-pos --sim``) and the exceptions below start it."""

EXCEPTIONS: dict[str, set[str]] = {
    "app/runtime.py": {"tui_pos.sim"},  # training mode (--demo) runs the simulator in-process
}
"""Files allowed more than their layer, each with its reason."""

TEXTUAL = {"textual", "rich"}
"""Only the app draws: nothing else imports the UI toolkit."""

UI_ALLOWED = {"app"}


def imports(source: Path) -> set[str]:
    """Every module ``source`` imports, at the top or inside a function."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(), str(source))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{source}: use absolute imports"
            modules.add(node.module or "")
    return modules


def unit_of(source: Path, package: Path = PACKAGE) -> str:
    """The layer (first directory) or top-level module ``source`` belongs to."""
    return source.relative_to(package).parts[0]


def within(module: str, allowed: set[str]) -> bool:
    """Whether ``module`` is one of ``allowed`` or below one (``tui_pos`` itself: only it)."""
    return any(module == ok or (ok != ROOT and module.startswith(ok + ".")) for ok in allowed)


def violations(source: Path, package: Path = PACKAGE) -> list[str]:
    """What ``source`` imports that its layer may not."""
    unit = unit_of(source, package)
    relative = source.relative_to(package).as_posix()
    allowed = ALLOWED[unit] | EXCEPTIONS.get(relative, set())
    found = []
    for module in sorted(imports(source)):
        top = module.split(".")[0]
        if top == "tui_pos" and not within(module, allowed):
            found.append(f"{relative} imports {module}")
        if top in TEXTUAL and unit not in UI_ALLOWED:
            found.append(f"{relative} imports {top} (only the app may)")
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_of_the_package_has_a_rule() -> None:
    assert len(SOURCES) > 50
    missing = sorted({unit_of(source) for source in SOURCES} - set(ALLOWED))
    assert not missing, f"no import rule for {missing}: add one to ALLOWED"
    for relative in EXCEPTIONS:
        assert (PACKAGE / relative).is_file(), f"an exception for a missing file: {relative}"


@pytest.mark.parametrize("unit", sorted(ALLOWED))
def test_a_layer_imports_only_what_lies_below_it(unit: str) -> None:
    sources = [source for source in SOURCES if unit_of(source) == unit]
    assert sources, f"no module in {unit}"
    found = [problem for source in sources for problem in violations(source)]
    assert not found, "\n".join(found)


def test_the_exceptions_are_still_needed() -> None:
    for relative, extra in EXCEPTIONS.items():
        used = {m for m in imports(PACKAGE / relative) if within(m, extra)}
        assert used, f"{relative} no longer needs {extra}: drop the exception"


def test_a_forbidden_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a module that breaks each kind of rule is reported."""
    cases = {
        "checkout/x.py": "from tui_pos.app import TillApp\n",
        "afosto/x.py": "import tui_pos.checkout\n",
        "sim/x.py": "def f():\n    from tui_pos.afosto import AfostoClient\n",
        "scanner/x.py": "from textual.app import App\n",
        "app/x.py": "from tui_pos.sim import Simulator\n",
        "doctor.py": "import tui_pos.app\n",
        "money.py": "from tui_pos.gtin import check_digit\n",
    }
    for relative, text in cases.items():
        path = tmp_path / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        assert violations(path, tmp_path), f"{relative} was let through: {text!r}"


def test_the_simulator_schema_ships_with_the_package() -> None:
    assert "type Mutation" in (PACKAGE / "sim" / "schema.graphql").read_text()


APP_TOP = "tui_pos.app.app"


@pytest.mark.parametrize(
    "source",
    sorted(p for part in ("screens", "widgets") for p in (PACKAGE / "app" / part).rglob("*.py")),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_screens_and_widgets_never_import_the_app(source: Path) -> None:
    """The app imports its screens; they know it only by the values they watch and the
    messages they post (no import cycle, not even inside a function)."""
    assert not any(within(module, {APP_TOP}) for module in imports(source))
