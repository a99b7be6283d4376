"""Cash as the till counts it, free of the journal (the screens use it before the
journal is opened): the euro's notes and coins, a count of the drawer, which way cash
moves, and what a manager approves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

DENOMINATIONS = (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)
"""The euro's notes and coins, in cents, largest first."""
CASH = "CASH"
"""Afosto's method code of cash: the tender that is in the drawer."""


class MoveKind(StrEnum):
    IN = "in"
    """Cash put into the drawer (change brought from the bank)."""
    OUT = "out"
    """Cash taken out of it (to the safe, a supplier paid)."""


class ApprovalAction(StrEnum):
    """What a manager approves. :meth:`DayBook.cash_move` and :meth:`DayBook.close_day`
    record their own approval (``CASH_IN``, ``CASH_OUT``, ``CLOSE_DAY``) in the same
    transaction; the others are recorded with :meth:`DayBook.approve`."""

    VOID_AFTER_PAYMENT = "void_after_payment"
    NO_SALE = "no_sale"
    CASH_IN = "cash_in"
    CASH_OUT = "cash_out"
    CLOSE_DAY = "close_day"
    UNCONFIRMED_CARD = "unconfirmed_card"


@dataclass(frozen=True)
class Piece:
    """So many notes or coins of one denomination."""

    cents: int
    count: int

    @property
    def total(self) -> int:
        return self.cents * self.count


@dataclass(frozen=True)
class Count:
    """Cash counted: per denomination (``counts``: cents -> how many), or one
    ``amount``. Given ``counts``, ``amount`` becomes their total (it may be given too,
    then it must be that); zero counts are left out."""

    counts: Mapping[int, int] | None = None
    amount: int = 0

    def __post_init__(self) -> None:
        if self.counts is None:
            if type(self.amount) is not int or self.amount < 0:
                raise ValueError(
                    f"An amount counted is a number of cents from 0 up, not {self.amount!r}."
                )
            return
        for cents, count in self.counts.items():
            if cents not in DENOMINATIONS:
                raise ValueError(f"There is no euro note or coin of {cents!r} cents.")
            if type(count) is not int or count < 0:
                raise ValueError(f"A count of {cents}-cent pieces is 0 or more, not {count!r}.")
        counts = {cents: self.counts[cents] for cents in DENOMINATIONS if self.counts.get(cents)}
        total = sum(cents * count for cents, count in counts.items())
        if self.amount not in (0, total):
            raise ValueError(
                f"The amount ({self.amount} cents) is not what the counts add up to ({total})."
            )
        object.__setattr__(self, "counts", MappingProxyType(counts))
        object.__setattr__(self, "amount", total)

    @property
    def total(self) -> int:
        return self.amount

    @property
    def pieces(self) -> tuple[Piece, ...] | None:
        """The counts largest first; ``None`` when one amount was counted."""
        if self.counts is None:
            return None
        return tuple(Piece(cents, count) for cents, count in self.counts.items())
