"""The app for textual-dev: ``textual run --dev tui_pos/app/dev.py`` runs the training
till with live CSS editing (``styles/*.tcss``) beside ``textual console``."""

from tui_pos.app import Runtime, create_app
from tui_pos.config import load_settings

app = create_app(Runtime.demo_mode(load_settings(live=False)))
