"""The Textual app: screens per checkout phase over the engine. Styles in ``styles/``."""

from tui_pos.app.app import TillApp, create_app
from tui_pos.app.runtime import Runtime

__all__ = ["Runtime", "TillApp", "create_app"]
