"""The Afosto API simulator: the other side of the wire, for demos, training and tests.

It implements the contract in ``shared/afosto-api.md`` from scratch (it never imports
the client) and is strict on purpose, so that client mistakes show up here first.
"""

from tui_pos.sim.app import DEMO_TOKEN, Simulator
from tui_pos.sim.faults import Fault
from tui_pos.sim.server import SimServer, run_in_thread, serve_forever
from tui_pos.sim.tenant import DEMO_CHANNEL_ID
from tui_pos.sim.transport import SimTransport

__all__ = [
    "DEMO_CHANNEL_ID",
    "DEMO_TOKEN",
    "Fault",
    "SimServer",
    "SimTransport",
    "Simulator",
    "run_in_thread",
    "serve_forever",
]
