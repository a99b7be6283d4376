"""Logging for a till whose tty is the cashier's screen: journald, never the tty.

Records go to journald through the syslog socket (``/dev/log``). Without one they go to
a rotating file in the state directory, else nowhere; never to stdout or stderr, which
are the till's screen. The API token is blanked out of every line, and so is anything
after ``Bearer``.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Iterable
from pathlib import Path

from pydantic import SecretStr

from tui_pos.system.redact import redact

DEV_LOG = Path("/dev/log")
LOG_FILE = "tui-pos.log"
IDENT = "tui-pos"


class Redactor(logging.Formatter):
    """A formatter that blanks the secrets (and bearer tokens) out of the whole line,
    exception and stack included."""

    def __init__(self, fmt: str, secrets: Iterable[SecretStr | str] = ()) -> None:
        super().__init__(fmt)
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: SecretStr | str) -> None:
        """Blank this one too (a rotated token)."""
        value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        if value:
            self._secrets.add(value)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def setup_logging(
    *,
    secrets: Iterable[SecretStr | str] = (),
    state_dir: Path | None = None,
    syslog_socket: Path = DEV_LOG,
    level: int = logging.INFO,
) -> Redactor:
    """Send every log record (the root logger's) to journald, or the fallback; returns
    the formatter, whose :meth:`Redactor.add` takes a rotated token."""
    handler: logging.Handler
    if syslog_socket.is_socket():
        handler = logging.handlers.SysLogHandler(address=str(syslog_socket))
        handler.ident = f"{IDENT}[{os.getpid()}]: "  # journald's SYSLOG_IDENTIFIER and PID
        handler.append_nul = False
        redactor = Redactor("%(name)s: %(message)s", secrets)
    else:
        handler = _file_handler(state_dir)
        redactor = Redactor(f"%(asctime)s {IDENT} %(levelname)s %(name)s: %(message)s", secrets)
    handler.setFormatter(redactor)
    handler.set_name(IDENT)  # so that a second call replaces it
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == IDENT]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings.warn would write to stderr: the screen
    logging.raiseExceptions = False  # a failing handler must not print to the screen
    return redactor


def _file_handler(state_dir: Path | None) -> logging.Handler:
    if state_dir is not None:
        try:
            return logging.handlers.RotatingFileHandler(
                state_dir / LOG_FILE, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError:
            pass
    return logging.NullHandler()
