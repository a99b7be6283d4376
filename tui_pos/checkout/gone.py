"""A sale whose order is gone from Afosto (deleted in the back office, expired): with
nothing paid the journaled cart goes on a new order; with money taken on it the sale is
kept for support, and the cashier sets it aside and sells on."""

from __future__ import annotations

from tui_pos.afosto import NotFound
from tui_pos.checkout.errors import NotAllowed
from tui_pos.checkout.sale_base import SaleBase

ORDER_GONE_PAID = (
    "This sale's order is gone from Afosto, but money was taken on it. "
    "Ctrl+X sets the sale aside for support; then sell on."
)


class OrderGone(SaleBase):
    """Telling that the sale's own order is gone, and what the sale does then."""

    async def _order_is_gone(self) -> bool:
        """After a NOT_FOUND: whether it is the sale's own order that Afosto no longer
        knows (deleted, expired), read once more to be sure."""
        order_id = self._order_id
        if order_id is None:
            return False
        try:
            await self._client.get_order(order_id)
        except NotFound:
            return True
        return False

    async def _order_gone(self) -> None:
        """The sale's order is gone from Afosto. With nothing paid, the journaled cart goes
        on a new order; with money taken, the sale is kept for support (the cashier sets
        it aside and sells on), never deleted."""
        gone = self._order_id
        money = self._money_taken()
        for step in self._journal.unresolved(self.id):  # they were on the order that is gone
            self._journal.end(step.id, {"order_gone": gone}, ok=False)
        if money:
            self._journal.update_note(self.id, order_gone=gone, gone_with_money=money)
            self._publish(order_gone=True, busy=False, error=ORDER_GONE_PAID)
            raise NotAllowed(ORDER_GONE_PAID)
        lost = [*self._journal.sale(self.id).note.get("lost_orders", []), gone]
        self._journal.update_note(self.id, lost_orders=lost)
        self._order, self._order_id, self._order_current = None, None, False
        self._attached, self._attempt, self._attempt_idle = None, None, True  # none ran
        self._strikes.clear()
        self._refresh_lines(
            order_number=None,
            error="This sale's order is gone from Afosto. The items were put on a new order.",
        )

    def _money_taken(self) -> int:
        """Cents paid, or perhaps paid, on this sale's order (a card payment whose outcome
        was never known counts): by the order last read and by the journal."""
        paid = self._order.paid if self._order is not None else 0
        if self._view.card_unconfirmed:  # read back PENDING: it may still be charged
            paid = max(paid, 1)
        for step in self._journal.steps(self.id):
            if step.kind not in ("start_terminal", "pay_cash"):
                continue
            result = step.result or {}
            if step.state == "sent" or result.get("paid"):
                paid = max(paid, 1)
        return paid
