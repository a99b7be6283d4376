"""What the till sent to its printer: each receipt and each drawer opening, journaled
before it goes and after, so that nothing prints twice by itself after a crash and the
day can list every time the drawer opened."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PrintKind(StrEnum):
    RECEIPT = "receipt"
    DRAWER = "drawer"
    """The drawer opened for a cash payment."""
    NO_SALE = "no_sale"
    """The drawer opened by the cashier's "no sale" key."""
    CASH_MOVE = "cash_move"
    """The drawer opened for cash put in or taken out (journaled as a movement too)."""
    REPORT = "report"
    """An X or Z report of the day."""


class PrintState(StrEnum):
    SENT = "sent"
    """Started, its end never recorded (the till stopped): it may have printed."""
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Printout:
    """One job the till sent to the printer."""

    id: int
    kind: PrintKind
    sale_id: int | None
    copy: bool
    state: PrintState
    problem: str | None
    """What went wrong, in the cashier's words."""
    partly: bool
    """Some of it may have reached the printer (it failed midway)."""
    sent_at: float
    """Wall-clock time it was sent (for the day's list of drawer openings)."""

    @property
    def may_have_printed(self) -> bool:
        return self.state is not PrintState.FAILED or self.partly
