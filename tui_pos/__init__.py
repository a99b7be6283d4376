"""tui-pos: a terminal cash register for the Afosto commerce API."""

from pathlib import Path

__version__ = "0.1.0"

DEFAULT_CONFIG = Path("/etc/tui-pos/config.toml")
"""The settings file read when ``--config`` does not name one (if it exists)."""
