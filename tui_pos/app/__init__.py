"""The Textual app: screens per checkout phase over the engine. Styles in ``styles/``.

``Runtime`` (settings and the API) lives in :mod:`tui_pos.app.runtime`, imported only
when needed: it leads to pydantic, which the first paint does without.
"""

from tui_pos.app.app import TillApp, create_app

__all__ = ["TillApp", "create_app"]
