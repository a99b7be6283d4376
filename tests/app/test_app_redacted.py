"""No token on any screen: everything shown passes the log's redactor, which knows every
token the process has read (the first, and any read again after a 401)."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.support.appkit import CODES, make_app, scan, screen_text
from tests.support.waiting import wait_for
from tui_pos.config import Settings
from tui_pos.system.redact import REDACTED, redact

ROTATED = f"rotated-{uuid.uuid4().hex}"
"""A token of this test run's own: the process remembers every token it has read."""


def test_a_token_read_again_from_its_file_is_redacted(tmp_path: Path) -> None:
    token_file = tmp_path / "api_token"
    token_file.write_text(ROTATED + "\n")
    settings = Settings(api_token_file=token_file, channel_id="shop", state_dir=tmp_path)
    fresh = f"fresh-{uuid.uuid4().hex}"
    token_file.write_text(fresh + "\n")
    assert redact(f"the API said: {fresh}") == f"the API said: {fresh}"  # not read yet
    assert settings.token().get_secret_value() == fresh
    assert redact(f"the API said: {fresh}") == f"the API said: {REDACTED}"
    token_file.write_text(ROTATED + "\n")  # rotated: read again after a 401
    assert settings.token().get_secret_value() == ROTATED
    assert redact(f"the API said: {ROTATED} is wrong") == f"the API said: {REDACTED} is wrong"


async def test_a_message_with_the_token_is_blanked_on_the_screen_and_the_support_screen(
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "api_token"
    token_file.write_text(ROTATED)
    Settings(api_token_file=token_file, channel_id="shop", state_dir=tmp_path).token()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        app.sale.report(f"Afosto said {ROTATED} is not allowed")
        await wait_for(pilot, lambda: "Afosto said" in screen_text(app))
        assert ROTATED not in screen_text(app) and REDACTED in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Support" in screen_text(app))
        assert ROTATED not in screen_text(app)
        assert all(ROTATED not in error for error in app.errors)


async def test_brackets_in_a_message_are_text_not_markup() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, app, CODES[0])
        app.sale.report("Not added: [/x] [b]BAG")
        await wait_for(pilot, lambda: "Not added" in screen_text(app))
        assert "Not added: [/x] [b]BAG" in screen_text(app)
