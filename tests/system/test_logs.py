"""Logs reach journald's syslog socket (a real one stands in for /dev/log), never the
tty, and never with the token."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.support.systemkit import Datagrams, datagram_socket
from tui_pos.system.logs import LOG_FILE, setup_logging
from tui_pos.system.redact import REDACTED, redact, remember_secret

TOKEN = "tok_live_7f3a9c2e51b84d06a1e9"
ROTATED = "tok_live_new_0b1c2d3e4f5a6b7c"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, raising = list(root.handlers), root.level, logging.raiseExceptions
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    logging.raiseExceptions = raising
    logging.captureWarnings(False)


@pytest.fixture
def dev_log() -> Iterator[Datagrams]:
    with datagram_socket() as listener:
        yield listener


def received(listener: Datagrams) -> list[str]:
    lines = []
    while listener.pending():
        lines.append(listener.receive())
    return lines


def log_everything_with_the_token(log: logging.Logger) -> None:
    log.info("token is %s", TOKEN)
    log.warning(f"inline {TOKEN} in an f-string")
    log.error("request headers: %r", {"Authorization": f"Bearer {TOKEN}"})
    log.warning("a header from elsewhere: Authorization: Bearer other.jwt-value")
    try:
        raise RuntimeError(f"the API said no to {TOKEN}")
    except RuntimeError:
        log.exception("call failed")
    log.info("stack", stack_info=True, extra={"token": TOKEN})


def test_records_reach_the_syslog_socket_without_the_token(
    dev_log: Datagrams, capfd: pytest.CaptureFixture[str]
) -> None:
    setup_logging(secrets=[SecretStr(TOKEN)], syslog_socket=Path(dev_log.address))
    log_everything_with_the_token(logging.getLogger("tui_pos.test"))
    lines = received(dev_log)
    assert len(lines) == 6
    assert all(TOKEN not in line and "other.jwt-value" not in line for line in lines)
    assert lines[0].startswith("<14>tui-pos[")  # facility user, info; journald's identifier
    assert "]: tui_pos.test: token is " + REDACTED in lines[0]
    assert lines[2].startswith("<11>") and f"Bearer {REDACTED}" in lines[2]
    assert "Traceback" in lines[4] and f"the API said no to {REDACTED}" in lines[4]
    assert capfd.readouterr() == ("", "")  # nothing on the tty


def test_a_rotated_token_is_redacted_too(dev_log: Datagrams) -> None:
    redactor = setup_logging(secrets=[TOKEN], syslog_socket=Path(dev_log.address))
    redactor.add(SecretStr(ROTATED))
    logging.getLogger("tui_pos").warning("old %s new %s", TOKEN, ROTATED)
    assert received(dev_log) == [
        f"<12>tui-pos[{os.getpid()}]: tui_pos: old {REDACTED} new {REDACTED}"
    ]


def test_warnings_go_to_the_log_not_the_screen(
    dev_log: Datagrams, capfd: pytest.CaptureFixture[str]
) -> None:
    setup_logging(syslog_socket=Path(dev_log.address))
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("deprecated thing", DeprecationWarning, stacklevel=1)
    assert any("deprecated thing" in line for line in received(dev_log))
    assert capfd.readouterr().err == ""


def test_a_second_setup_replaces_the_first(dev_log: Datagrams) -> None:
    setup_logging(syslog_socket=Path(dev_log.address))
    setup_logging(syslog_socket=Path(dev_log.address))
    logging.getLogger("tui_pos").warning("once")
    assert len(received(dev_log)) == 1


def test_without_dev_log_a_rotating_file_in_the_state_dir(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    setup_logging(secrets=[TOKEN], state_dir=tmp_path, syslog_socket=tmp_path / "absent")
    logging.getLogger("tui_pos").error("the token %s failed", TOKEN)
    text = (tmp_path / LOG_FILE).read_text()
    assert f"ERROR tui_pos: the token {REDACTED} failed" in text and TOKEN not in text
    assert capfd.readouterr() == ("", "")


def test_without_dev_log_or_state_dir_nothing_reaches_the_screen(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    setup_logging(secrets=[TOKEN], state_dir=tmp_path / "absent", syslog_socket=tmp_path / "no")
    logging.getLogger("tui_pos").error("lost %s", TOKEN)
    assert capfd.readouterr() == ("", "")
    assert list(tmp_path.iterdir()) == []


def test_a_string_too_short_for_a_token_is_not_blanked_everywhere() -> None:
    remember_secret("t")  # a test's token, or a typo: blanking it would blank every "t"
    remember_secret("s3cret-token")
    assert redact("the s3cret-token failed") == f"the {REDACTED} failed"


def test_blanking_is_one_pass() -> None:
    remember_secret("redacted")  # a secret that is also a part of the marker
    remember_secret("s3cret-token")
    assert redact("the s3cret-token and redacted") == f"the {REDACTED} and {REDACTED}"
