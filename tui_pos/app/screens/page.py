"""A payment page (iDEAL, Payconiq): the amount and the method beside the QR code of the
page the customer opens on their phone, the time left and the state as it changes."""

from __future__ import annotations

from time import monotonic

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui_pos.app.messages import (
    BackToSale,
    CheckPage,
    PayByCard,
    PayByPage,
    PayInCash,
    StopWatchingPage,
)
from tui_pos.app.qr import Glyphs, QrDrawing, draw_qr, qr_glyphs
from tui_pos.app.screens.base import TillScreen
from tui_pos.app.widgets.amount import BigAmount
from tui_pos.app.widgets.text import set_text
from tui_pos.checkout import PageState, PageView, SaleView

SIDE = 40
"""Columns the amount and the words take beside the QR code."""
ROWS_AROUND = 2
"""Rows the title and the key line take."""

PROMPTS = {
    PageState.WAITING: "Let the customer open the page on their phone and pay.",
    PageState.PAID: "Paid.",
    PageState.CANCELLED: "Cancelled: the customer cancelled on the page.",
    PageState.EXPIRED: "Expired: the page no longer takes payment.",
    PageState.UNKNOWN: "Not watched: the customer may still pay this page.",
}
NEXT = {
    PageState.WAITING: "F5: check now  Esc: stop watching",
    PageState.PAID: "",
    PageState.CANCELLED: "Enter: again  F9: PIN  F10: cash  Esc: back",
    PageState.EXPIRED: "Enter: again  F9: PIN  F10: cash  Esc: back",
    PageState.UNKNOWN: "F5: check and watch again  Esc: back (no new payment yet)",
}
ENDED = (PageState.CANCELLED, PageState.EXPIRED)


def time_left(page: PageView, now: float) -> str:
    """The time the page still takes payment, by the monotonic clock."""
    if page.state is not PageState.WAITING:
        return ""
    if page.deadline is None:
        return "Time left: not known."  # after a restart, or Afosto did not say
    left = int(page.deadline - now + 0.999)
    if left <= 0:
        return "Time is up: checking with Afosto."
    return f"Time left: {left // 60}:{left % 60:02d}"


class PageScreen(TillScreen):
    TITLE = "Payment page"
    BINDINGS = [
        Binding("enter", "again", "Again", tooltip="a new page payment, same method"),
        Binding("f5", "check", "Check", tooltip="check the page payment now"),
        Binding("f9", "card", "PIN", show=False, tooltip="pay by card instead"),
        Binding("f10", "cash", "Cash", show=False, tooltip="pay in cash instead"),
        Binding(
            "escape", "back", "Back", tooltip="back to the sale (while watching: stop watching)"
        ),
    ]

    def __init__(self, glyphs: Glyphs | None = None) -> None:
        super().__init__()
        self.glyphs = glyphs if glyphs is not None else qr_glyphs()
        self._ticker: Timer | None = None
        self._drawn: tuple[str, int, int] | None = None
        self.drawing: QrDrawing | None = None
        """The QR code as drawn; ``None`` when it does not fit (the url is written out)."""

    def body(self) -> ComposeResult:
        yield Static("Payment page", id="title")
        with Horizontal(id="page-area"):
            with Vertical(id="page-side"):
                yield BigAmount("Amount", self.locale, id="amount")
                yield Static(id="page-method")
                yield Static(id="prompt")
                yield Static(id="time-left")
                yield Static(id="next")
                yield Static(id="message")
            yield Static(id="qr")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._ticker = self.set_interval(1, self._tick)

    def on_resize(self, event: events.Resize) -> None:
        self._draw(self.view.page)

    def show(self, view: SaleView) -> None:
        super().show(view)
        page = view.page
        amount = self.query_one(BigAmount)
        amount.locale = self.locale
        amount.show(page.amount if page else 0)
        set_text(self.query_one("#page-method", Static), page.method.name if page else "")
        state = page.state if page else PageState.UNKNOWN
        prompt = self.query_one("#prompt", Static)
        set_text(prompt, PROMPTS[state])
        prompt.set_classes(f"-{state.value}")
        set_text(self.query_one("#next", Static), NEXT[state])
        self._draw(page)
        self._tick()
        self.refresh_bindings()

    def _draw(self, page: PageView | None) -> None:
        """The QR code of the page's url beside the amount, or the url written out when
        it does not fit the screen (and a sentence that says so)."""
        qr = self.query_one("#qr", Static)
        if page is None or page.state not in (PageState.WAITING, PageState.UNKNOWN):
            self._drawn, self.drawing = None, None
            qr.display = False
            return
        width, height = self.size.width - SIDE, self.size.height - ROWS_AROUND
        if self._drawn == (page.url, width, height):
            return
        self._drawn = (page.url, width, height)
        self.drawing = draw_qr(page.url, self.glyphs, width, height)
        qr.display = True
        if self.drawing is not None:
            qr.set_classes("-code")
            set_text(qr, "\n".join(self.drawing.lines))
            return
        qr.set_classes("-url")
        set_text(
            qr,
            "The QR code does not fit this screen. The customer types this address:\n\n" + page.url,
        )

    def _tick(self) -> None:
        page = self.view.page
        text = time_left(page, monotonic()) if page is not None else ""
        set_text(self.query_one("#time-left", Static), text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        page = self.view.page
        state = page.state if page else PageState.UNKNOWN
        if action == "again":
            return state in ENDED
        if action == "check":
            return state in (PageState.WAITING, PageState.UNKNOWN)
        return True

    def action_again(self) -> None:
        page = self.view.page
        if page is not None:
            self.post_message(PayByPage(page.method.code, page.amount))

    def action_check(self) -> None:
        self.post_message(CheckPage())

    def action_card(self) -> None:
        self.post_message(PayByCard())

    def action_cash(self) -> None:
        self.post_message(PayInCash())

    def action_back(self) -> None:
        page = self.view.page
        watching = page is not None and page.state is PageState.WAITING
        self.post_message(StopWatchingPage() if watching else BackToSale())
