"""The app for textual-dev: ``textual run --dev tui_pos/app/dev.py`` runs the training
till with live CSS editing (``styles/*.tcss``) beside ``textual console``."""

from functools import partial

from tui_pos.app import create_app
from tui_pos.app.runtime import open_runtime

app = create_app(partial(open_runtime, demo=True), demo=True)
