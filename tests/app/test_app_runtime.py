"""Training beside a live till touches neither its journal nor its scanner."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from tui_pos.app import Runtime
from tui_pos.app.screens.info import scanner_candidates
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


def test_scanner_candidates_say_something_on_any_machine() -> None:
    assert scanner_candidates()
