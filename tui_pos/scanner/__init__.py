"""The USB barcode scanner, a keyboard to Linux: find it, read it, decode its codes.

No Textual here: :class:`ScannerReader` hands codes, problems and states to callbacks.
"""

from tui_pos.scanner.decoder import Decoder, Scan, ScanError, ScanProblem, ScanResult
from tui_pos.scanner.devices import (
    DEFAULT_DEVICE,
    Candidate,
    InputDeviceLike,
    Opener,
    find_device,
    list_candidates,
    open_device,
)
from tui_pos.scanner.reader import ScannerReader, ScannerState

__all__ = [
    "DEFAULT_DEVICE",
    "Candidate",
    "Decoder",
    "InputDeviceLike",
    "Opener",
    "Scan",
    "ScanError",
    "ScanProblem",
    "ScanResult",
    "ScannerReader",
    "ScannerState",
    "find_device",
    "list_candidates",
    "open_device",
]
