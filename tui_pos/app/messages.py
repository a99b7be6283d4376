"""Messages to the app: what the till's devices report, and what the cashier wants.

Screens never call the engine: they post a :class:`Wants` message and the app decides
what it means in the sale's state and calls the engine. One exception, measured: a code
entered on the sale screen goes to the callback the app gave the screen (see
:class:`tui_pos.app.screens.sale.SaleScreen`).
"""

from __future__ import annotations

from textual.message import Message

from tui_pos.checkout import SaleView


class BarcodeScanned(Message):
    """A code from the scanner (posted from its reader thread) or a wedge burst."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class ScannerChanged(Message):
    """The scanner's state in cashier words (connected, unplugged, no permission)."""

    def __init__(self, state: str | None, problem: str | None = None) -> None:
        super().__init__()
        self.state = state
        self.problem = problem


class SaleChanged(Message):
    """The sale published a new view (from outside the app's thread)."""

    def __init__(self, view: SaleView) -> None:
        super().__init__()
        self.view = view


class Wants(Message):
    """What the cashier asked for on a screen; it bubbles up to the app."""


class PayByCard(Wants):
    """A card payment on the terminal, of all that is due or of ``amount``."""

    def __init__(self, amount: int | None = None) -> None:
        super().__init__()
        self.amount = amount


class PayInCash(Wants):
    """The cash screen, for all that is due or for ``amount``."""

    def __init__(self, amount: int | None = None) -> None:
        super().__init__()
        self.amount = amount


class TakeCash(Wants):
    """``tendered`` handed over for a cash payment of ``amount``."""

    def __init__(self, tendered: int, amount: int) -> None:
        super().__init__()
        self.tendered = tendered
        self.amount = amount


class LineWanted(Wants):
    """About one line of the cart."""

    def __init__(self, sku: str) -> None:
        super().__init__()
        self.sku = sku


class VoidLine(LineWanted):
    """Take the line off the sale."""


class ToggleLater(LineWanted):
    """Leave the line out of the invoice made at the end, or put it back."""


class SetQuantity(LineWanted):
    """Set the line's quantity (0 voids it)."""

    def __init__(self, sku: str, quantity: int) -> None:
        super().__init__(sku)
        self.quantity = quantity


class PayPart(Wants):
    """Pay a part of what is due: the amount, then the method."""


class RetryCard(Wants):
    """The same card payment again on the terminal."""


class CheckCard(Wants):
    """Ask Afosto how a card payment that is not confirmed ended."""


class CardFailed(Wants):
    """The cashier says the terminal's own screen shows the payment failed (asked first)."""


class StopWaiting(Wants):
    """Stop waiting for the terminal; the payment stays unknown until it is checked."""


class BackToSale(Wants):
    """From the card screen back to the sale."""


class NextSale(Wants):
    """A finished sale is done with: the next one starts."""


class FinishAgain(Wants):
    """A finishing step that stopped (opening the order, the invoice): try it again."""


class InvoiceRest(Wants):
    """Invoice the lines left for a later invoice, now."""


class SetAside(Wants):
    """Keep a sale whose order is gone from Afosto for support, and start the next."""


class PrintReceipt(Wants):
    """Print the receipt: of the sale just paid (on the result screen), else the last."""


class NoSale(Wants):
    """Open the cash drawer without a sale."""


class CredentialsGiven(Wants):
    """A number and a PIN typed on ``screen`` (to sign in, or a manager's approval)."""

    def __init__(self, screen: object, number: str, pin: str) -> None:
        super().__init__()
        self.screen = screen
        self.number = number
        self.pin = pin

    def __repr__(self) -> str:  # never the PIN, in a log or a traceback
        return f"CredentialsGiven(number={self.number!r})"


class DayWanted(Wants):
    """The day's page: the X report, cash in and out, closing."""


class CashMoveWanted(Wants):
    """Cash into (``kind`` in) or out of the drawer, with why."""

    def __init__(self, kind: object, amount: int, reason: str) -> None:
        super().__init__()
        self.kind = kind
        self.amount = amount
        self.reason = reason


class CloseDayWanted(Wants):
    """Close the day: the count, then the Z report."""


class CountGiven(Wants):
    """The drawer counted on ``screen`` (the Z's count, or the next day's float)."""

    def __init__(self, screen: object, count: object) -> None:
        super().__init__()
        self.screen = screen
        self.count = count


class PrintReport(Wants):
    """Print the report on the screen (an X or a Z), as its lines."""

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title = title
        self.lines = lines


class CustomerWanted(Wants):
    """The customer dialog: search, pick, or remove the sale's customer."""


class CustomerSearchWanted(Wants):
    """Search customers for ``query``; the app answers ``screen.show_search(found)``."""

    def __init__(self, screen: object, query: str) -> None:
        super().__init__()
        self.screen = screen
        self.query = query


class CustomerPicked(Wants):
    """Put ``customer`` (a :class:`~tui_pos.checkout.Customer`) on the sale."""

    def __init__(self, customer: object) -> None:
        super().__init__()
        self.customer = customer


class CustomerRemoved(Wants):
    """Take the customer off the sale."""


class PayByPage(Wants):
    """A payment page (iDEAL, Payconiq) by its method's code, for all that is due or for
    ``amount``: the customer pays it from the QR code."""

    def __init__(self, method_code: str, amount: int | None = None) -> None:
        super().__init__()
        self.method_code = method_code
        self.amount = amount


class CheckPage(Wants):
    """Read the page payment now (watch it again when nobody watches it)."""


class StopWatchingPage(Wants):
    """Stop watching the page; the payment stays unknown until it is read back ended."""
