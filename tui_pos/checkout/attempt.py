"""The last card or page payment of a sale: which payment, on which terminal or page,
since when, and whether its outcome is known. Only
:class:`tui_pos.checkout.payments.Payments` changes it.

A card payment whose outcome is unknown (the long-poll timed out or dropped, the cashier
stopped waiting, the till restarted) stays "not confirmed" until Afosto shows it ended,
the terminal answered for it, or the cashier confirms the terminal shows it failed: no
timer ends it. A page payment (iDEAL, Payconiq) is the same kind of attempt: until Afosto
shows it paid, cancelled or expired, the customer may still pay it."""

from __future__ import annotations

import time

from tui_pos.afosto import Payment
from tui_pos.afosto.base import PaymentStatus
from tui_pos.checkout.context import SaleContext
from tui_pos.checkout.steps import PaymentOutcome, StartTerminal, Step

RESTARTED = "The till restarted while the terminal waited."


class PaymentAttempt:
    """The last card or page payment as last read; ``known`` when it cannot be paid any
    more without the till (it ended, the terminal answered for it, or the cashier
    confirmed it failed)."""

    def __init__(self, ctx: SaleContext) -> None:
        self._ctx = ctx
        self.payment: Payment | None = None
        self.on_page = False
        """A page payment (paid on the customer's phone), not a card one."""
        self.terminal: str | None = None
        """The terminal's label (the method's name for a page payment)."""
        self.since: float | None = None
        """Monotonic time of its last start on the terminal (this run of the till)."""
        self.known = True
        self.unsure_because = RESTARTED

    @property
    def unconfirmed(self) -> bool:
        """It may still go through (on the terminal, or on its page): no new payment may
        start."""
        return self.payment is not None and not self.known and not self.payment.is_paid

    def started(self, payment: Payment, terminal: str | None, *, on_page: bool = False) -> None:
        """It is being started on the terminal or shown on its page: its outcome is
        unknown until answered."""
        self.terminal, self.since, self.on_page = terminal, time.monotonic(), on_page
        self.update(payment, known=False)

    def update(self, payment: Payment, *, known: bool) -> None:
        """The payment as read or answered, and whether its outcome is known now."""
        self.payment, self.known = payment, known
        card = self.unconfirmed and not self.on_page
        if card != self._ctx.view.card_unconfirmed:
            self._ctx.publish(card_unconfirmed=card)

    def forget(self) -> None:
        """Its order is gone and nothing ran: there is no attempt any more."""
        self.payment, self.terminal, self.since, self.known = None, None, None, True
        self.on_page = False
        if self._ctx.view.card_unconfirmed:
            self._ctx.publish(card_unconfirmed=False)


def ended(payment: Payment) -> bool:
    """Afosto shows the payment ended (paid, cancelled or expired): it runs no more."""
    return payment.status is not PaymentStatus.PENDING


def outcome(payment: Payment, *, read_back: bool = False) -> PaymentOutcome:
    """A payment as the journal records it."""
    return PaymentOutcome(payment.id, payment.status.value, payment.is_paid, read_back)


def still_unsure(starts: list[Step[StartTerminal]], payment_id: str, after: int) -> bool:
    """Whether the terminal may still be running ``payment_id``, by its journaled starts
    after step ``after`` (the cashier's last "it failed", -1 for none): read back PENDING
    makes it unsure, the terminal's own answer or an ended payment sure; a start refused
    unrun (409, offline) says nothing of an earlier one."""
    unsure = False
    for step in starts:
        if step.intent.payment_id != payment_id or step.id <= after:
            continue
        result = step.result
        if not isinstance(result, PaymentOutcome):
            continue
        unsure = result.read_back and result.status == PaymentStatus.PENDING
    return unsure
