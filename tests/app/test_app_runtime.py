"""Opening the runtime after the first paint, and training beside a live till (which
touches neither its journal nor its scanner)."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from textual.widgets import Digits

from tests.support.appkit import fast_simulator
from tests.support.waiting import wait_for
from tui_pos.app import create_app
from tui_pos.app.runtime import Runtime, StartupError, open_runtime
from tui_pos.app.screens.sale import SaleScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.config import Settings


async def test_demo_uses_a_scratch_journal_no_scanner_and_the_demo_token(
    tmp_path: Path,
) -> None:
    live = Settings(state_dir=tmp_path, api_token=SecretStr("live-token"), channel_id="shop")
    runtime = Runtime.demo_mode(live)
    try:
        assert runtime.state_dir != tmp_path and runtime.scanner_opener is None
        assert runtime.settings.token().get_secret_value() == "demo-token"
        till = runtime.open_till()
        assert till.journal.path.parent == runtime.state_dir
        await till.close()
        await till.client.aclose()
    finally:
        runtime.cleanup()
    assert not runtime.state_dir.exists() and not any(tmp_path.iterdir())  # noqa: ASYNC240


def test_live_reads_the_scanner_and_the_configured_journal(tmp_path: Path) -> None:
    live = Settings(state_dir=tmp_path, api_token=SecretStr("t"), channel_id="shop")
    runtime = Runtime.live(live)
    assert runtime.state_dir == tmp_path and runtime.scanner_opener is not None


def test_the_first_paint_loads_no_settings_api_or_journal_code() -> None:
    """What ``tui-pos`` imports before its sale screen shows: Textual and the screens,
    not pydantic, httpx, SQLite, evdev or the simulator (they load after the paint)."""
    script = (
        "import sys, tui_pos.cli, tui_pos.app; from tui_pos.app.screens.sale import SaleScreen;"
        "print(' '.join(sys.modules))"
    )
    modules = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    packages = {module.split(".")[0] for module in modules}
    assert "textual" in packages
    heavy = {
        "pydantic",
        "pydantic_core",
        "pydantic_settings",
        "httpx",
        "sqlite3",
        "evdev",
        "segno",
        "prometheus_client",
    }
    assert not packages & (heavy | {"graphql", "h11", "anyio"})
    later = ("tui_pos.sim", "tui_pos.afosto", "tui_pos.config")
    assert not [module for module in modules if module.startswith(later)]


@pytest.fixture
def root_logger() -> Iterator[None]:
    """``open_runtime`` sets up the process's logging: put it back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)
    logging.raiseExceptions = True


@pytest.mark.usefixtures("root_logger")
def test_open_runtime_names_a_bad_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('api_token = "t"\n')
    monkeypatch.delenv("TUI_POS_CHANNEL_ID", raising=False)
    with pytest.raises(StartupError, match=r"^configuration error: channel_id: not set"):
        open_runtime(config)


@pytest.mark.usefixtures("root_logger")
def test_open_runtime_reads_the_cashier_file_and_refuses_a_bad_one_in_one_line(
    tmp_path: Path,
) -> None:
    from tests.support.staffkit import CountingHasher, write_cashiers

    cashiers = write_cashiers(tmp_path / "cashiers.toml", CountingHasher())
    config = tmp_path / "config.toml"
    state = tmp_path / "state"
    state.mkdir()
    config.write_text(
        f'api_token = "t"\nchannel_id = "shop"\nstate_dir = "{state}"\n'
        f'cashiers_file = "{cashiers}"\n'
    )
    runtime = open_runtime(config)
    try:
        assert runtime.cashiers is not None and sorted(runtime.cashiers.cashiers) == [3, 7, 12]
        assert not runtime.training_cashiers
    finally:
        runtime.cleanup()
    cashiers.write_text('[[cashier]]\nnumber = 3\nname = "Bob"\nrole = "boss"\npin = "1234"\n')
    with pytest.raises(StartupError) as refused:
        open_runtime(config)
    assert str(refused.value).startswith(f"cashier file {cashiers}: ")
    assert "\n" not in str(refused.value)


@pytest.mark.usefixtures("root_logger")
def test_the_demo_signs_in_with_the_training_cashiers() -> None:
    runtime = open_runtime(None, demo=True)
    try:
        assert runtime.training_cashiers and runtime.cashiers is not None
        morgan = runtime.cashiers.verify(9, "9999")
        assert morgan is not None and morgan.is_manager
        assert runtime.cashiers.verify(1, "1111") is not None
    finally:
        runtime.cleanup()


@pytest.mark.usefixtures("root_logger")
def test_open_runtime_refuses_a_journal_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")  # the state directory is a file: nothing can be written there
    config = tmp_path / "config.toml"
    config.write_text(f'api_token = "t"\nchannel_id = "shop"\nstate_dir = "{blocked}"\n')
    with pytest.raises(StartupError, match="The till cannot save its records"):
        open_runtime(config)


async def test_a_till_that_cannot_start_exits_2_after_its_first_paint() -> None:
    def refuse() -> Runtime:  # what open_runtime does with a bad setting
        raise StartupError("configuration error: channel_id: not set")

    painted = []
    app = create_app(refuse)
    async with app.run_test() as pilot:
        painted.append(isinstance(app.screen, SaleScreen))
        await pilot.pause()
    assert painted == [True]
    assert app.return_code == 2 and str(app.startup_error).endswith("channel_id: not set")
    assert app.till is None


async def test_money_shows_in_the_settings_locale_once_they_are_read(tmp_path: Path) -> None:
    settings = Settings(locale="en")
    app = create_app(lambda: Runtime.demo_mode(settings, fast_simulator()), demo=True)
    async with app.run_test() as pilot:
        assert app.facts.locale == "nl"  # the first paint, before the settings are read
        await wait_for(pilot, lambda: app.till is not None)
        await pilot.pause()
        assert app.facts.locale == "en"
        assert app.screen.query_one(BigAmount).query_one(Digits).value == "€0.00"


def test_the_demos_settings_say_what_it_uses(tmp_path: Path) -> None:
    """Its scratch journal and no scanner, on the support screen too; the live
    settings it was made from are left as they were."""
    from tui_pos.doctor import support_report

    live = Settings(state_dir=tmp_path, api_token=SecretStr("t"), channel_id="shop")
    runtime = Runtime.demo_mode(live)
    try:
        settings = runtime.settings
        assert settings.state_dir == runtime.state_dir != tmp_path
        assert not settings.scanner.enabled and live.scanner.enabled
        report = support_report(
            settings,
            demo=True,
            reachable=None,
            latency=None,
            journal=runtime.journal(),
            errors=[],
            scanner="training mode",
        )
        runtime.journal().close()
    finally:
        runtime.cleanup()
    lines = [" ".join(line.split()) for line in report.splitlines()]
    assert f"state_dir {runtime.state_dir}" in lines and "scanner.enabled False" in lines
    assert str(tmp_path) not in report
