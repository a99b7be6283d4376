"""tui-pos: a terminal cash register for the Afosto commerce API."""

__version__ = "0.1.0"
