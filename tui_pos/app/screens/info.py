"""Help (the key map) and Support (what a support engineer needs), over the current screen."""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_pos import __version__
from tui_pos.system.redact import redact

if TYPE_CHECKING:
    from tui_pos.checkout import Journal
    from tui_pos.config import Settings

KEYS = """\
Sale
  code + Enter      add one (a scan does the same)
  3*code + Enter    add three
  Up / Down         select a line
  F2                set the selected line's quantity
  Delete or F4      void the selected line
  F9                pay all that is due by PIN
  F10               pay all that is due in cash
  F8                pay a part: the amount, then F9 PIN or F10 cash
Card terminal
  Enter             try the same payment again
  N                 start a new payment
  F10               pay in cash instead
  Esc               back to the sale (while waiting: stop waiting)
  F5                check a payment that is not confirmed with Afosto
  F6                the terminal shows it failed (asks first; recorded)
Cash
  amount + Enter    what the customer handed over (50 or 50,25)
  Enter alone       the exact amount
  F5 F6 F7 F8       10, 20, 50 or 100 handed over
After the sale
  Enter             next sale (scanning starts one too)
Anywhere
  F1                this help        Ctrl+S  support information
  Ctrl+Q            quit (the sale is kept and resumes on start)"""


class InfoScreen(ModalScreen[None]):
    """A scrollable page of text; Esc closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(self.title_text, id="title")
            yield Static(self.text, id="text", markup=False)
            yield Static("Esc: close", id="message")


def help_screen() -> InfoScreen:
    return InfoScreen("Keys", KEYS)


def scanner_candidates() -> list[str]:
    """The input devices that could be the scanner, and whether the till may read them."""
    from tui_pos.scanner import list_candidates

    found = [
        f"  {c.path}: {c.name} [{c.usb_id}] {c.problem or 'readable'}" for c in list_candidates()
    ]
    return found or ["  no input device with digit keys found"]


def versions() -> str:
    from importlib.metadata import version

    packages = ", ".join(f"{name} {version(name)}" for name in ("textual", "httpx", "pydantic"))
    return f"tui-pos {__version__}, Python {platform.python_version()}, {packages}"


def support_report(
    settings: Settings,
    *,
    demo: bool,
    reachable: bool | None,
    latency: float | None,
    journal: Journal,
    errors: list[str],
    scanner: str,
) -> str:
    """Settings in effect (token masked), API, scanner, journal, recent errors, versions."""
    lines = ["Settings" + (" (training mode: simulator, scratch journal)" if demo else "")]
    for key, value in settings.model_dump(exclude={"scanner"}).items():
        shown = "set (hidden)" if key == "api_token" and value else value
        lines.append(f"  {key}: {shown}")
    for key, value in settings.scanner.model_dump().items():
        lines.append(f"  scanner.{key}: {value}")
    api = {True: "reachable", False: "NOT reachable", None: "not asked yet"}[reachable]
    took = f", last answer in {latency * 1000:.0f} ms" if latency is not None else ""
    lines += ["", f"Afosto API: {api}{took}", "", f"Scanner: {scanner}"]
    lines += scanner_candidates() if not demo else ["  (training mode reads no USB scanner)"]
    active = journal.active_sale()
    pending = journal.pending_invoices()
    lines += [
        "",
        "Journal: a scratch journal, deleted on exit" if demo else f"Journal: {journal.path}",
        f"  sale in progress: {active.order_number or 'no order yet' if active else 'none'}",
        f"  invoices pending: {len(pending)}",
        "",
        "Recent errors:" if errors else "Recent errors: none",
        *(f"  {error}" for error in errors[-10:]),
        "",
        versions(),
    ]
    return redact("\n".join(lines))
